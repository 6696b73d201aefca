import type { INodeProperties } from 'n8n-workflow';

import * as client from '../actions/client';
import * as message from '../actions/message';
import * as webhook from '../actions/webhook';

/**
 * The parameters of version 1, as saved workflows know them. Frozen: test/n8n/versions.test.ts
 * compares version 1's description with test/n8n/fixtures/intelliportal-v1-description.json,
 * recorded when the node became versioned. New parameters, defaults and operations go into
 * version 2 (../v2/properties.ts).
 */
export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Client', value: 'client' },
			{ name: 'Message', value: 'message' },
			{ name: 'Webhook', value: 'webhook' },
		],
		default: 'message',
	},
	...message.description,
	...client.description,
	...webhook.description,
];
