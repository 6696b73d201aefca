import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { IntelliPortalClient } from '../../shared';
import { clientFields, clientOperations } from './descriptions/ClientDescription';
import { messageFields, messageOperations } from './descriptions/MessageDescription';
import { webhookFields, webhookOperations } from './descriptions/WebhookDescription';
import { own, parameterError, readCollection, readParameter, toBoolean, toNumber } from './fields';
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
		const additional = readCollection(ctx, 'additionalFields', itemIndex);
		const input: IDataObject = {
			business_name: readParameter(ctx, 'businessName', itemIndex, ''),
			phone_number_id: readParameter(ctx, 'phoneNumberId', itemIndex, ''),
		};
		const wabaId = own(additional, 'wabaId');
		if (wabaId !== undefined && wabaId !== '') input.waba_id = wabaId;
		const callbackUrl = own(additional, 'callbackUrl');
		if (callbackUrl !== undefined && callbackUrl !== '') input.callback_url = callbackUrl;
		const created = await client.onboardClient(input as never);
		return [{ json: created as unknown as IDataObject }];
	}
	if (resource === 'client' && operation === 'getAll') {
		const returnAll = toBoolean(
			ctx,
			'returnAll',
			itemIndex,
			readParameter(ctx, 'returnAll', itemIndex, false),
			false,
		);
		const clients = returnAll
			? await client.listAllClients()
			: await client.listAllClients({
					max: toNumber(ctx, 'limit', itemIndex, readParameter(ctx, 'limit', itemIndex, 50), {
						fallback: 50,
						min: 1,
						max: Number.MAX_SAFE_INTEGER,
						whole: true,
					}),
				});
		return clients.map((entry) => ({ json: entry as unknown as IDataObject }));
	}
	if (resource === 'webhook' && operation === 'get') {
		const config = await client.getWebhookConfig();
		return [{ json: config as unknown as IDataObject }];
	}
	if (resource === 'webhook' && operation === 'update') {
		// Both fields are required here: for the API a PUT without a URL keeps the old one and a
		// PUT without events subscribes to every event, so an expression resolving to nothing
		// must not reach it.
		const url = readParameter(ctx, 'url', itemIndex, '');
		if (url === undefined) throw parameterError(ctx, 'url', itemIndex, 'is required');
		const events = readParameter(ctx, 'events', itemIndex, []);
		if (events === undefined) throw parameterError(ctx, 'events', itemIndex, 'is required');
		const config = await client.updateWebhookConfig({
			url: url as string,
			events: events as string[],
		});
		return [{ json: config as unknown as IDataObject }];
	}
	throw unsupportedOperation(ctx, resource, operation, itemIndex);
}

/** Resource → its operations as the editor lists them, from the descriptions. */
const OPERATIONS: Record<string, Array<{ name: string; value: string }>> = {
	message: operationOptions(messageOperations),
	client: operationOptions(clientOperations),
	webhook: operationOptions(webhookOperations),
};

function operationOptions(properties: INodeProperties[]): Array<{ name: string; value: string }> {
	return (properties[0].options ?? []).map((option) => ({
		name: String((option as { name: unknown }).name),
		value: String((option as { value: unknown }).value),
	}));
}

const RESOURCE_NAMES: Record<string, string> = {
	message: 'Message',
	client: 'Client',
	webhook: 'Webhook',
};

function shortText(value: unknown): string {
	const text = String(value);
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function isSupported(resource: string, operation: string): boolean {
	return (
		Object.prototype.hasOwnProperty.call(OPERATIONS, resource) &&
		OPERATIONS[resource].some((option) => option.value === operation)
	);
}

/** An operation the descriptions do not define (a hand-edited or imported workflow). */
function unsupportedOperation(
	ctx: IExecuteFunctions,
	resource: string,
	operation: string,
	itemIndex: number,
): NodeOperationError {
	if (!Object.prototype.hasOwnProperty.call(OPERATIONS, resource)) {
		return new NodeOperationError(
			ctx.getNode(),
			`"Resource" must be one of ${Object.values(RESOURCE_NAMES).join(', ')}, got "${shortText(resource)}"`,
			{ itemIndex },
		);
	}
	const names = OPERATIONS[resource].map((option) => option.name).join(', ');
	return new NodeOperationError(
		ctx.getNode(),
		`"Operation" must be one of ${names} for the resource ${RESOURCE_NAMES[resource]}, got "${shortText(operation)}"`,
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

		if (!isSupported(resource, operation)) {
			const error = unsupportedOperation(this, resource, operation, 0);
			if (!this.continueOnFail()) throw error;
			return [items.map((_, i) => ({ json: errorItemJson(error, ''), pairedItem: { item: i } }))];
		}

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
