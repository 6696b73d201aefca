/**
 * A failed exchange as the core's typed error, and the one verdict on it: whether the request
 * may have been processed (mayHaveBeenSent), which the retry layer never repeats for a POST.
 */
import {
	AuthenticationError,
	ConflictError,
	IntelliPortalError,
	NetworkError,
	NotFoundError,
	RateLimitError,
	ServerError,
	ValidationError,
} from './errors';
import type { ValidationIssue } from './errors';
import { isRecord } from './guards';
import { headerValue } from './http';
import { redact, redactValue } from './redact';
import { TransportFailure } from './transport';

/** A 429 or 503 + Retry-After. (A wait budget's RateLimitError has no status: not a throttle.) */
export function isThrottle(error: unknown): error is RateLimitError | ServerError {
	if (!(error instanceof RateLimitError || error instanceof ServerError)) return false;
	return isRefusal(error.httpStatus, error.retryAfterMs);
}

/** The status of a throttle: the server refused the request, unprocessed, and said when to retry. */
export function isRefusal(status: number | undefined, retryAfterMs: number | undefined): boolean {
	return status === 429 || (status === 503 && retryAfterMs !== undefined);
}

/** Retry-After in ms from seconds or an HTTP-date; undefined when unparseable, never negative. */
export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | undefined {
	const text = String(value ?? '').trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const at = text === '' ? NaN : Date.parse(text);
	return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** `{ error: { code, message, details } }`, `{ code, message }`, `{ error: '…' }` or text. */
function serverError(body: unknown): { code?: string; message?: string; details?: unknown } {
	if (!isRecord(body)) {
		return typeof body === 'string' && body.trim() !== '' ? { message: body.slice(0, 500) } : {};
	}
	const inner = isRecord(body.error) ? body.error : body;
	const message = typeof inner.message === 'string' ? inner.message : body.error;
	return {
		code: typeof inner.code === 'string' ? inner.code : undefined,
		message: typeof message === 'string' ? message.slice(0, 1000) : undefined,
		details: isRecord(inner.details) ? inner.details : undefined,
	};
}

function issuesFromDetails(details: Record<string, unknown> | undefined): ValidationIssue[] {
	if (!details) return [];
	const list: unknown[] = Array.isArray(details.errors)
		? details.errors
		: Array.isArray(details.issues)
			? details.issues
			: [];
	const issues = list
		.slice(0, 50)
		.filter((item) => isRecord(item) && typeof item.field === 'string')
		.map((item) => {
			const { field, message } = item as { field: string; message?: unknown };
			return { field, message: typeof message === 'string' ? message : 'is invalid' };
		});
	if (issues.length === 0 && typeof details.field === 'string') {
		issues.push({ field: details.field, message: 'is invalid' });
	}
	return issues;
}

export interface FromHttpResponseOptions {
	/** A POST that got a 5xx may have been processed. */
	method?: string;
	/** Secrets to remove from server text (the API key). */
	secrets?: ReadonlyArray<string | undefined>;
	/** Clock for HTTP-date Retry-After. */
	now?: number;
}

/** Maps a non-2xx HTTP response to a typed error carrying the server's (redacted) message. */
export function fromHttpResponse(
	status: number,
	headers: Record<string, string | undefined>,
	body: unknown,
	options: FromHttpResponseOptions = {},
): IntelliPortalError {
	const secrets = options.secrets ?? [];
	const server = serverError(body);
	const said = server.message ? redact(server.message, secrets).trim() : '';
	const details = server.details
		? (redactValue(server.details, secrets) as Record<string, unknown>)
		: undefined;
	const serverCode = server.code ? redact(server.code, secrets) : undefined;
	const say = (fallback: string): string => said || fallback;
	const suffix = said ? `: ${said}` : '';
	const retryAfterMs = parseRetryAfter(headerValue(headers, 'retry-after'), options.now);
	const base = { httpStatus: status, details, code: serverCode };
	// A status that reached the server with no defined refusal: a POST may have been processed.
	const post = (options.method ?? 'POST').toUpperCase() === 'POST';

	if (status === 400 || status === 422) {
		const issues = issuesFromDetails(details);
		const message = `IntelliPortal rejected the request: ${say('invalid input')}`;
		return new ValidationError(message, {
			...base,
			code: serverCode ?? 'validation_error',
			issues,
		});
	}
	if (status === 401 || status === 403) {
		const what = status === 401 ? 'was not accepted' : 'is not allowed to do this';
		return new AuthenticationError(`The API key ${what} (${status}${suffix})`, {
			...base,
			code: serverCode ?? (status === 401 ? 'unauthorized' : 'forbidden'),
		});
	}
	if (status === 404) {
		return new NotFoundError(say('Not found'), { ...base, code: serverCode ?? 'not_found' });
	}
	if (status === 409) {
		return new ConflictError(say('Client already exists'), {
			...base,
			code: serverCode ?? 'conflict',
		});
	}
	if (status === 429) {
		return new RateLimitError(`Rate limit exceeded${suffix}.`, {
			...base,
			code: serverCode ?? 'rate_limited',
			retryAfterMs,
		});
	}
	if (status >= 500) {
		return new ServerError(`IntelliPortal server error (${status})${suffix}`, {
			...base,
			code: serverCode ?? 'server_error',
			retryable: true,
			// a 503 with Retry-After is the server refusing work for now: not processed
			mayHaveBeenSent: post && !isRefusal(status, retryAfterMs),
			retryAfterMs: status === 503 ? retryAfterMs : undefined,
		});
	}
	return new IntelliPortalError(`Unexpected HTTP status ${status} from IntelliPortal${suffix}`, {
		...base,
		code: serverCode ?? 'unexpected_status',
		mayHaveBeenSent: post,
	});
}

/**
 * The one verdict on a request without an answer: it may have been processed unless it provably
 * never left ('connect') or only read (GET).
 */
export function networkError(
	failure: unknown,
	request: { method: string; timeoutMs?: number },
	secrets: ReadonlyArray<string | undefined> = [],
): NetworkError {
	const phase = failure instanceof TransportFailure ? failure.phase : 'response';
	const raw = failure instanceof Error ? failure.message : 'request failed';
	const detail = redact(raw, secrets).slice(0, 300);
	const code = failure instanceof TransportFailure ? failure.code : undefined;
	const what = {
		connect: 'Could not connect to IntelliPortal',
		timeout: 'IntelliPortal did not answer in time',
		response: 'The connection to IntelliPortal broke before an answer arrived',
	}[phase];
	return new NetworkError(`${what}: ${detail}`, {
		phase,
		mayHaveBeenSent: phase !== 'connect' && request.method.toUpperCase() !== 'GET',
		detail,
		transportCode: code ? redact(code, secrets).slice(0, 64) : undefined,
		timeoutMs: phase === 'timeout' ? request.timeoutMs : undefined,
	});
}
