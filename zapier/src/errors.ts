import type { Bundle, ZObject } from 'zapier-platform-core';

import {
	AuthenticationError,
	ConfigurationError,
	ConflictError,
	IntelliPortalError,
	NetworkError,
	NotFoundError,
	RateLimitError,
	ServerError,
	ValidationError,
	redact,
} from '../../shared';

/** Zapier retries a throttled step itself; this is the delay when the server names none. */
const DEFAULT_THROTTLE_SECONDS = 60;

/** Core field path (`text.body`) → the Zapier field label the user sees. */
export type FieldLabels = Record<string, string>;

const ZAPIER_ERRORS =
	'AppError ThrottledError ExpiredAuthError RefreshAuthError HaltedError ResponseError CheckError';

function isZapierError(error: unknown): boolean {
	const name = (error as { name?: unknown } | null)?.name;
	return typeof name === 'string' && ZAPIER_ERRORS.split(' ').includes(name);
}

/** Connection fields (ConfigurationError.field) as the user sees them in Zapier. */
const CONNECTION_LABELS: FieldLabels = {
	apiKey: 'API Key',
	environment: 'Environment',
	baseUrl: 'Base URL',
};

function labelOf(field: string | undefined, labels: FieldLabels): string | undefined {
	if (typeof field !== 'string') return undefined;
	const own = (key: string) =>
		Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined;
	return own(field) ?? own(field.replace(/\[\d+\]/g, ''));
}

function labelled(error: ValidationError | ConfigurationError, labels: FieldLabels): string {
	const named = (field: string, message: string) => {
		const label = labelOf(field, labels);
		return `${label ? `${label} (${field})` : field}: ${message}`;
	};
	// "2 problems: Client (client_ref): is required; Recipient (to): …"
	const issues = error instanceof ValidationError ? error.issues : [];
	if (issues.length > 1 && issues.some((issue) => labelOf(issue.field, labels))) {
		return `${issues.length} problems: ${issues.map((i) => named(i.field, i.message)).join('; ')}`;
	}
	const field = error.field;
	if (field === undefined || !labelOf(field, labels)) return error.message;
	// "text.body: is required" → "Message Text (text.body): is required"
	const prefix = `${field}: `;
	return named(
		field,
		error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message,
	);
}

/**
 * The closing sentence of every server/network error whose request certainly had no effect.
 * The tests' sendOutcomeOf (test/zapier/sendOutcome.ts) reads it back; keep the two notices distinct.
 */
export const NOT_SENT_NOTICE =
	'Nothing was sent or changed in IntelliPortal, so replaying this step is safe.';
/** The closing sentence of every error whose request may have had an effect (a message sent). */
export const MAY_HAVE_BEEN_SENT_NOTICE =
	'Check IntelliPortal before replaying this step, or the recipient may get the message twice.';

function sentNotice(error: IntelliPortalError): string {
	// The core's verdict (a 2xx it could not read to a write is flagged too: it was processed).
	if (!error.mayHaveBeenSent) return NOT_SENT_NOTICE;
	return `The request may already have been processed by IntelliPortal (for a message: it may have been sent). ${MAY_HAVE_BEEN_SENT_NOTICE}`;
}

/** Zapier's words for a request that got no answer, from the core's facts. */
function networkMessage(error: NetworkError): string {
	const code = error.transportCode ? ` (${error.transportCode})` : '';
	if (error.phase === 'connect') return `Could not connect to IntelliPortal${code}.`;
	if (error.phase === 'timeout') {
		const limit = error.timeoutMs ? ` within ${Math.ceil(error.timeoutMs / 1000)} s` : ' in time';
		return `IntelliPortal did not answer${limit}${code}.`;
	}
	return `The connection to IntelliPortal broke before an answer arrived${code}.`;
}

/** "first. second" without doubled or missing full stops. */
function sentence(first: string, second: string): string {
	const head = first.trim();
	return /[.!?]$/.test(head) ? `${head} ${second}` : `${head}. ${second}`;
}

function throttleSeconds(ms: number | undefined): number {
	return typeof ms === 'number' && ms > 0 ? Math.ceil(ms / 1000) : DEFAULT_THROTTLE_SECONDS;
}

/** The AppError text: the core's message in Zapier's words, with what to do or what was sent. */
function appMessage(error: IntelliPortalError, labels: FieldLabels): string {
	if (error instanceof AuthenticationError) {
		return sentence(
			error.message,
			'Use an IntelliPortal API key that has access to this resource.',
		);
	}
	if (error instanceof ValidationError) return labelled(error, labels);
	if (error instanceof NotFoundError || error instanceof ConflictError) return error.message;
	if (error instanceof ConfigurationError) {
		const text = labelled(error, CONNECTION_LABELS);
		return sentence(text, 'Check the IntelliPortal connection settings in Zapier.');
	}
	const what = error instanceof NetworkError ? networkMessage(error) : error.message;
	return sentence(what, sentNotice(error));
}

/**
 * The Zapier error that makes Zapier do the right thing: ThrottledError (Zapier retries later),
 * ExpiredAuthError (the user is asked to reconnect), else AppError (shown on the step, Zap halts).
 */
export function toZapierError(
	z: ZObject,
	error: unknown,
	secrets: string[] = [],
	labels: FieldLabels = {},
): Error {
	if (isZapierError(error)) return error as Error;
	const clean = (text: string) => redact(text, secrets);
	if (!(error instanceof IntelliPortalError)) {
		const message = error instanceof Error ? error.message : String(error);
		return new z.errors.Error(clean(message), 'unexpected_error');
	}
	// A 503 + Retry-After longer than this step may wait: refused, nothing was processed.
	const unavailable =
		error instanceof ServerError && error.retryAfterMs !== undefined && !error.mayHaveBeenSent;
	if (error instanceof RateLimitError || unavailable) {
		const seconds = throttleSeconds((error as RateLimitError | ServerError).retryAfterMs);
		const why = unavailable ? 'IntelliPortal is temporarily unavailable; ' : '';
		const next = `${why}Zapier will retry this step in ${seconds} s.`;
		return new z.errors.ThrottledError(clean(sentence(error.message, next)), seconds);
	}
	if (error instanceof AuthenticationError && error.httpStatus !== 403) {
		const next = 'Reconnect your IntelliPortal account in Zapier with a valid API key.';
		return new z.errors.ExpiredAuthError(clean(sentence(error.message, next)));
	}
	const status = error.httpStatus ?? (error instanceof ValidationError ? 400 : undefined);
	return new z.errors.Error(clean(appMessage(error, labels)), error.code, status);
}

export type Perform<T> = (z: ZObject, bundle: Bundle) => Promise<T>;

/** Wrap a perform so every failure leaves through toZapierError, with the key redacted. */
export function handled<T>(perform: Perform<T>, labels: FieldLabels = {}): Perform<T> {
	return async (z, bundle) => {
		try {
			return await perform(z, bundle);
		} catch (error) {
			// Only a string key can appear in text; String() of an arbitrary value may itself throw.
			const apiKey: unknown = bundle.authData?.apiKey;
			const secrets = typeof apiKey === 'string' ? [apiKey, apiKey.trim()] : [];
			throw toZapierError(z, error, secrets, labels);
		}
	};
}
