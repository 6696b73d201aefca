import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { sendMessages } from '../sendMessages';

const showForTemplate = { resource: ['message'], operation: ['sendTemplate'] };

export const option: INodePropertyOptions = {
	name: 'Send Template',
	value: 'sendTemplate',
	description: 'Send a pre-approved template message to a recipient',
	action: 'Send a template message',
};

export const description: INodeProperties[] = [
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

/** Message → Send Template for all input items, through the bulk sender. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await sendMessages.call(this, items.length, 'sendTemplate');
}
