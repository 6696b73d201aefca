import type { INodePropertyOptions, INodeProperties } from 'n8n-workflow';

import { WEBHOOK_EVENT_TYPES } from '../../../shared';

const EVENT_DESCRIPTIONS: Record<string, string> = {
	'message.queued': 'A message was accepted and queued for sending',
	'message.sent': 'A message left IntelliPortal for the channel',
	'message.delivered': 'A message reached the recipient',
	'message.read': 'The recipient read a message',
	'message.failed': 'A message could not be delivered',
	'message.received': 'A recipient sent a message to one of your clients',
	'client.onboarded': 'A client finished onboarding',
};

function displayNameOf(eventType: string): string {
	return eventType
		.split(/[._]/)
		.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
		.join(' ');
}

/** The API's webhook event types as n8n options, from the core's list (one source of truth). */
export const webhookEventOptions: INodePropertyOptions[] = WEBHOOK_EVENT_TYPES.map(
	(eventType: string) => ({
		name: displayNameOf(eventType),
		value: eventType,
		description: EVENT_DESCRIPTIONS[eventType] ?? `The ${eventType} event`,
	}),
);

const showForWebhook = { resource: ['webhook'] };
const showForUpdate = { resource: ['webhook'], operation: ['update'] };

export const webhookOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: showForWebhook },
		options: [
			{
				name: 'Get Configuration',
				value: 'get',
				description: 'Get the URL and events IntelliPortal delivers webhooks to',
				action: 'Get the webhook configuration',
			},
			{
				name: 'Update Configuration',
				value: 'update',
				description: 'Set the URL and events IntelliPortal delivers webhooks to',
				action: 'Update the webhook configuration',
			},
		],
		default: 'get',
	},
];

export const webhookFields: INodeProperties[] = [
	{
		displayName:
			'Your account has one webhook URL. If an IntelliPortal Trigger node is active, updating the configuration here redirects its events.',
		name: 'webhookNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: showForUpdate },
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/webhooks/intelliportal',
		description: 'HTTPS URL that receives the webhook events',
		displayOptions: { show: showForUpdate },
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		default: [],
		required: true,
		options: webhookEventOptions,
		description: 'Which events IntelliPortal sends to the URL',
		displayOptions: { show: showForUpdate },
	},
];
