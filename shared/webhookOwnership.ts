/**
 * Activation / subscription and deactivation / unsubscription against the API: read, plan
 * (webhookOwnershipPlan.ts), write, read back. The contract has no compare-and-set, so a write
 * is verified by reading it back and planned again when another party's write replaced it.
 */
import { ConflictError } from './errors';
import { receiverSecrets, redactError } from './redact';
import type { WebhookConfig, WebhookConfigUpdate } from './types';
import {
	namesRegistration,
	planWebhookActivation,
	planWebhookDeactivation,
} from './webhookOwnershipPlan';
import type { RecordProblem, RefusalReason, Restores, WebhookHolder } from './webhookOwnershipPlan';
import { OwnershipRecordKey } from './webhookRecord';
import type { WebhookRegistration } from './webhookRecord';
import { isSameWebhookTarget } from './webhookUrl';

/** The two calls the rule needs (IntelliPortalClient has them). */
export interface WebhookConfigApi {
	getWebhookConfig(): Promise<WebhookConfig>;
	updateWebhookConfig(input: WebhookConfigUpdate): Promise<WebhookConfig>;
}

export interface WebhookOwnershipOptions {
	/** The API key: the ownership record is sealed with a key derived from it. */
	apiKey: string;
	/** What an unmarked registration of ours said it had replaced (n8n static data, Zapier bundle). */
	legacyPrevious?: WebhookConfig | null;
	maxAttempts?: number;
}

export type WebhookActivationResult =
	| { outcome: 'registered'; url: string; replaced: WebhookHolder; attempts: number }
	| { outcome: 'unchanged'; url: string }
	| { outcome: 'suspended'; holder: WebhookHolder }
	/** Nothing was written; the host words `reason` for its user. */
	| { outcome: 'refused'; reason: RefusalReason; holder: WebhookHolder; events: number };

export type WebhookDeactivationResult =
	| { outcome: 'restored'; restores: Restores; holder: WebhookHolder }
	/** Nothing was written; the host words `reason` for its user. */
	| { outcome: 'left'; reason: 'not_ours' | RecordProblem; holder: WebhookHolder };

/** An API call whose errors never show the receiver URLs in play (a server may echo our PUT). */
async function call<T>(
	request: () => Promise<T>,
	urls: ReadonlyArray<string | null | undefined>,
): Promise<T> {
	try {
		return await request();
	} catch (error) {
		throw redactError(error, urls.flatMap(receiverSecrets));
	}
}

/** Whether `me` is registered in `current` as it wants to be (n8n's checkExists): holding it, or suspended. */
export function isWebhookRegistered(
	current: WebhookConfig,
	me: WebhookRegistration,
	options: Pick<WebhookOwnershipOptions, 'apiKey'>,
): boolean {
	const key = new OwnershipRecordKey(options.apiKey);
	const action = planWebhookActivation({ current, me, key }).action;
	return action === 'none' || action === 'suspended';
}

/**
 * Activation / subscription. A write that a party without our record overwrote in between is
 * planned again from what is there now, at most `maxAttempts` times; then a retryable
 * ConflictError (the webhook keeps changing). Throws the client's errors as they are.
 */
export async function activateWebhook(
	api: WebhookConfigApi,
	me: WebhookRegistration,
	options: WebhookOwnershipOptions & { replaceExisting?: boolean },
): Promise<WebhookActivationResult> {
	const key = new OwnershipRecordKey(options.apiKey);
	const maxAttempts = options.maxAttempts ?? 3;
	let current = await call(() => api.getWebhookConfig(), [me.url]);
	for (let attempt = 1; attempt <= maxAttempts; attempt++) {
		const plan = planWebhookActivation({
			current,
			me,
			key,
			replaceExisting: options.replaceExisting,
			legacyPrevious: options.legacyPrevious,
		});
		if (plan.action === 'none') return { outcome: 'unchanged', url: current.url as string };
		if (plan.action === 'suspended') return { outcome: 'suspended', holder: plan.holder };
		if (plan.action === 'refuse') {
			const { reason, holder, events } = plan;
			return { outcome: 'refused', reason, holder, events };
		}
		const urls = [plan.update.url, current.url, me.url];
		await call(() => api.updateWebhookConfig(plan.update), urls);
		current = await call(() => api.getWebhookConfig(), urls);
		if (isSameWebhookTarget(current.url, me.url)) {
			const url = current.url as string;
			return { outcome: 'registered', url, replaced: plan.replaced, attempts: attempt };
		}
		const after = planWebhookActivation({ current, me, key });
		if (after.action === 'suspended') return { outcome: 'suspended', holder: after.holder };
	}
	throw new ConflictError(
		'The IntelliPortal webhook kept changing while this registration was made (another integration is registering at the same time). Try again in a moment.',
		{ code: 'webhook_contended', retryable: true },
	);
}

/**
 * Deactivation / unsubscription. While the read-back still names us (a concurrent take-over
 * recorded us after our read), plan again, at most `maxAttempts` times.
 */
export async function deactivateWebhook(
	api: WebhookConfigApi,
	me: Pick<WebhookRegistration, 'url'>,
	options: WebhookOwnershipOptions,
): Promise<WebhookDeactivationResult> {
	const key = new OwnershipRecordKey(options.apiKey);
	const maxAttempts = options.maxAttempts ?? 3;
	let current = await call(() => api.getWebhookConfig(), [me.url]);
	let result: WebhookDeactivationResult | undefined;
	for (let attempt = 1; attempt <= maxAttempts; attempt++) {
		const plan = planWebhookDeactivation({
			current,
			me,
			key,
			legacyPrevious: options.legacyPrevious,
		});
		if (plan.action === 'none') {
			return result ?? { outcome: 'left', reason: plan.reason, holder: plan.holder };
		}
		const urls = [plan.update.url, current.url, me.url];
		await call(() => api.updateWebhookConfig(plan.update), urls);
		result = { outcome: 'restored', restores: plan.restores, holder: plan.holder };
		current = await call(() => api.getWebhookConfig(), urls);
		if (!namesRegistration(current, me, key)) return result;
	}
	return result as WebhookDeactivationResult;
}
