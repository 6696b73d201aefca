import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { IntelliPortalClient } from '../../../../shared';
import { webhookConfigForDisplay } from '../../../../shared';
import { parameterError, readParameter } from '../../fields';
import { webhookEventOptions } from '../../webhookEvents';
import { perItem } from '../executePerItem';

const showForUpdate = { resource: ['webhook'], operation: ['update'] };

export const option: INodePropertyOptions = {
	name: 'Update Configuration',
	value: 'update',
	description: 'Set the URL and events IntelliPortal delivers webhooks to',
	action: 'Update the webhook configuration',
};

export const description: INodeProperties[] = [
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

async function updateForItem(
	ctx: IExecuteFunctions,
	client: IntelliPortalClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	// Both fields are required here: for the API a PUT without a URL keeps the old one and a
	// PUT without events subscribes to every event, so an expression resolving to nothing
	// must not reach it.
	const url = readParameter(ctx, 'url', itemIndex, '');
	if (url === undefined) throw parameterError(ctx, 'url', itemIndex, 'is required');
	const events = readParameter(ctx, 'events', itemIndex, []);
	if (events === undefined) throw parameterError(ctx, 'events', itemIndex, 'is required');
	const config = await client.updateWebhookConfig({ url, events });
	return [webhookConfigForDisplay(config) as unknown as IDataObject];
}

/** Webhook → Update Configuration, once per input item. */
export const execute = perItem(updateForItem);
