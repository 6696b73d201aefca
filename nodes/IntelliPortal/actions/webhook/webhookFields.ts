import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { webhookEventOptions } from '../../webhookEvents';

export const getOption: INodePropertyOptions = {
	name: 'Get Configuration',
	value: 'get',
	description: 'Get the URL and events IntelliPortal delivers webhooks to',
	action: 'Get the webhook configuration',
};

export const updateOption: INodePropertyOptions = {
	name: 'Update Configuration',
	value: 'update',
	description: 'Set the URL and events IntelliPortal delivers webhooks to',
	action: 'Update the webhook configuration',
};

const showForUpdate = { resource: ['webhook'], operation: ['update'] };

/** Update Configuration's parameters (Get Configuration has none). */
export const updateFields: INodeProperties[] = [
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
