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

/** Zapier's bundle.subscribeData: what performSubscribe returned. */
export interface SubscribeData {
	id: string;
	/** targetUrl + `?ip_secret=…`; IntelliPortal holds it with the ownership record appended. */
	target_url: string;
	events: string[];
	/** What an older subscription replaced (newer ones keep it in the URL's record). */
	previous?: WebhookConfig;
	/** Absent in subscriptions made before the secret existed (those are not checked). */
	secret?: string;
}

export function newWebhookSecret(): string {
	return randomBytes(24).toString('hex');
}

/** The ownership record is sealed with a key derived from it. */
function apiKeyOf(bundle: Bundle): string {
	const apiKey = (bundle.authData as Record<string, unknown> | undefined)?.apiKey;
	return typeof apiKey === 'string' ? apiKey : '';
}

/** Zapier hands the query string raw, parsed, or flat in cleanedRequest: any may match. */
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

/** cleanedRequest, or its `content` in the { method, querystring, headers, content } shape; never the secret. */
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

const SUBSCRIBE_LABELS = {
	events: 'Events',
	url: 'Zapier hook URL',
};

/** Non-strings are kept so that validation names them; nothing selected means every event. */
function selectedEvents(bundle: Bundle): unknown[] {
	const chosen = (listInput(bundle.inputData.events) ?? [])
		.map((e) => (typeof e === 'string' ? e.trim() : e))
		.filter((e) => e !== '' && e !== undefined && e !== null);
	return expandEventSelection(chosen.length > 0 ? chosen : [ALL_EVENTS]);
}

function selectedEventTypes(bundle: Bundle): string[] {
	return receivedEventTypes(selectedEvents(bundle));
}

const performSubscribe = handled(async (z: ZObject, bundle: Bundle): Promise<SubscribeData> => {
	const client = createClient(z, bundle);
	const targetUrl = String(bundle.targetUrl ?? '');
	const secret = newWebhookSecret();
	const registeredUrl = appendSecret(targetUrl, secret);
	const events = selectedEvents(bundle);
	const valid = validateWebhookUpdate({ url: registeredUrl, events });
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

/** A malformed body throws so that a broken sender shows in the Zap history; [] runs nothing. */
const perform = handled(async (z: ZObject, bundle: Bundle) => {
	const { secret } = (bundle.subscribeData ?? {}) as Partial<SubscribeData>;
	const verdict = verifyDelivery(secretCarriers(bundle), secret);
	if (verdict === 'no_secret_stored') {
		throw new z.errors.Error(
			'This Zap’s IntelliPortal webhook has no delivery secret stored, so deliveries cannot be verified and none is accepted. Turn the Zap off and on again to register a new secret.',
			'no_secret_stored',
			401,
		);
	}
	if (verdict === 'wrong_secret') {
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
	return selectedEventTypes(bundle).includes(event.type) ? [event] : [];
});

/** The contract lists no past events: one sample per selected type, for mapping fields. */
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
