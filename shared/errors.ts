/**
 * Typed errors of the core. None of them ever holds the API key, the Authorization header or the
 * raw request: messages and details are built from redacted text only, and no `cause` is kept.
 */
import { headerValue } from './http';
import { redact, redactValue } from './redact';
import { TransportFailure } from './transport';
import type { TransportFailurePhase } from './transport';

export type ErrorKind =
	| 'validation'
	| 'authentication'
	| 'not_found'
	| 'conflict'
	| 'rate_limit'
	| 'server'
	| 'network'
	| 'configuration'
	| 'cancelled';

export interface IntelliPortalErrorOptions {
	/** Machine-readable code (the server's `error.code` when it sent one). */
	code?: string;
	httpStatus?: number;
	retryable?: boolean;
	mayHaveBeenSent?: boolean;
	details?: Record<string, unknown>;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export class IntelliPortalError extends Error {
	readonly kind: ErrorKind = 'server';
	readonly code: string;
	readonly httpStatus?: number;
	/** Whether trying again later can succeed. */
	readonly retryable: boolean;
	/** True when the request may have been processed although it failed (do not blindly resend). */
	readonly mayHaveBeenSent: boolean;
	readonly details?: Record<string, unknown>;

	constructor(message: string, options: IntelliPortalErrorOptions = {}) {
		super(redact(message));
		this.name = new.target.name;
		this.code = redact(options.code ?? 'intelliportal_error');
		if (options.httpStatus !== undefined) this.httpStatus = options.httpStatus;
		this.retryable = options.retryable ?? false;
		this.mayHaveBeenSent = options.mayHaveBeenSent ?? false;
		if (options.details !== undefined) {
			this.details = redactValue(options.details) as Record<string, unknown>;
		}
	}

	toJSON(): Record<string, unknown> {
		const out: Record<string, unknown> = {
			name: this.name,
			kind: this.kind,
			code: this.code,
			message: this.message,
			retryable: this.retryable,
			mayHaveBeenSent: this.mayHaveBeenSent,
		};
		if (this.httpStatus !== undefined) out.httpStatus = this.httpStatus;
		if (this.details !== undefined) out.details = this.details;
		return out;
	}

	/** util.inspect / console.log show exactly the safe JSON form plus the stack. */
	[INSPECT](): string {
		return `${this.stack ?? `${this.name}: ${this.message}`}\n${JSON.stringify(this.toJSON(), null, 2)}`;
	}
}

export interface ValidationIssue {
	/** Field path, e.g. `text.body`, `template.parameters[2]`, `limit`. */
	field: string;
	message: string;
}

/** Bad input, found before any request (client-side) or reported by the server (400). */
export class ValidationError extends IntelliPortalError {
	override readonly kind = 'validation';
	/** Path of the (first) offending field, when known. */
	readonly field?: string;
	readonly issues: ValidationIssue[];

	constructor(
		message: string,
		options: IntelliPortalErrorOptions & { field?: string; issues?: ValidationIssue[] } = {},
	) {
		super(message, { code: 'validation_error', ...options });
		this.issues = (options.issues ?? []).map((issue) => ({
			field: redact(issue.field),
			message: redact(issue.message),
		}));
		const field = options.field ?? this.issues[0]?.field;
		if (field !== undefined) this.field = redact(field);
	}

	/** One issue → `field message`; several → a numbered summary. */
	static fromIssues(issues: ValidationIssue[]): ValidationError {
		const message =
			issues.length === 1
				? `${issues[0].field}: ${issues[0].message}`
				: `${issues.length} problems: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`;
		return new ValidationError(message, { issues });
	}

	override toJSON(): Record<string, unknown> {
		const out = super.toJSON();
		if (this.field !== undefined) out.field = this.field;
		if (this.issues.length > 0) out.issues = this.issues;
		return out;
	}
}

/** 401/403: the key was refused. */
export class AuthenticationError extends IntelliPortalError {
	override readonly kind = 'authentication';
}

/** 404, e.g. an unknown template. */
export class NotFoundError extends IntelliPortalError {
	override readonly kind = 'not_found';
}

/** 409, e.g. a client that already exists. */
export class ConflictError extends IntelliPortalError {
	override readonly kind = 'conflict';
}

/** 429 (after the retries allowed by the policy). */
export class RateLimitError extends IntelliPortalError {
	override readonly kind = 'rate_limit';
	/** How long the server asked to wait, when it said. */
	readonly retryAfterMs?: number;

