import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { randomBytes } from 'crypto';

import {
	ALL_EVENTS,
	RecentEventIds,
	activateWebhook,
	appendSecret,
	deactivateWebhook,
	expandEventSelection,
	isWebhookRegistered,
	tryParseWebhookEvent,
	verifyDelivery,
} from '../../shared';
import type { DeliveryVerdict, WebhookConfig, WebhookRegistration } from '../../shared';
import { toNodeError } from '../IntelliPortal/errors';
import { getIntelliPortalClient } from '../IntelliPortal/transport/apiClient';
import { webhookEventOptions } from '../IntelliPortal/webhookEvents';
import { holderText, leftText, refusalText } from './ownershipMessages';

interface TriggerStaticData {
	/** The receiver URL (secret included) this node registered, while it is registered. */
	registeredUrl?: string;
	/** What a registration from before ownership records replaced: read once, then dropped. */
	previousConfig?: { url: string | null; events: string[] } | null;
	/** Random secret carried in the registered URL and checked on every delivery. */
	secret?: string;
}

/**
 * The event ids this n8n process started a workflow for (all triggers, 24 h, at most 10 000).
 * Not in static data: n8n does not save static data changed by a delivery that starts a run.
 */
const recentEvents = new RecentEventIds();

/** One receiver: this workflow's trigger node, in this mode (test deliveries apart). */
function dedupeScope(ctx: IWebhookFunctions): string {
	const workflow = ctx.getWorkflow();
	const node = ctx.getNode();
	return `${workflow.id ?? ''}\u0000${node.id ?? node.name}\u0000${ctx.getMode()}`;
}

function selectedEvents(ctx: IHookFunctions | IWebhookFunctions): string[] {
	const events = ctx.getNodeParameter('events', []) as string[];
	return expandEventSelection(events) as string[];
}

function staticDataOf(ctx: IHookFunctions): TriggerStaticData {
	return ctx.getWorkflowStaticData('node') as TriggerStaticData;
}

/**
 * 401 and nothing starts. Without a stored secret every delivery would be trusted blindly, so
 * those are refused too, and the log and the answer to IntelliPortal say how to mend it.
 */
function refuseDelivery(
	ctx: IWebhookFunctions,
	verdict: Exclude<DeliveryVerdict, 'verified'>,
): IWebhookResponseData {
	const error =
		verdict === 'no_secret_stored'
			? {
					code: 'no_secret_stored',
					message:
						'This receiver has no delivery secret registered and refuses every delivery until its owner registers it again.',
				}
			: { code: 'invalid_secret', message: 'Unknown sender' };
	if (verdict === 'no_secret_stored') {
		const workflow = ctx.getWorkflow();
		ctx.logger.warn(
			`IntelliPortal Trigger (workflow "${workflow.name ?? workflow.id}"): no delivery secret is stored, so deliveries cannot be verified and are refused with 401. Deactivate the workflow and activate it again to register a new secret.`,
		);
	}
	ctx.getResponseObject().status(401).json({ error });
	return { noWebhookResponse: true };
}

function verifiesSecret(ctx: IHookFunctions | IWebhookFunctions): boolean {
	return ctx.getNodeParameter('verifySecret', true) as boolean;
}

/**
 * The URL to register: n8n's webhook URL, plus a per-activation random secret when "Verify
 * Delivery Secret" is on (undefined when that secret does not exist yet and may not be made).
 */
function registrationUrl(ctx: IHookFunctions, createSecret: boolean): string | undefined {
	const base = ourUrl(ctx);
	if (!verifiesSecret(ctx)) return base;
	const staticData = staticDataOf(ctx);
	if (!staticData.secret) {
		if (!createSecret) return undefined;
		staticData.secret = randomBytes(24).toString('hex');
	}
	return appendSecret(base, staticData.secret);
}

function registration(ctx: IHookFunctions, url: string): WebhookRegistration {
	return { url, events: selectedEvents(ctx), kind: 'n8n' };
}

function ourUrl(ctx: IHookFunctions): string {
	const url = ctx.getNodeWebhookUrl('default');
	if (!url)
		throw new NodeOperationError(
			ctx.getNode(),
			'n8n did not provide a webhook URL for this trigger',
		);
	return url;
}

