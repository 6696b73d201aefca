/**
 * Every retry rule of the core, in one place, as a pure function.
 *
 * - 429, and 503 with Retry-After: retried after the server's delay (any method: the server
 *   refused the request, it was not processed), up to `maxAttempts`. A Retry-After longer than
 *   `maxRetryAfterMs` is not waited for: the call fails at once with a RateLimitError/ServerError
 *   saying how long the server asked to wait.
 * - GET/PUT/DELETE (idempotent): retried with exponential backoff + jitter on 5xx and on network
 *   errors of every phase.
 * - POST after a 5xx or an ambiguous network error (`phase` 'timeout' or 'response'): NOT
 *   retried; it may have been processed and a retry could message a customer twice.
 * - Any method after a 'connect' failure: retried with backoff (the request never left).
 * - Everything else (4xx, validation, configuration): never retried.
 */
import { IntelliPortalError, NetworkError, RateLimitError, ServerError } from './errors';

export interface RetryPolicy {
	/** Total attempts including the first. Default 4. */
	maxAttempts: number;
	/** First backoff step. Default 500 ms. */
	baseDelayMs: number;
	/** Largest backoff step. Default 8 000 ms. */
	maxDelayMs: number;
	/** Longest server-requested wait (Retry-After) honoured. Default 60 000 ms. */
	maxRetryAfterMs: number;
	/** Delay used for a 429 without Retry-After. Default 1 000 ms. */
	defaultRetryAfterMs: number;
	/** Random source in [0, 1) for jitter (injectable for tests). Default Math.random. */
	random: () => number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
	maxAttempts: 4,
	baseDelayMs: 500,
	maxDelayMs: 8_000,
	maxRetryAfterMs: 60_000,
	defaultRetryAfterMs: 1_000,
	random: () => Math.random(),
});

function count(value: unknown, fallback: number, min: number): number {
	return typeof value === 'number' && Number.isFinite(value) && value >= min ? value : fallback;
}

/** Fills in defaults and ignores nonsense values (negative, NaN). */
export function resolveRetryPolicy(partial: Partial<RetryPolicy> = {}): RetryPolicy {
	const d = DEFAULT_RETRY_POLICY;
	return {
		maxAttempts: Math.floor(count(partial.maxAttempts, d.maxAttempts, 1)),
		baseDelayMs: count(partial.baseDelayMs, d.baseDelayMs, 0),
		maxDelayMs: count(partial.maxDelayMs, d.maxDelayMs, 0),
		maxRetryAfterMs: count(partial.maxRetryAfterMs, d.maxRetryAfterMs, 0),
		defaultRetryAfterMs: count(partial.defaultRetryAfterMs, d.defaultRetryAfterMs, 0),
		random: typeof partial.random === 'function' ? partial.random : d.random,
	};
}

/**
 * Backoff before retry n (n = 1 for the first retry): "equal jitter", i.e. half the exponential
 * step plus a random part of the other half: step * (0.5 + 0.5 * random), step = min(max, base * 2^(n-1)).
 */
export function backoffDelay(retryNumber: number, policy: RetryPolicy): number {
	const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
	const r = Math.min(Math.max(policy.random(), 0), 1);
	return Math.round(step * (0.5 + 0.5 * r));
}

export interface RetryInput {
	method: string;
	/** Attempts made so far, including the one that just failed (1 after the first). */
	attempt: number;
	error: IntelliPortalError;
	policy: RetryPolicy;
}

export type RetryDecision =
	| { retry: true; delayMs: number; reason: string }
	| { retry: false; error: IntelliPortalError };

export function decideRetry({ method, attempt, error, policy }: RetryInput): RetryDecision {
	const upper = method.toUpperCase();
	const idempotent = upper !== 'POST';
	const attemptsLeft = attempt < policy.maxAttempts;

	const serverWait = (retryAfterMs: number | undefined, reason: string): RetryDecision => {
		const wait = retryAfterMs ?? policy.defaultRetryAfterMs;
		if (wait > policy.maxRetryAfterMs) {
			const seconds = Math.ceil(wait / 1000);
			const message = `${error.message} The server asked to wait ${seconds} s, longer than the ${Math.round(policy.maxRetryAfterMs / 1000)} s this client waits; try again in ${seconds} s.`;
			const longer =
				error instanceof RateLimitError
					? new RateLimitError(message, {
							code: error.code,
							httpStatus: error.httpStatus,
							details: error.details,
							retryAfterMs: wait,
						})
					: new ServerError(message, {
							code: error.code,
							httpStatus: error.httpStatus,
							details: error.details,
							retryable: true,
							retryAfterMs: wait,
						});
			return { retry: false, error: longer };
		}
		return attemptsLeft ? { retry: true, delayMs: wait, reason } : { retry: false, error };
	};

	if (error instanceof RateLimitError) return serverWait(error.retryAfterMs, 'rate limited (429)');
	if (
		error instanceof ServerError &&
		error.httpStatus === 503 &&
		error.retryAfterMs !== undefined
	) {
		return serverWait(error.retryAfterMs, 'service unavailable (503 with Retry-After)');
	}
	if (!attemptsLeft) return { retry: false, error };
	if (error instanceof NetworkError) {
		if (error.phase === 'connect' || idempotent) {
			return {
				retry: true,
				delayMs: backoffDelay(attempt, policy),
				reason: `network error (${error.phase})`,
			};
		}
		return { retry: false, error };
	}
	if (
		error instanceof ServerError &&
		error.httpStatus !== undefined &&
		error.httpStatus >= 500 &&
		idempotent
	) {
		return {
			retry: true,
			delayMs: backoffDelay(attempt, policy),
			reason: `server error (${error.httpStatus})`,
		};
	}
	return { retry: false, error };
}