	constructor(
		message: string,
		options: IntelliPortalErrorOptions & { retryAfterMs?: number } = {},
	) {
		super(message, { code: 'rate_limited', retryable: true, ...options });
		if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
	}

	override toJSON(): Record<string, unknown> {
		const out = super.toJSON();
		if (this.retryAfterMs !== undefined) out.retryAfterMs = this.retryAfterMs;
		return out;
	}
}

/** 5xx, or a response that does not fit the contract. */
export class ServerError extends IntelliPortalError {
	override readonly kind = 'server';
	readonly retryAfterMs?: number;

	constructor(
		message: string,
		options: IntelliPortalErrorOptions & { retryAfterMs?: number } = {},
	) {
		super(message, { code: 'server_error', ...options });
		if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
	}

	override toJSON(): Record<string, unknown> {
		const out = super.toJSON();
		if (this.retryAfterMs !== undefined) out.retryAfterMs = this.retryAfterMs;
		return out;
	}
}

/** No HTTP response at all: the facts a host words its message from. */
export class NetworkError extends IntelliPortalError {
	override readonly kind = 'network';
	readonly timedOut: boolean;
	readonly phase: TransportFailurePhase;
	/** The transport's error code (ECONNREFUSED, ETIMEDOUT, RUN_STOPPED…), when it had one. */
	readonly transportCode?: string;
	/** The request's timeout, for a timeout. */
	readonly timeoutMs?: number;
	/** The transport's own (redacted) description of the failure. */
	readonly detail: string;

	constructor(
		message: string,
		options: IntelliPortalErrorOptions & {
			phase: TransportFailurePhase;
			timedOut?: boolean;
			transportCode?: string;
			timeoutMs?: number;
			detail?: string;
		},
	) {
		super(message, { code: 'network_error', retryable: true, ...options });
		this.phase = options.phase;
		this.timedOut = options.timedOut ?? options.phase === 'timeout';
		if (options.transportCode !== undefined) this.transportCode = redact(options.transportCode);
		if (options.timeoutMs !== undefined) this.timeoutMs = options.timeoutMs;
		this.detail = redact(options.detail ?? this.message);
	}

	override toJSON(): Record<string, unknown> {
		const out = { ...super.toJSON(), phase: this.phase, timedOut: this.timedOut };
		return this.transportCode === undefined ? out : { ...out, transportCode: this.transportCode };
	}
}

/**
 * The run was stopped (Stop pressed, or the host cancelled it) before this request was sent, or
 * while it waited to be retried after a refusal: nothing of it was processed, sending it again
 * later is safe.
 */
export class CancelledError extends IntelliPortalError {
	override readonly kind = 'cancelled';

	constructor(message: string, options: IntelliPortalErrorOptions = {}) {
		super(message, { code: 'cancelled', retryable: true, mayHaveBeenSent: false, ...options });
	}
}

/** Bad client configuration: key prefix, environment, base URL. */
export class ConfigurationError extends IntelliPortalError {
	override readonly kind = 'configuration';
	readonly field?: string;

	constructor(message: string, options: IntelliPortalErrorOptions & { field?: string } = {}) {
		super(message, { code: 'configuration_error', ...options });
		if (options.field !== undefined) this.field = options.field;
	}

	override toJSON(): Record<string, unknown> {
		const out = super.toJSON();
		if (this.field !== undefined) out.field = this.field;
		return out;
	}
}

/**
 * A response that refused the request without processing it and said when to come back: 429, or
 * 503 with Retry-After. (A wait budget's RateLimitError has no status: it is not a throttle.)
 */
export function isThrottle(error: unknown): error is RateLimitError | ServerError {
	if (!(error instanceof RateLimitError || error instanceof ServerError)) return false;
	return error.httpStatus === 429 || (error.httpStatus === 503 && error.retryAfterMs !== undefined);
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
		const refused = status === 503 && retryAfterMs !== undefined;
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
