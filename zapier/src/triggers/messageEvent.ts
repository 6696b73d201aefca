import { randomBytes } from 'node:crypto';

import type { Bundle, ZObject } from 'zapier-platform-core';

import {
	ALL_EVENTS,
	REGISTRATION_PARAMS,
	WEBHOOK_EVENT_TYPES,
	activateWebhook,
	appendSecret,
	deactivateWebhook,
	expandEventSelection,
	parseWebhookEvent,
	receivedEventTypes,
	validateWebhookUpdate,
	verifyDelivery,
} from '../../../shared';
import type { WebhookConfig, WebhookEventType } from '../../../shared';
import { isRecord } from '../../../shared/guards';
import { createClient } from '../apiClient';
import { handled } from '../errors';
import { subscribeRefusal, unsubscribeLeft } from '../ownershipMessages';
import { eventOutputFields, sampleEvent } from '../samples';
import { booleanInput, listInput } from '../util';

const EVENT_LABELS: Record<WebhookEventType, string> = {
	'message.queued': 'Message queued',
	'message.sent': 'Message sent',
	'message.delivered': 'Message delivered',
	'message.read': 'Message read',
	'message.failed': 'Message failed',
	'message.received': 'Message received (inbound)',
	'client.onboarded': 'Client onboarded',
};

/**
 * What performSubscribe returns; Zapier stores it with the subscription and hands it to perform
 * (every delivery) and performUnsubscribe as bundle.subscribeData.
 */
export interface SubscribeData {
	id: string;
	/**
	 * The receiver URL: Zapier's targetUrl + `?ip_secret=<secret>`. IntelliPortal holds it with
	 * the sealed ownership record appended (`&ip_owner=…`, shared/webhookRecord.ts).
	 */
	target_url: string;
	events: string[];
	/**
	 * Subscriptions made before ownership records kept what they replaced here (restored or
	 * carried over at unsubscribe). New subscriptions keep it in the registered URL's record.
	 */
	previous?: WebhookConfig;
	/**
	 * Random per-subscription secret carried in target_url; perform drops deliveries without it.
	 * Absent in subscriptions made before the secret existed (those are not checked).
	 */
	secret?: string;
}

/** 24 random bytes, hex: what the n8n trigger uses too. */
export function newWebhookSecret(): string {
	return randomBytes(24).toString('hex');
}

/** The connection's API key: the ownership record is sealed with a key derived from it. */
function apiKeyOf(bundle: Bundle): string {
	const apiKey = (bundle.authData as Record<string, unknown> | undefined)?.apiKey;
	return typeof apiKey === 'string' ? apiKey : '';
}

/**
 * Where a delivery may carry the subscription's secret: Zapier hands the hook request's query
 * string to perform as bundle.rawRequest.querystring ('a=1&ip_secret=…') and, parsed, as
 * bundle.cleanedRequest.querystring; a flat cleanedRequest may also carry it as a top-level key.
 * Any of them matching (constant-time, in the core's verifyDelivery) is enough.
 */
function secretCarriers(bundle: Bundle): Array<string | Record<string, unknown>> {
	const raw = (bundle as { rawRequest?: unknown }).rawRequest;
	const cleaned = (bundle as { cleanedRequest?: unknown }).cleanedRequest;
	const candidates: Array<string | Record<string, unknown>> = [];
	if (isRecord(raw) && typeof raw.querystring === 'string') candidates.push(raw.querystring);
	if (isRecord(cleaned)) {
		if (isRecord(cleaned.querystring)) candidates.push(cleaned.querystring);
		else if (typeof cleaned.querystring === 'string') candidates.push(cleaned.querystring);
		candidates.push(cleaned);
	}
	return candidates;
}

/**
 * The delivered event body: bundle.cleanedRequest as Zapier gives it for a JSON POST, or its
 * `content` when it arrives in the documented { method, querystring, headers, content } shape;
 * the secret query parameter is never passed on into the Zap's data.
 */
function deliveredBody(bundle: Bundle): unknown {
	const cleaned = (bundle as { cleanedRequest?: unknown }).cleanedRequest;
	let body: unknown = cleaned;
	if (
		isRecord(cleaned) &&
		!('type' in cleaned) &&
		'content' in cleaned &&
		('querystring' in cleaned || 'headers' in cleaned || 'method' in cleaned)
	) {
		body = cleaned.content;
	}
	if (isRecord(body)) {
		const rest: Record<string, unknown> = { ...body };
		for (const name of REGISTRATION_PARAMS) delete rest[name];
		body = rest;
	}
	return body;
}

/** Field labels for errors of performSubscribe (`events[2]` → "Events"). */
const SUBSCRIBE_LABELS = {
	events: 'Events',
	url: 'Zapier hook URL',
};

/**
 * The Events field as given: strings trimmed, empty entries dropped, anything else kept as is so
 * that validation names it (`events[1]` → "Events"); nothing selected means every event.
 */
function selectedEvents(bundle: Bundle): unknown[] {
	const chosen = (listInput(bundle.inputData.events) ?? [])
		.map((e) => (typeof e === 'string' ? e.trim() : e))
		.filter((e) => e !== '' && e !== undefined && e !== null);
	// Nothing selected in the Events field means every event.
	return expandEventSelection(chosen.length > 0 ? chosen : [ALL_EVENTS]);
}

