import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { SEND_AND_WAIT_OPERATION } from 'n8n-workflow';

// Names and shapes are those of n8n's built-in Send and Wait operations, so that users and n8n
// (its waiting webhooks, its Human-in-the-Loop tools) find them where they expect them.

export const sendAndWaitOption: INodePropertyOptions = {
	name: 'Send and Wait for Response',
	value: SEND_AND_WAIT_OPERATION,
	description:
		'Send a message with response links and wait until the recipient approves, declines or answers',
	action: 'Send message and wait for response',
};

const showFor = { resource: ['message'], operation: [SEND_AND_WAIT_OPERATION] };

export const DEFAULT_APPROVE_LABEL = 'Approve';
export const DEFAULT_DECLINE_LABEL = 'Decline';
export const DEFAULT_RESPOND_LABEL = 'Respond';
export const DEFAULT_FORM_BUTTON_LABEL = 'Submit';

/** Limit Wait Time, as n8n's built-in nodes offer it (same names, default 45 minutes). */
const limitWaitTimeOption: INodeProperties = {
	displayName: 'Limit Wait Time',
	name: 'limitWaitTime',
	type: 'fixedCollection',
	description:
		'Whether to limit the time this node waits for the response. When the limit is reached the workflow continues with the input items of this node, without an answer.',
	default: { values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' } },
	options: [
		{
			displayName: 'Values',
			name: 'values',
			values: [
				{
					displayName: 'Limit Type',
					name: 'limitType',
					type: 'options',
					default: 'afterTimeInterval',
					description: 'Continue after some time or at a set date and time',
					options: [
						{
							name: 'After Time Interval',
							description: 'Waits for a certain amount of time',
							value: 'afterTimeInterval',
						},
						{
							name: 'At Specified Time',
							description: 'Waits until the set date and time to continue',
							value: 'atSpecifiedTime',
						},
					],
				},
				{
					displayName: 'Amount',
					name: 'resumeAmount',
					type: 'number',
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
					typeOptions: { minValue: 0, numberPrecision: 2 },
					default: 1,
					description: 'The time to wait',
				},
				{
					displayName: 'Unit',
					name: 'resumeUnit',
					type: 'options',
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
					options: [
						{ name: 'Minutes', value: 'minutes' },
						{ name: 'Hours', value: 'hours' },
						{ name: 'Days', value: 'days' },
					],
					default: 'hours',
					description: 'Unit of the interval value',
				},
				{
					displayName: 'Max Date and Time',
					name: 'maxDateAndTime',
					type: 'dateTime',
					displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
					default: '',
					description: 'Continue execution after the specified date and time',
				},
			],
		},
	],
};

/** Options of one Response Type. */
function optionsFor(responseType: string, options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options,
		displayOptions: { show: { ...showFor, responseType: [responseType] } },
	};
}

/** Send and Wait for Response's parameters below Client and To (version 2). */
export const sendAndWaitFields: INodeProperties[] = [
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 4 },
		description:
			'The message text. The response links are added below it as plain URLs, one per line, so they work in SMS and WhatsApp text.',
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		default: 'approval',
		options: [
			{
				name: 'Approval',
				value: 'approval',
				description: 'The recipient approves (or declines) by opening a link',
			},
			{
				name: 'Free Text',
				value: 'freeText',
				description: 'The recipient opens a link to a page with a text box and writes a response',
			},
		],
		displayOptions: { show: showFor },
	},
	{
		displayName: 'Approval Options',
		name: 'approvalOptions',
		type: 'fixedCollection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Values',
				name: 'values',
				values: [
					{
						displayName: 'Type of Approval',
						name: 'approvalType',
						type: 'options',
						default: 'single',
						options: [
							{ name: 'Approve Only', value: 'single' },
							{ name: 'Approve and Decline', value: 'double' },
						],
					},
					{
						displayName: 'Approve Label',
						name: 'approveLabel',
						type: 'string',
						default: DEFAULT_APPROVE_LABEL,
						description: 'Shown before the approve link in the message',
					},
					{
						displayName: 'Decline Label',
						name: 'disapproveLabel',
						type: 'string',
						default: DEFAULT_DECLINE_LABEL,
						description: 'Shown before the decline link in the message',
						displayOptions: { show: { approvalType: ['double'] } },
					},
				],
			},
		],
		displayOptions: { show: { ...showFor, responseType: ['approval'] } },
	},
	optionsFor('approval', [limitWaitTimeOption]),
	optionsFor('freeText', [
		{
			displayName: 'Link Label',
			name: 'messageButtonLabel',
			type: 'string',
			default: DEFAULT_RESPOND_LABEL,
			description: 'Shown before the link to the response page in the message',
		},
		{
			displayName: 'Response Form Title',
			name: 'responseFormTitle',
			type: 'string',
			default: '',
			description: 'Title of the response page',
		},
		{
			displayName: 'Response Form Description',
			name: 'responseFormDescription',
			type: 'string',
			default: '',
			description: 'Text shown above the text box instead of the message',
		},
		{
			displayName: 'Response Form Button Label',
			name: 'responseFormButtonLabel',
			type: 'string',
			default: DEFAULT_FORM_BUTTON_LABEL,
		},
		limitWaitTimeOption,
	]),
];
