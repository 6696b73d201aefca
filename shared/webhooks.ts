/**
 * Webhook events: names, payload parsing, delivery secrets, URL comparison. Who owns the
 * account's single webhook (activation, deactivation, subscribe, unsubscribe) is decided in
 * shared/webhookOwnership.ts.
 */
import { ValidationError } from './errors';
import type { WebhookConfig, WebhookEvent, WebhookEventType } from './types';
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from './types';
import { parseHttpUrl } from './url';

export { ALL_EVENTS, WEBHOOK_EVENT_TYPES };
/** Alias of WEBHOOK_EVENT_TYPES. */
export const WEBHOOK_EVENTS = WEBHOOK_EVENT_TYPES;

/** Default largest accepted delivery body (characters of JSON). */
export const DEFAULT_WEBHOOK_MAX_BYTES = 256 * 1024;

export function isWebhookEventType(value: unknown): value is WebhookEventType {
	return typeof value === 'string' && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * An event selection as a host's field gives it, as event names: ALL_EVENTS becomes every event
 * type, repeated entries go, order is kept. Anything else stays as given, so that validation
 * names what is not an event.
 */
export function expandEventSelection(selection: readonly unknown[]): unknown[] {
	const out: unknown[] = [];
	for (const entry of selection) {
		if (entry === ALL_EVENTS) out.push(...WEBHOOK_EVENT_TYPES);
		else out.push(entry);
	}
	return [...new Set(out)];
}

/**
 * The event types a selection receives: its known event names (ALL_EVENTS expanded); a
 * selection without any known name receives every event.
 */
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
	if (value !== null && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const key of Object.keys(value)) {
			if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
			out[key] = clean((value as Record<string, unknown>)[key], depth + 1);
		}
		return out;
	}
	return value;
}

/**
 * Parses one delivery (a JSON string, or an already-parsed body) into a typed event, or throws a
 * ValidationError (not JSON, not an object, missing id/type/created_at/data, unknown type, too big).
 */
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
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		fail('body', 'must be a JSON object');
	}
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
	if (event.data === null || typeof event.data !== 'object' || Array.isArray(event.data)) {
		fail('data', 'must be an object');
	}
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

/** Normalised form for comparing webhook URLs: scheme/host lower-case, default port and trailing slash dropped. */
export function normaliseWebhookUrl(url: string): string {
	const p = parseHttpUrl(url);
	if (!p) return url.trim();
	const defaultPort =
		(p.scheme === 'https' && p.port === '443') || (p.scheme === 'http' && p.port === '80');
	const port = p.port && !defaultPort ? `:${p.port}` : '';
	const path = p.path.replace(/\/+$/, '');
	return `${p.scheme}://${p.host}${port}${path}${p.query ? `?${p.query}` : ''}`;
}

export function isSameWebhookUrl(
	a: string | null | undefined,
	b: string | null | undefined,
): boolean {
	if (!a || !b) return false;
	return normaliseWebhookUrl(a) === normaliseWebhookUrl(b);
}

/** Constant-time string comparison (time depends only on the lengths). */
export function constantTimeEqual(a: string, b: string): boolean {
	let diff = a.length ^ b.length;
	const n = Math.max(a.length, b.length);
	for (let i = 0; i < n; i++) {
		diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
	}
	return diff === 0 && a.length === b.length;
}

export const WEBHOOK_SECRET_PARAM = 'ip_secret';

/** Adds a shared secret to a webhook URL as `?ip_secret=…` (kept when the URL is compared). */
export function appendSecret(url: string, secret: string): string {
	const [beforeHash, hash] = url.split('#', 2);
	const sep = beforeHash.includes('?') ? '&' : '?';
	return `${beforeHash}${sep}${WEBHOOK_SECRET_PARAM}=${encodeURIComponent(secret)}${hash !== undefined ? `#${hash}` : ''}`;
}