export class IntelliPortalTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'IntelliPortal Trigger',
		name: 'intelliPortalTrigger',
		icon: {
			light: 'file:../../icons/intelliPortal.svg',
			dark: 'file:../../icons/intelliPortal.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		// n8n's node panel shows the node and its trigger as one entry, with this description.
		description:
			'Send WhatsApp, Instagram, Messenger, email and SMS messages with IntelliPortal, and start workflows on delivery updates, replies and new clients',
		defaults: {
			name: 'IntelliPortal Trigger',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'intelliPortalApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// 200 with an empty body once the run is started, not n8n's text "firstEntryJson"
				responseData: 'noData',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					'An IntelliPortal account delivers webhooks to one URL. Activating this trigger points that URL here; deactivating it restores the previous configuration.',
				name: 'singleUrlNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [ALL_EVENTS],
				options: [
					{ name: 'All Events', value: ALL_EVENTS, description: 'Every event IntelliPortal sends' },
					...webhookEventOptions,
				],
				description: 'Which events start the workflow',
			},
			{
				displayName: 'Verify Delivery Secret',
				name: 'verifySecret',
				type: 'boolean',
				default: true,
				description:
					'Whether to register the webhook URL with a random secret and reject (HTTP 401, workflow not started) any delivery that does not carry it, so only a sender that knows the registered URL (IntelliPortal) can start this workflow',
			},
			{
				displayName: 'Replace Existing Webhook',
				name: 'replaceExisting',
				type: 'boolean',
				default: false,
				description:
					"Whether to take over the account's webhook when it already points to another URL. The previous URL and events are restored when this workflow is deactivated.",
			},
			{
				displayName:
					'Taking over is recorded in the registered URL, so when every IntelliPortal trigger and Zap that took over has stopped, the account gets back what it had before. Limit: if another workflow or Zap activates at the very same moment, one of them may be left believing it receives events when it does not; activate one at a time. Whoever else changes the webhook meanwhile (outside n8n and Zapier) wins and is not undone.',
				name: 'replaceExistingNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { replaceExisting: [true] } },
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const { client, apiKey } = await getIntelliPortalClient.call(this);
				let current: WebhookConfig;
				try {
					current = await client.getWebhookConfig();
				} catch (error) {
					throw toNodeError(this.getNode(), error, 0, apiKey);
				}
				const url = registrationUrl(this, false);
				if (url === undefined) return false;
				// Ours, or recorded under a later registration of ours that gives it back.
				return isWebhookRegistered(current, registration(this, url), { apiKey });
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const { client, apiKey } = await getIntelliPortalClient.call(this);
				const url = registrationUrl(this, true) as string;
				const staticData = staticDataOf(this);
				let result;
				try {
					result = await activateWebhook(client, registration(this, url), {
						apiKey,
						replaceExisting: this.getNodeParameter('replaceExisting', false) as boolean,
						legacyPrevious: staticData.previousConfig,
					});
				} catch (error) {
					throw toNodeError(this.getNode(), error, 0, apiKey);
				}
				if (result.outcome === 'refused') {
					const { message, advice } = refusalText(result);
					// The editor's "could not be published" toast shows only the message: advice too.
					throw new NodeOperationError(this.getNode(), `${message} ${advice}`, {
						description: advice,
					});
				}
				if (result.outcome === 'registered' && result.replaced.kind !== 'none') {
					this.logger.warn(
						`IntelliPortal Trigger: took the account's webhook over from ${holderText(result.replaced)}; it is given back when this workflow is deactivated.`,
					);
				}
				staticData.registeredUrl = url;
				delete staticData.previousConfig;
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const { client, apiKey } = await getIntelliPortalClient.call(this);
				const staticData = staticDataOf(this);
				let result;
				try {
					result = await deactivateWebhook(
						client,
						{ url: staticData.registeredUrl ?? ourUrl(this) },
						{ apiKey, legacyPrevious: staticData.previousConfig ?? null },
					);
				} catch (error) {
					throw toNodeError(this.getNode(), error, 0, apiKey);
				}
				// n8n deactivates whatever delete() answers; its log is where this is said.
				if (result.outcome === 'left') this.logger.warn(leftText(result.reason, result.holder));
				delete staticData.registeredUrl;
				delete staticData.previousConfig;
				delete staticData.secret;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		if (verifiesSecret(this)) {
			const { secret } = this.getWorkflowStaticData('node') as TriggerStaticData;
			const verdict = verifyDelivery([this.getQueryData() as IDataObject], secret);
			if (verdict !== 'verified') return refuseDelivery(this, verdict);
		}
		const request = this.getRequestObject();
		const parsed = tryParseWebhookEvent(
			request.rawBody ? request.rawBody.toString('utf8') : this.getBodyData(),
		);
		if (!parsed.ok) {
			const response = this.getResponseObject();
			response.status(400).json({ error: { code: 'invalid_event', message: parsed.error } });
			return { noWebhookResponse: true };
		}
		const wanted = new Set(selectedEvents(this));
		const events = parsed.events.filter((event) => wanted.has(event.type));
		if (events.length === 0) {
			return { webhookResponse: { received: true, ignored: parsed.events.length } };
		}
		// Exactly once per event: a redelivery (same id) is acknowledged and starts nothing.
		const scope = dedupeScope(this);
		const now = Date.now();
		const fresh = events.filter((event) => recentEvents.claim(scope, event.id, now));
		if (fresh.length === 0) {
			return { webhookResponse: { received: true, duplicate: events.length } };
		}
		return {
			workflowData: [fresh.map((event) => ({ json: event as unknown as IDataObject }))],
		};
	}
}
