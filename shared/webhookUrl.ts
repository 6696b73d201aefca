/**
 * The receiver URLs we register: a delivery secret and the ownership record ride in the query.
 * Query edits work on the raw text so every other parameter keeps its exact encoding.
 */
import type { WebhookConfig } from './types';

/** The registration's delivery secret (shared/webhooks.ts checks it on every delivery). */
export const WEBHOOK_SECRET_PARAM = 'ip_secret';
/** The encrypted ownership record (shared/webhookRecord.ts). */
export const OWNERSHIP_RECORD_PARAM = 'ip_owner';
/** The record's former name, plain base64url JSON: still read, never written. */
export const LEGACY_OWNERSHIP_RECORD_PARAM = 'ip_hook_secret';
/** Every parameter our registrations add: never shown, logged or passed into a run's data. */
export const REGISTRATION_PARAMS: readonly string[] = [
	WEBHOOK_SECRET_PARAM,
	OWNERSHIP_RECORD_PARAM,
	LEGACY_OWNERSHIP_RECORD_PARAM,
];

function splitHash(url: string): [string, string] {
	const at = url.indexOf('#');
	return at < 0 ? [url, ''] : [url.slice(0, at), url.slice(at)];
}

/** The URL with `name=value` added to its query (value percent-encoded). */
export function appendQueryParam(url: string, name: string, value: string): string {
	const [beforeHash, hash] = splitHash(url);
	const sep = beforeHash.includes('?') ? '&' : '?';
	return `${beforeHash}${sep}${name}=${encodeURIComponent(value)}${hash}`;
}

/** The first value of the query parameter `name`, decoded; undefined when absent. */
export function queryParam(url: string, name: string): string | undefined {
	const beforeHash = splitHash(url)[0];
	const at = beforeHash.indexOf('?');
	if (at < 0) return undefined;
	return new URLSearchParams(beforeHash.slice(at + 1)).get(name) ?? undefined;
}

function removeQueryParams(url: string, names: readonly string[]): string {
	const [beforeHash, hash] = splitHash(url);
	const at = beforeHash.indexOf('?');
	if (at < 0) return url;
	const parts = beforeHash.slice(at + 1).split('&');
	const kept = parts.filter((part) => !names.includes(part.split('=')[0]));
	if (kept.length === parts.length) return url;
	return `${beforeHash.slice(0, at)}${kept.length > 0 ? `?${kept.join('&')}` : ''}${hash}`;
}

/** Adds a shared secret to a webhook URL as `?ip_secret=…` (kept when the URL is compared). */
export function appendSecret(url: string, secret: string): string {
	return appendQueryParam(url, WEBHOOK_SECRET_PARAM, secret);
}

/** The URL without its `ip_secret` query parameter(s). */
export function removeSecret(url: string): string {
	return removeQueryParams(url, [WEBHOOK_SECRET_PARAM]);
}

/** The URL without an ownership record, under either of its names. */
export function removeOwnershipRecord(url: string): string {
	return removeQueryParams(url, [OWNERSHIP_RECORD_PARAM, LEGACY_OWNERSHIP_RECORD_PARAM]);
}

function parseHttp(url: string): URL | undefined {
	try {
		const parsed = new URL(url.trim());
		return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : undefined;
	} catch {
		return undefined;
	}
}

/** Normalised form for comparing webhook URLs: scheme/host lower-case, default port and trailing slash dropped. */
export function normaliseWebhookUrl(url: string): string {
	const p = parseHttp(url);
	if (!p) return url.trim();
	return `${p.protocol}//${p.host}${p.pathname.replace(/\/+$/, '')}${p.search}`;
}

export function isSameWebhookUrl(
	a: string | null | undefined,
	b: string | null | undefined,
): boolean {
	if (!a || !b) return false;
	return normaliseWebhookUrl(a) === normaliseWebhookUrl(b);
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
		removeSecret(removeOwnershipRecord(a)),
		removeSecret(removeOwnershipRecord(b)),
	);
}

/**
 * A receiver as users are shown it: scheme, host and port only. The path is left out because
 * for many receivers (Slack-style hooks, Zapier catch hooks) the path itself is the credential.
 */
export function receiverOrigin(url: string | null | undefined): string | null {
	const p = url ? parseHttp(url) : undefined;
	return p ? `${p.protocol}//${p.host}` : null;
}

/** The host name of a URL, lower-case ('' when it is not an http(s) URL). */
export function receiverHost(url: string): string {
	return parseHttp(url)?.hostname ?? '';
}

/**
 * What a host may show of a webhook configuration: the URL without its delivery secret and
 * record, and whether a secret is set (anyone holding it can start the workflow or Zap).
 */
export interface WebhookConfigView {
	url: string | null;
	events: string[];
	secretSet: boolean;
}

export function webhookConfigForDisplay(config: WebhookConfig): WebhookConfigView {
	if (config.url === null) return { url: null, events: [...config.events], secretSet: false };
	const withoutRecord = removeOwnershipRecord(config.url);
	const url = removeSecret(withoutRecord);
	return { url, events: [...config.events], secretSet: url !== withoutRecord };
}