/** The URL without the query parameter(s) `name`. */
function removeQueryParam(url: string, name: string): string {
	const [beforeHash, hash] = url.split('#', 2);
	const q = beforeHash.indexOf('?');
	if (q < 0) return url;
	const kept = beforeHash
		.slice(q + 1)
		.split('&')
		.filter((part) => part.split('=')[0] !== name);
	if (kept.length === beforeHash.slice(q + 1).split('&').length) return url;
	return `${beforeHash.slice(0, q)}${kept.length > 0 ? `?${kept.join('&')}` : ''}${hash !== undefined ? `#${hash}` : ''}`;
}

/** The URL without its `ip_secret` query parameter(s). */
export function removeSecret(url: string): string {
	return removeQueryParam(url, WEBHOOK_SECRET_PARAM);
}

/**
 * Query parameter in which our registrations record who they are and what they replaced (see
 * shared/webhookOwnership.ts). It holds other receivers' URLs, secrets included, so it is never
 * shown and never passed on into a workflow's or a Zap's data. Its name says "secret" so that log
 * scrubbers that censor secret-named query parameters (Zapier's, on every z.request it logs)
 * censor it too: base64 hides the secrets inside it from scrubbers that look for their values.
 */
export const WEBHOOK_OWNER_PARAM = 'ip_hook_secret';

/** The URL without our ownership record (`ip_hook_secret`). */
export function removeOwnershipMark(url: string): string {
	return removeQueryParam(url, WEBHOOK_OWNER_PARAM);
}

/**
 * The same receiver, whatever secret each URL carries: a registration of ours from an earlier
 * activation or subscription (with an older secret) is still ours, never "someone else's".
 */
export function isSameWebhookTarget(
	a: string | null | undefined,
	b: string | null | undefined,
): boolean {
	if (!a || !b) return false;
	return isSameWebhookUrl(
		removeSecret(removeOwnershipMark(a)),
		removeSecret(removeOwnershipMark(b)),
	);
}

/**
 * Checks the secret of a received delivery: pass the full URL, the query string, or the parsed
 * query object. Constant-time compare.
 */
export function verifySecret(
	received: string | Record<string, unknown> | undefined,
	secret: string,
): boolean {
	if (!secret || received === undefined || received === null) return false;
	let value: unknown;
	if (typeof received === 'string') {
		const query = received.includes('?') ? received.slice(received.indexOf('?') + 1) : received;
		for (const part of query.split('#')[0].split('&')) {
			const [k, v = ''] = part.split('=');
			if (k === WEBHOOK_SECRET_PARAM) {
				try {
					value = decodeURIComponent(v.replace(/\+/g, ' '));
				} catch {
					return false;
				}
			}
		}
	} else {
		value = Object.prototype.hasOwnProperty.call(received, WEBHOOK_SECRET_PARAM)
			? received[WEBHOOK_SECRET_PARAM]
			: undefined;
	}
	return typeof value === 'string' && constantTimeEqual(value, secret);
}

/**
 * The verdict on a delivery's secret, one rule for every host, failing closed: a delivery is
 * accepted only when a secret is stored AND the delivery carries it. `no_secret_stored` (the
 * registration predates the secret, or the host lost its stored data) is refused like a wrong
 * secret; hosts tell their user to register again (n8n: deactivate and activate the workflow;
 * Zapier: turn the Zap off and on).
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

/**
 * What a host may show of a webhook configuration: the URL without its delivery secret, and
 * whether one is set. The secret is a credential of the receiver (anyone holding it can start
 * the workflow or Zap), so it never goes into node output or Zap data.
 */
export interface WebhookConfigView {
	url: string | null;
	events: string[];
	secretSet: boolean;
}

export function webhookConfigForDisplay(config: WebhookConfig): WebhookConfigView {
	if (config.url === null) return { url: null, events: [...config.events], secretSet: false };
	const unmarked = removeOwnershipMark(config.url);
	const url = removeSecret(unmarked);
	return { url, events: [...config.events], secretSet: url !== unmarked };
}
