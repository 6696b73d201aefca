/**
 * Receiving a delivery: which events a selection means, the delivery secret check (one verdict
 * for every host, failing closed) and the payload parser. Registration: webhookOwnership.ts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

import { ValidationError } from './errors';
import { isRecord } from './guards';
import type { WebhookEvent, WebhookEventType } from './types';
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from './types';
import { WEBHOOK_SECRET_PARAM, queryParam } from './webhookUrl';

/** Characters of JSON. */
export const DEFAULT_WEBHOOK_MAX_BYTES = 256 * 1024;

export function isWebhookEventType(value: unknown): value is WebhookEventType {
	return typeof value === 'string' && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/** ALL_EVENTS expanded, repeats dropped; anything else kept so that validation names it. */
export function expandEventSelection(selection: readonly unknown[]): unknown[] {
	return [...new Set(selection.flatMap((e) => (e === ALL_EVENTS ? WEBHOOK_EVENT_TYPES : [e])))];
}

/** Its known event names; a selection without any receives every event. */
export function receivedEventTypes(selection: readonly unknown[]): WebhookEventType[] {
	const known = expandEventSelection(selection).filter(isWebhookEventType);
	return known.length > 0 ? known : [...WEBHOOK_EVENT_TYPES];
}

function fail(field: string, message: string): never {
	throw new ValidationError(`Invalid webhook event: ${field} ${message}`, {
		issues: [{ field, message }],
	});
}

/** Deep copy of parsed JSON without prototype-polluting keys. */
function clean(value: unknown, depth = 0): unknown {
	if (depth > 20) return undefined;
	if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1));
	if (isRecord(value)) {
		const out: Record<string, unknown> = {};
		for (const key of Object.keys(value)) {
			if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
			out[key] = clean(value[key], depth + 1);
		}
		return out;
	}
	return value;
}

/** One delivery (JSON text or a parsed body) as a typed event, or a ValidationError. */
export function parseWebhookEvent(
	body: unknown,
	options: { maxBytes?: number } = {},
): WebhookEvent {
	const maxBytes = options.maxBytes ?? DEFAULT_WEBHOOK_MAX_BYTES;
	let value = body;
	if (typeof value === 'string') {
		if (value.length > maxBytes) fail('body', `is larger than ${maxBytes} bytes`);
		try {
			value = JSON.parse(value);
		} catch {
			fail('body', 'is not valid JSON');
		}
	} else {
		let size: number;
		try {
			size = JSON.stringify(value ?? null).length;
		} catch {
			fail('body', 'is not JSON');
		}
		if (size > maxBytes) fail('body', `is larger than ${maxBytes} bytes`);
	}
	if (!isRecord(value)) fail('body', 'must be a JSON object');
	const event = clean(value) as Record<string, unknown>;
	if (typeof event.id !== 'string' || event.id.trim() === '') fail('id', 'is required');
	if (typeof event.type !== 'string' || event.type === '') fail('type', 'is required');
	if (!isWebhookEventType(event.type)) {
		fail(
			'type',
			`'${String(event.type).slice(0, 64)}' is not a known event (${WEBHOOK_EVENT_TYPES.join(', ')})`,
		);
	}
	if (typeof event.created_at !== 'string' || Number.isNaN(Date.parse(event.created_at))) {
		fail('created_at', 'must be a date-time');
	}
	if (!isRecord(event.data)) fail('data', 'must be an object');
	const data = event.data as Record<string, unknown>;
	if (event.type === 'client.onboarded') {
		if (data.client === null || typeof data.client !== 'object') fail('data.client', 'is required');
	} else if (typeof data.message_id !== 'string' || data.message_id === '') {
		fail('data.message_id', 'is required');
	}
	return event as unknown as WebhookEvent;
}

export type WebhookParseResult =
	| { ok: true; event: WebhookEvent; events: WebhookEvent[] }
	| { ok: false; error: string };

/** Non-throwing form of parseWebhookEvent (for webhook handlers that answer 400 themselves). */
export function tryParseWebhookEvent(
	body: unknown,
	options: { maxBytes?: number } = {},
): WebhookParseResult {
	try {
		const event = parseWebhookEvent(body, options);
		return { ok: true, event, events: [event] };
	} catch (error) {
		return { ok: false, error: error instanceof Error ? error.message : 'Invalid webhook event' };
	}
}

/** Equal in time that does not depend on where the texts differ (hashes have one length). */
function sameSecret(a: string, b: string): boolean {
	const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
	return timingSafeEqual(digest(a), digest(b));
}

/** `received`: the full URL, the query string, or the parsed query. */
export function verifySecret(
	received: string | Record<string, unknown> | undefined,
	secret: string,
): boolean {
	if (!secret || received === undefined || received === null) return false;
	const value =
		typeof received === 'string'
			? queryParam(received.includes('?') ? received : `?${received}`, WEBHOOK_SECRET_PARAM)
			: Object.prototype.hasOwnProperty.call(received, WEBHOOK_SECRET_PARAM)
				? received[WEBHOOK_SECRET_PARAM]
				: undefined;
	return typeof value === 'string' && sameSecret(value, secret);
}

/**
 * One rule for every host, failing closed: accepted only when a secret is stored AND the delivery
 * carries it. Without a stored secret hosts tell their user to register again.
 */
export type DeliveryVerdict = 'verified' | 'no_secret_stored' | 'wrong_secret';

export function verifyDelivery(
	carriers: ReadonlyArray<string | Record<string, unknown> | undefined>,
	storedSecret: unknown,
): DeliveryVerdict {
	if (typeof storedSecret !== 'string' || storedSecret === '') return 'no_secret_stored';
	return carriers.some((carrier) => verifySecret(carrier, storedSecret))
		? 'verified'
		: 'wrong_secret';
}
