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
import { headerValue } from './http';
import { redact, redactValue } from './redact';
import { TransportFailure } from './transport';

/**
 * A response that refused the request without processing it and said when to come back: 429, or
 * 503 with Retry-After. (A wait budget's RateLimitError has no status: it is not a throttle.)
 */
export function isThrottle(error: unknown): error is RateLimitError | ServerError {
	if (!(error instanceof RateLimitError || error instanceof ServerError)) return false;
	return isRefusal(error.httpStatus, error.retryAfterMs);
}

/** The status of a throttle: the server refused the request, unprocessed, and said when to retry. */
export function isRefusal(status: number | undefined, retryAfterMs: number | undefined): boolean {
	return status === 429 || (status === 503 && retryAfterMs !== undefined);
}

/**
 * Retry-After in ms from seconds (`"2"`, `"1.5"`) or an HTTP-date, relative to `nowMs`.
 * Undefined when absent or unparseable; never negative.
 */
export function parseRetryAfter(
	value: string | undefined,
	nowMs: number = Date.now(),
): number | undefined {
	if (value === undefined || value === null) return undefined;
	const text = String(value).trim();
	if (text === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const at = Date.parse(text);
	if (Number.isNaN(at)) return undefined;
	return Math.max(0, at - nowMs);
}

interface ServerErrorBody {
	code?: string;
	message?: string;
	details?: Record<string, unknown>;
}

function serverError(body: unknown): ServerErrorBody {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		return typeof body === 'string' && body.trim() !== '' ? { message: body.slice(0, 500) } : {};
	}
	const record = body as Record<string, unknown>;
	const inner =
		record.error !== null && typeof record.error === 'object'
			? (record.error as Record<string, unknown>)
			: record;
	const out: ServerErrorBody = {};
	if (typeof inner.code === 'string') out.code = inner.code;
	if (typeof inner.message === 'string') out.message = inner.message.slice(0, 1000);
	else if (typeof record.error === 'string') out.message = record.error.slice(0, 1000);
	if (
		inner.details !== null &&
		typeof inner.details === 'object' &&
		!Array.isArray(inner.details)
	) {
		out.details = inner.details as Record<string, unknown>;
	}
	return out;
}

function issuesFromDetails(details: Record<string, unknown> | undefined): ValidationIssue[] {
	if (!details) return [];
	const list = Array.isArray(details.errors)
		? details.errors
		: Array.isArray(details.issues)
			? details.issues
			: [];
	const issues: ValidationIssue[] = [];
	for (const item of list.slice(0, 50)) {
		if (
			item &&
			typeof item === 'object' &&
			typeof (item as { field?: unknown }).field === 'string'
		) {
			const i = item as { field: string; message?: unknown };
			issues.push({
				field: i.field,
				message: typeof i.message === 'string' ? i.message : 'is invalid',
			});
		}
	}
	if (issues.length === 0 && typeof details.field === 'string') {
		issues.push({ field: details.field, message: 'is invalid' });
	}
	return issues;
}

export interface FromHttpResponseOptions {
	/** The request's method: a POST that got a 5xx may have been processed. */
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
	const serverMessage = server.message ? redact(server.message, secrets).trim() : '';
	const details = server.details
		? (redactValue(server.details, secrets) as Record<string, unknown>)
		: undefined;
	const code = server.code ? redact(server.code, secrets) : undefined;
	const say = (fallback: string): string => (serverMessage ? serverMessage : fallback);
	const retryAfterMs = parseRetryAfter(headerValue(headers, 'retry-after'), options.now);
	const base = { httpStatus: status, details, ...(code ? { code } : {}) };

	if (status === 400 || status === 422) {
		const issues = issuesFromDetails(details);
		return new ValidationError(`IntelliPortal rejected the request: ${say('invalid input')}`, {
			...base,
			issues,
		});
	}
	if (status === 401 || status === 403) {
		const what = status === 401 ? 'was not accepted' : 'is not allowed to do this';
		return new AuthenticationError(
			`The API key ${what} (${status}${serverMessage ? `: ${serverMessage}` : ''})`,
			{
				code: code ?? (status === 401 ? 'unauthorized' : 'forbidden'),
				httpStatus: status,
				details,
			},
		);
	}
	if (status === 404) {
		return new NotFoundError(say('Not found'), {
			code: code ?? 'not_found',
			httpStatus: status,
			details,
		});
	}
	if (status === 409) {
		return new ConflictError(say('Client already exists'), {
			code: code ?? 'conflict',
			httpStatus: status,
			details,
		});
	}
	if (status === 429) {
		const wait =
			retryAfterMs !== undefined ? ` Retry after ${Math.ceil(retryAfterMs / 1000)} s.` : '';
		return new RateLimitError(
			`Rate limit exceeded${serverMessage ? `: ${serverMessage}` : ''}.${wait}`,
			{
				...base,
				retryAfterMs,
			},
		);
	}
	if (status >= 500) {
		const post = (options.method ?? 'POST').toUpperCase() === 'POST';
		// A 503 with Retry-After is the server explicitly refusing work for now: not processed.
		const refused = isRefusal(status, retryAfterMs);
		return new ServerError(
			`IntelliPortal server error (${status})${serverMessage ? `: ${serverMessage}` : ''}`,
			{
				...base,
				retryable: true,
				mayHaveBeenSent: post && !refused,
				retryAfterMs: status === 503 ? retryAfterMs : undefined,
			},
		);
	}
	// A status the contract does not document: the request reached the server and we cannot tell
	// what it did with it, so a POST may have been processed (one verdict, read by every host).
	const write = (options.method ?? 'POST').toUpperCase() === 'POST';
	return new IntelliPortalError(
		`Unexpected HTTP status ${status} from IntelliPortal${serverMessage ? `: ${serverMessage}` : ''}`,
		{ ...base, code: code ?? 'unexpected_status', mayHaveBeenSent: write },
	);
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
	const what =
		phase === 'connect'
			? 'Could not connect to IntelliPortal'
			: phase === 'timeout'
				? 'IntelliPortal did not answer in time'
				: 'The connection to IntelliPortal broke before an answer arrived';
	return new NetworkError(`${what}: ${detail}`, {
		phase,
		mayHaveBeenSent: phase !== 'connect' && request.method.toUpperCase() !== 'GET',
		detail,
		...(code ? { transportCode: redact(code, secrets).slice(0, 64) } : {}),
		...(phase === 'timeout' && request.timeoutMs !== undefined
			? { timeoutMs: request.timeoutMs }
			: {}),
	});
}
