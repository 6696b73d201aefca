import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { IntelliPortalClient } from '../../shared';
import { clientFields, clientOperations } from './descriptions/ClientDescription';
import { messageFields, messageOperations } from './descriptions/MessageDescription';
import { webhookFields, webhookOperations } from './descriptions/WebhookDescription';
import { errorItemJson, getIntelliPortalClient, toNodeError } from './GenericFunctions';
import { searchClients } from './methods/listSearch';
import { sendMessages } from './actions/sendMessages';

type ItemResult = { json: IDataObject }[];

async function runOperation(
	ctx: IExecuteFunctions,
	client: IntelliPortalClient,
	resource: string,
	operation: string,
	itemIndex: number,
): Promise<ItemResult> {
	if (resource === 'client' && operation === 'onboard') {
		const additional = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const input: IDataObject = {
			business_name: ctx.getNodeParameter('businessName', itemIndex),
			phone_number_id: ctx.getNodeParameter('phoneNumberId', itemIndex),
		};
		if (additional.wabaId !== undefined && additional.wabaId !== '')
			input.waba_id = additional.wabaId;
		if (additional.callbackUrl !== undefined && additional.callbackUrl !== '') {
			input.callback_url = additional.callbackUrl;
		}
		const created = await client.onboardClient(input as never);
		return [{ json: created as unknown as IDataObject }];
	}
	if (resource === 'client' && operation === 'getAll') {
		const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const clients = returnAll
			? await client.listAllClients()
			: await client.listAllClients({
					max: ctx.getNodeParameter('limit', itemIndex, 50) as number,
				});
		return clients.map((entry) => ({ json: entry as unknown as IDataObject }));
	}
	if (resource === 'webhook' && operation === 'get') {
		const config = await client.getWebhookConfig();
		return [{ json: config as unknown as IDataObject }];
	}
	if (resource === 'webhook' && operation === 'update') {
		const config = await client.updateWebhookConfig({
			url: ctx.getNodeParameter('url', itemIndex) as string,
			events: ctx.getNodeParameter('events', itemIndex, []) as string[],
		});
		return [{ json: config as unknown as IDataObject }];
	}
	throw new NodeOperationError(
		ctx.getNode(),
		`The operation "${operation}" is not supported for resource "${resource}"`,
		{ itemIndex },
	);
}

export class IntelliPortal implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'IntelliPortal',
		name: 'intelliPortal',
		icon: {
			light: 'file:../../icons/intelliPortal.svg',
			dark: 'file:../../icons/intelliPortal.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Send WhatsApp, Instagram, Messenger, email and SMS messages, onboard clients and manage webhooks with IntelliPortal',
		defaults: {
			name: 'IntelliPortal',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'intelliPortalApi',
				required: true,
			},
		],
		properties: [
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
			...messageOperations,
			...messageFields,
			...clientOperations,
			...clientFields,
			...webhookOperations,
			...webhookFields,
		],
	};

	methods = {
		listSearch: {
			searchClients,
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;

		if (resource === 'message') {
			return [await sendMessages.call(this, items.length, operation)];
		}

		let client: IntelliPortalClient;
		let apiKey = '';
		try {
			({ client, apiKey } = await getIntelliPortalClient.call(this));
		} catch (error) {
			if (!this.continueOnFail()) throw toNodeError(this.getNode(), error, 0, apiKey);
			return [
				items.map((_, i) => ({ json: errorItemJson(error, apiKey), pairedItem: { item: i } })),
			];
		}

		const returnData: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const results = await runOperation(this, client, resource, operation, i);
				for (const result of results)
					returnData.push({ json: result.json, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					returnData.push({ json: errorItemJson(error, apiKey), pairedItem: { item: i } });
					continue;
				}
				throw toNodeError(this.getNode(), error, i, apiKey);
			}
		}
		return [returnData];
	}
}
