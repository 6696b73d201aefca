/**
 * Secret redaction. Every text that may end up in an error, a log or a description passes through
 * `redact`: the caller's known secrets are removed, and so is anything that looks like an
 * IntelliPortal key or a bearer credential (a server may echo the Authorization header back).
 */

export const REDACTED = '[redacted]';

/** ik_test_… / ik_live_… keys, wherever they appear. */
const KEY_PATTERN = /ik_(?:test|live)_[A-Za-z0-9._~+/=-]+/g;
/** "Bearer <token>" (any token). */
const BEARER_PATTERN = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi;

/** Removes every secret (exact occurrences of `secrets`, key-like and bearer tokens) from a text. */
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
	return out.replace(KEY_PATTERN, REDACTED).replace(BEARER_PATTERN, `$1 ${REDACTED}`);
}

/**
 * Deep copy of a JSON-like value with every string redacted, depth and size bounded, functions and
 * prototypes dropped. Used for server-provided error details.
 */
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
			const v = redactValue((value as Record<string, unknown>)[key], secrets, depth + 1);
			if (v !== undefined) out[redact(key, secrets)] = v;
		}
		return out;
	}
	return undefined;
}
