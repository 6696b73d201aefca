import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS } from '../../../../shared';

/** Longest per-request timeout the node accepts (10 minutes). */
export const MAX_TIMEOUT_MS = 600_000;

/** Upper bound of the Concurrency option (the node enforces it for expressions too). */
export const MAX_CONCURRENCY = 50;

const showForBothSends = { resource: ['message'], operation: ['send', 'sendTemplate'] };

/** Parameters both sends show above their own: the retry notice, Client and To. */
export const recipientFields: INodeProperties[] = [
	{
		displayName:
			'Leave "Retry On Fail" in this node\'s settings off: the node already retries rate limits and safe failures itself, and a node-level retry would send again messages that already went out',
		name: 'retryNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: showForBothSends },
	},
	{
		displayName: 'Client',
		name: 'clientRef',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The onboarded client (business) the message is sent for',
		displayOptions: { show: showForBothSends },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a client...',
				typeOptions: {
					searchListMethod: 'searchClients',
					searchable: true,
					searchFilterRequired: false,
				},
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. cl_8f3a2b',
			},
		],
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. +14155550123',
		description:
			'Recipient phone number in international format (WhatsApp, SMS) or the channel identifier of the recipient',
		displayOptions: { show: showForBothSends },
	},
];

/** The run-level Options collection both sends show below their own parameters. */
export const sendOptionsFields: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showForBothSends },
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				default: 16,
				typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
				description:
					'How many messages of this run are in flight at once. Output order always matches input order.',
			},
			{
				displayName: 'Max Requests per Second',
				name: 'maxRequestsPerSecond',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0 },
				description:
					'Upper bound on send requests per second for this run (0 = no limit beyond what the API allows). Rate-limit answers from the API always slow the whole run down.',
			},
			{
				displayName: 'Timeout',
				name: 'timeout',
				type: 'number',
				default: DEFAULT_TIMEOUT_MS,
				typeOptions: { minValue: 1, maxValue: MAX_TIMEOUT_MS },
				description:
					'How long to wait for IntelliPortal to answer each send, in milliseconds. A send that times out may still have been sent: it is reported as such and never repeated.',
			},
		],
	},
];

/** Version 2's default for the run's wait budget (version 1 has no budget). */
export const DEFAULT_WAIT_BUDGET_MINUTES = 10;

/** The sends' run-level Wait Budget: version 2 adds it to Options (v2/properties.ts). */
export const waitBudgetOption: INodeProperties = {
	displayName: 'Wait Budget (Minutes)',
	name: 'waitBudgetMinutes',
	type: 'number',
	default: DEFAULT_WAIT_BUDGET_MINUTES,
	typeOptions: { minValue: 0, numberPrecision: 1 },
	description:
		'Longest time the whole run may keep waiting on IntelliPortal rate limits. Messages not sent by then are reported as not sent (rate-limited, safe to send again later) instead of waiting on.',
};
