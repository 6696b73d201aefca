import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { sendMessages } from '../sendMessages';

const showForSend = { resource: ['message'], operation: ['send'] };

export const option: INodePropertyOptions = {
	name: 'Send',
	value: 'send',
	description: 'Send a text or media message to a recipient',
	action: 'Send a message',
};

export const description: INodeProperties[] = [
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
		description: 'Optional text shown with the media',
		displayOptions: { show: { ...showForSend, messageType: ['media'] } },
	},
];

/** Message → Send for all input items, through the bulk sender. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await sendMessages.call(this, items.length, 'send');
}
