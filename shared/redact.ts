/**
 * Secret redaction, the one place: every text that may end up in an error, a log or a
 * description passes through `redact`. A server may echo the Authorization header or the URL we
 * registered, so key-like tokens, bearer credentials and our webhook URL parameters always go.
 */
import { REGISTRATION_PARAMS } from './webhookUrl';

export const REDACTED = '[redacted]';

const KEY_PATTERN = /ik_(?:test|live)_[A-Za-z0-9._~+/=-]+/g;
const BEARER_PATTERN = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi;
/** `ip_secret=…`, `ip_owner=…`, `ip_hook_secret=…`, plain or percent-encoded (`%3D`, up to `%26`). */
const URL_PARAM_PATTERN = new RegExp(
	`(${REGISTRATION_PARAMS.join('|')})(=|%3D)(?:(?!%26)[^&#\\s"'<>\\\\])+`,
	'gi',
);
const URL_PARAM_KEY = new RegExp(`^(?:${REGISTRATION_PARAMS.join('|')})$`, 'i');

export function redact(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
	let out = String(text);
	for (const secret of secrets) {
		// Very short "secrets" would shred ordinary text; real keys are long.
		if (typeof secret === 'string' && secret.trim().length >= 4) {
			out = out.split(secret).join(REDACTED);
			const trimmed = secret.trim();
			if (trimmed !== secret) out = out.split(trimmed).join(REDACTED);
		}
	}
	return out
		.replace(KEY_PATTERN, REDACTED)
		.replace(BEARER_PATTERN, `$1 ${REDACTED}`)
		.replace(URL_PARAM_PATTERN, `$1$2${REDACTED}`);
}

/** Deep copy with every string redacted, depth and size bounded, functions and prototypes dropped. */
export function redactValue(
	value: unknown,
	secrets: ReadonlyArray<string | undefined> = [],
	depth = 0,
): unknown {
	if (typeof value === 'string')
		return redact(value.length > 2000 ? value.slice(0, 2000) + '…' : value, secrets);
	if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
	if (depth >= 5) return undefined;
	if (Array.isArray(value)) {
		return value.slice(0, 50).map((item) => redactValue(item, secrets, depth + 1));
	}
	if (typeof value === 'object' && value !== undefined) {
		const out: Record<string, unknown> = {};
		let count = 0;
		for (const key of Object.keys(value as object)) {
			if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
			if (/^authorization$/i.test(key)) continue;
			if (++count > 50) break;
			// A parsed query echoed back ({ ip_secret: '…' }) carries the secret as a plain value.
			const v = URL_PARAM_KEY.test(key)
				? REDACTED
				: redactValue((value as Record<string, unknown>)[key], secrets, depth + 1);
			if (v !== undefined) out[redact(key, secrets)] = v;
		}
		return out;
	}
	return undefined;
}

/** After scheme and host, as sent and encoded: catch hooks carry their credential in the path. */
export function receiverSecrets(url: string | null | undefined): string[] {
	if (!url) return [];
	const afterScheme = url.indexOf('://');
	const start = afterScheme < 0 ? -1 : url.slice(afterScheme + 3).search(/[/?#]/);
	if (start < 0) return [];
	const rest = url.slice(afterScheme + 3 + start);
	const path = rest.split(/[?#]/, 1)[0];
	const parts = [rest, path].filter((part) => part.length >= 4);
	return [...new Set([...parts, ...parts.map((part) => encodeURIComponent(part))])];
}

/** For errors that may echo a URL only the caller knows to be secret. */
export function redactError<E>(error: E, secrets: readonly string[]): E {
	if (!(error instanceof Error) || secrets.length === 0) return error;
	const fields = error as unknown as Record<string, unknown>;
	for (const name of ['message', 'stack', 'code', 'field']) {
		if (typeof fields[name] === 'string') fields[name] = redact(fields[name] as string, secrets);
	}
	if (fields.details !== undefined) fields.details = redactValue(fields.details, secrets);
	if (Array.isArray(fields.issues)) fields.issues = redactValue(fields.issues, secrets);
	return error;
}
