import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS } from '../../../../shared';

/** Longest per-request timeout the node accepts (10 minutes). */
export const MAX_TIMEOUT_MS = 600_000;

/**
 * Enough in flight to reach a 200 req/s limit at ~80 ms round trips; the adaptive governor backs
 * off on the first 429, so a higher ceiling costs nothing against a stricter limit.
 */
export const DEFAULT_CONCURRENCY = 16;

/** Upper bound of the Concurrency option (the node enforces it for expressions too). */
export const MAX_CONCURRENCY = 50;

/** Version 2's default for the run's wait budget (version 1 has no budget). */
export const DEFAULT_WAIT_BUDGET_MINUTES = 10;

export const sendOption: INodePropertyOptions = {
	name: 'Send',
	value: 'send',
	description: 'Send a text or media message to a recipient',
	action: 'Send a message',
};

export const sendTemplateOption: INodePropertyOptions = {
	name: 'Send Template',
	value: 'sendTemplate',
	description: 'Send a pre-approved template message to a recipient',
	action: 'Send a template message',
};

const showForSend = { resource: ['message'], operation: ['send'] };
const showForTemplate = { resource: ['message'], operation: ['sendTemplate'] };
const showForBothSends = { resource: ['message'], operation: ['send', 'sendTemplate'] };

/** The retry notice, Client and To, for the message operations a version sends to a recipient. */
export function recipientFields(operations: string[], retryNotice: string): INodeProperties[] {
	const displayOptions = { show: { resource: ['message'], operation: operations } };
	return [
		{ displayName: retryNotice, name: 'retryNotice', type: 'notice', default: '', displayOptions },
		{
			displayName: 'Client',
			name: 'clientRef',
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			required: true,
			description: 'The onboarded client (business) the message is sent for',
			displayOptions,
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
			displayOptions,
		},
	];
}

/** Send's own parameters; a version may give Text and Caption an example (placeholder). */
export function messageFields(placeholders: {
	text?: string;
	caption?: string;
}): INodeProperties[] {
	const example = (placeholder?: string) => (placeholder === undefined ? {} : { placeholder });
	return [
		{
			displayName: 'Message Type',
			name: 'messageType',
			type: 'options',
			default: 'text',
			options: [
				{ name: 'Text', value: 'text', description: 'A plain text message' },
				{ name: 'Media', value: 'media', description: 'An image, video or document from a URL' },
			],
			displayOptions: { show: showForSend },
		},
		{
			displayName: 'Text',
			name: 'textBody',
			type: 'string',
			default: '',
			required: true,
			...example(placeholders.text),
			typeOptions: { rows: 4 },
			description: 'The message text',
			displayOptions: { show: { ...showForSend, messageType: ['text'] } },
		},
		{
			displayName: 'Media URL',
			name: 'mediaUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/brochure.pdf',
			description: 'Public HTTPS URL of the image, video or document to send',
			displayOptions: { show: { ...showForSend, messageType: ['media'] } },
		},
		{
			displayName: 'Caption',
			name: 'mediaCaption',
			type: 'string',
			default: '',
			...example(placeholders.caption),
			description: 'Optional text shown with the media',
			displayOptions: { show: { ...showForSend, messageType: ['media'] } },
		},
	];
}

/** Send Template's own parameters. */
export const templateFields: INodeProperties[] = [
	{
		displayName: 'Template Name',
		name: 'templateName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. order_confirmation',
		description: 'Name of the approved template, exactly as registered',
		displayOptions: { show: showForTemplate },
	},
	{
		displayName: 'Language Code',
		name: 'languageCode',
		type: 'string',
		default: 'en',
		placeholder: 'e.g. en or pt_BR',
		description: 'Language of the approved template version to send',
		displayOptions: { show: showForTemplate },
	},
	{
		displayName: 'Template Parameters',
		name: 'templateParameters',
		type: 'fixedCollection',
		placeholder: 'Add Parameter',
		default: {},
		typeOptions: { multipleValues: true, sortable: true },
		description:
			'Values for the template placeholders in order: the first fills {{1}}, the second {{2}}, and so on',
		displayOptions: { show: showForTemplate },
		options: [
			{
				displayName: 'Parameter',
				name: 'parameter',
				values: [
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'Text for the next placeholder',
					},
				],
			},
		],
	},
];

/** The run-level Wait Budget of the sends (version 2). */
export const waitBudgetOption: INodeProperties = {
	displayName: 'Wait Budget (Minutes)',
	name: 'waitBudgetMinutes',
	type: 'number',
	default: DEFAULT_WAIT_BUDGET_MINUTES,
	typeOptions: { minValue: 0, numberPrecision: 1 },
	description:
		'Longest time the whole run may keep waiting on IntelliPortal rate limits. Messages not sent by then are reported as not sent (rate-limited, safe to send again later) instead of waiting on.',
};

/** The sends' run-level Options: Concurrency, Max Requests per Second, Timeout, then `extra`. */
export function sendOptionsField(extra: INodeProperties[]): INodeProperties {
	return {
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
				default: DEFAULT_CONCURRENCY,
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
			...extra,
		],
	};
}