/** The selected event names this Zap can receive (perform, performList): known names only. */
function selectedEventTypes(bundle: Bundle): string[] {
	return receivedEventTypes(selectedEvents(bundle));
}

const performSubscribe = handled(async (z: ZObject, bundle: Bundle): Promise<SubscribeData> => {
	const client = createClient(z, bundle);
	const targetUrl = String(bundle.targetUrl ?? '');
	const secret = newWebhookSecret();
	const registeredUrl = appendSecret(targetUrl, secret);
	const events = selectedEvents(bundle);
	// Bad input (an unknown event, an unusable hook URL) fails here, before any request.
	const valid = validateWebhookUpdate({ url: registeredUrl, events });
	// One ownership rule for n8n and Zapier: another registration is taken over only with
	// Replace Existing, recorded so that it is given back when this Zap is turned off.
	const result = await activateWebhook(
		client,
		{ url: registeredUrl, events: valid.events ?? [...WEBHOOK_EVENT_TYPES], kind: 'zapier' },
		{ apiKey: apiKeyOf(bundle), replaceExisting: booleanInput(bundle.inputData.replace_existing) },
	);
	if (result.outcome === 'refused') {
		const { code, message } = subscribeRefusal(result.reason, result.holder, result.events);
		throw new z.errors.Error(message, code, 409);
	}
	return {
		id: targetUrl,
		target_url: registeredUrl,
		events: valid.events ?? [...WEBHOOK_EVENT_TYPES],
		secret,
	};
}, SUBSCRIBE_LABELS);

const performUnsubscribe = handled(async (z: ZObject, bundle: Bundle) => {
	const client = createClient(z, bundle);
	const data = (bundle.subscribeData ?? {}) as Partial<SubscribeData>;
	const result = await deactivateWebhook(
		client,
		{ url: String(data.target_url ?? bundle.targetUrl ?? '') },
		{ apiKey: apiKeyOf(bundle), legacyPrevious: data.previous ?? null },
	);
	if (result.outcome === 'restored') {
		return { restored: true, restores: result.restores };
	}
	const message = unsubscribeLeft(result.reason, result.holder);
	z.console.log(`IntelliPortal webhook: ${message}`);
	return { restored: false, reason: result.reason, message };
});

/**
 * One delivery → one Zap run. A delivery without the subscription's secret returns [] (Zapier
 * runs nothing; nothing about the secret is echoed), checked before the body is even parsed.
 * A malformed body throws (shown in the Zap history as an error, so a broken sender is noticed);
 * a well-formed event of a type this Zap did not select returns [] (Zapier's convention for
 * "nothing to trigger").
 */
const perform = handled(async (z: ZObject, bundle: Bundle) => {
	const { secret } = (bundle.subscribeData ?? {}) as Partial<SubscribeData>;
	const verdict = verifyDelivery(secretCarriers(bundle), secret);
	if (verdict === 'no_secret_stored') {
		// Fails closed, loudly: the Zap history shows this error and nothing runs.
		throw new z.errors.Error(
			'This Zap’s IntelliPortal webhook has no delivery secret stored, so deliveries cannot be verified and none is accepted. Turn the Zap off and on again to register a new secret.',
			'no_secret_stored',
			401,
		);
	}
	if (verdict === 'wrong_secret') {
		// A forged or stale delivery: nothing runs and nothing about the secret is echoed.
		z.console.log('IntelliPortal webhook: ignored a delivery without this subscription’s secret');
		return [];
	}
	const payload = deliveredBody(bundle);
	let event;
	try {
		event = parseWebhookEvent(payload);
	} catch (error) {
		throw new z.errors.Error(
			`IntelliPortal sent a webhook that is not a valid event: ${(error as Error).message}`,
			'invalid_webhook_payload',
			400,
		);
	}
	const events = selectedEventTypes(bundle);
	return events.includes(event.type) ? [event] : [];
});

/**
 * The contract has no endpoint listing past events, so there is nothing real to fetch: this
 * returns one documented sample event per selected type (ids `evt_sample_*`), built from the
 * core's event types, so the editor can map every field.
 */
const performList = handled(async (_z: ZObject, bundle: Bundle) =>
	selectedEventTypes(bundle).map((type, index) => sampleEvent(type, index)),
);

export default {
	key: 'message_event',
	noun: 'Event',
	display: {
		label: 'New Message Event',
		description:
			'Triggers instantly when IntelliPortal reports a message event (queued, sent, delivered, read, failed, received) or a client onboarding.',
	},
	operation: {
		type: 'hook' as const,
		inputFields: [
			{
				key: 'events',
				label: 'Events',
				required: false,
				list: true,
				choices: WEBHOOK_EVENT_TYPES.map((value) => ({
					value,
					label: EVENT_LABELS[value],
					sample: value,
				})),
				helpText: 'Which events start the Zap. Leave empty for all events.',
			},
			{
				key: 'replace_existing',
				label: 'Replace Existing Webhook',
				type: 'boolean' as const,
				required: false,
				default: 'false',
				helpText:
					'IntelliPortal allows one webhook URL per account. If another URL is already configured, turning the Zap on fails unless this is **True**; then Zapier takes over and restores the previous URL and events when the Zap is turned off.',
			},
		],
		performSubscribe,
		performUnsubscribe,
		perform,
		performList,
		sample: sampleEvent('message.delivered'),
		outputFields: eventOutputFields,
	},
};
