/**
 * Typed errors of the core. None holds the API key, the Authorization header or the raw request:
 * messages and details are redacted text only, and no `cause` is kept.
 */
import { redact, redactValue } from './redact';
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
	/** The server's `error.code` when it sent one. */
	code?: string;
	httpStatus?: number;
	retryable?: boolean;
	/** The request may have been processed although it failed: never resend it blindly. */
	mayHaveBeenSent?: boolean;
	details?: Record<string, unknown>;
	retryAfterMs?: number;
	field?: string;
	gaveUp?: ThrottleGiveUp;
}

/** Why the retry layer stopped waiting out a throttle; hosts word it for their users. */
export type ThrottleGiveUp =
	| { reason: 'wait_too_long'; limitMs: number }
	| { reason: 'kept_refusing'; waitedMs: number; attempts: number };

const INSPECT = Symbol.for('nodejs.util.inspect.custom');
// The subclasses' facts, serialized when present.
const OPTIONAL_JSON =
	'httpStatus details retryAfterMs gaveUp field phase timedOut transportCode'.split(' ');

export class IntelliPortalError extends Error {
	readonly kind: ErrorKind = 'server';
	readonly code: string;
	readonly httpStatus?: number;
	readonly retryable: boolean;
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
		const { name, kind, code, message, retryable, mayHaveBeenSent } = this;
		const out: Record<string, unknown> = { name, kind, code, message, retryable, mayHaveBeenSent };
		const self = this as unknown as Record<string, unknown>;
		for (const key of OPTIONAL_JSON) if (self[key] !== undefined) out[key] = self[key];
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
		options: IntelliPortalErrorOptions & { issues?: ValidationIssue[] } = {},
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
		const list = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
		return new ValidationError(issues.length === 1 ? list : `${issues.length} problems: ${list}`, {
			issues,
		});
	}

	override toJSON(): Record<string, unknown> {
		return this.issues.length > 0 ? { ...super.toJSON(), issues: this.issues } : super.toJSON();
	}
}

/** 401/403: the key was refused. */
export class AuthenticationError extends IntelliPortalError {
	override readonly kind = 'authentication';
}

export class NotFoundError extends IntelliPortalError {
	override readonly kind = 'not_found';
}

export class ConflictError extends IntelliPortalError {
	override readonly kind = 'conflict';
}

/** 429 after the retries the policy allows, or a spent wait budget (no status then). */
export class RateLimitError extends IntelliPortalError {
	override readonly kind = 'rate_limit';
	/** How long the server asked to wait, when it said. */
	readonly retryAfterMs?: number;
	readonly gaveUp?: ThrottleGiveUp;

	constructor(message: string, options: IntelliPortalErrorOptions = {}) {
		super(message, { code: 'rate_limited', retryable: true, ...options });
		if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
		if (options.gaveUp !== undefined) this.gaveUp = options.gaveUp;
	}
}

/** 5xx, or a response that does not fit the contract. */
export class ServerError extends IntelliPortalError {
	override readonly kind = 'server';
	readonly retryAfterMs?: number;
	readonly gaveUp?: ThrottleGiveUp;

	constructor(message: string, options: IntelliPortalErrorOptions = {}) {
		super(message, { code: 'server_error', ...options });
		if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
		if (options.gaveUp !== undefined) this.gaveUp = options.gaveUp;
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
}

/**
 * The run was stopped before this request was sent, or while it waited to be retried after a
 * refusal: nothing of it was processed, sending it again later is safe.
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

	constructor(message: string, options: IntelliPortalErrorOptions = {}) {
		super(message, { code: 'configuration_error', ...options });
		if (options.field !== undefined) this.field = options.field;
	}
}
