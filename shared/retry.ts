/**
 * The retry layer and its policy, the only place that decides whether a request is repeated:
 * throttles after the server's delay, other failures with backoff, and never a POST that may
 * have been processed (the error's mayHaveBeenSent, decided in failures.ts).
 */
import { IntelliPortalError, NetworkError, RateLimitError, ServerError } from './errors';
import type { ThrottleGiveUp } from './errors';
import { isThrottle } from './failures';
import type { Layer } from './send';

export interface RetryPolicy {
	/** Including the first. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** Longest Retry-After honoured. */
	maxRetryAfterMs: number;
	/** For a 429 without Retry-After. */
	defaultRetryAfterMs: number;
	/** In [0, 1), for jitter. */
	random: () => number;
	/**
	 * Retry-After one request may wait out apart from `maxAttempts` (paced runs, where a 429 is the
	 * pacing working). Undefined: throttles count as attempts, so an interactive call fails fast.
	 */
	throttleBudgetMs?: number;
}

/** Per item. */
export const PACED_THROTTLE_BUDGET_MS = 600_000;

// A shorter Retry-After ("0") counts against maxAttempts: a server answering it forever would
// otherwise be retried without end.
const MIN_PACED_RETRY_AFTER_MS = 1_000;

const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
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

function resolveRetryPolicy(partial: Partial<RetryPolicy> = {}): RetryPolicy {
	const d = DEFAULT_RETRY_POLICY;
	return {
		maxAttempts: Math.floor(count(partial.maxAttempts, d.maxAttempts, 1)),
		baseDelayMs: count(partial.baseDelayMs, d.baseDelayMs, 0),
		maxDelayMs: count(partial.maxDelayMs, d.maxDelayMs, 0),
		maxRetryAfterMs: count(partial.maxRetryAfterMs, d.maxRetryAfterMs, 0),
		defaultRetryAfterMs: count(partial.defaultRetryAfterMs, d.defaultRetryAfterMs, 0),
		random: typeof partial.random === 'function' ? partial.random : d.random,
		...(partial.throttleBudgetMs !== undefined &&
		Number.isFinite(partial.throttleBudgetMs) &&
		partial.throttleBudgetMs >= 0
			? { throttleBudgetMs: partial.throttleBudgetMs }
			: {}),
	};
}

/** "Equal jitter" before retry n (1 = the first): half the exponential step, plus a random half. */
function backoffDelay(retryNumber: number, policy: RetryPolicy): number {
	const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
	const r = Math.min(Math.max(policy.random(), 0), 1);
	return Math.round(step * (0.5 + 0.5 * r));
}

export interface RetryInput {
	method: string;
	/** Including the one that just failed. */
	attempt: number;
	error: IntelliPortalError;
	policy: RetryPolicy;
	/** Paced throttles so far (retried with `free: true`), not counted against `maxAttempts`. */
	freeAttempts?: number;
	throttleWaitedMs?: number;
}

export type RetryDecision =
	/** `free`: a paced throttle, which does not use up one of `maxAttempts`. */
	| { retry: true; delayMs: number; reason: string; free?: boolean }
	| { retry: false; error: IntelliPortalError };

/** The same throttle, with why this client gave up (the hosts word it). */
function throttleFailure(
	error: RateLimitError | ServerError,
	retryAfterMs: number,
	gaveUp: ThrottleGiveUp,
): RateLimitError | ServerError {
	const { code, httpStatus, details } = error;
	const options = { code, httpStatus, details, retryAfterMs, gaveUp };
	return error instanceof RateLimitError
		? new RateLimitError(error.message, options)
		: new ServerError(error.message, { ...options, retryable: true });
}

export function decideRetry({
	method,
	attempt,
	error,
	policy,
	freeAttempts = 0,
	throttleWaitedMs = 0,
}: RetryInput): RetryDecision {
	// Repeating is harmless for an idempotent method, or when nothing of the request was processed.
	const repeatable = method.toUpperCase() !== 'POST' || !error.mayHaveBeenSent;
	const budget = policy.throttleBudgetMs;
	const attemptsLeft = Math.max(0, attempt - freeAttempts) < policy.maxAttempts;

	const serverWait = (throttle: RateLimitError | ServerError, reason: string): RetryDecision => {
		const wait = throttle.retryAfterMs ?? policy.defaultRetryAfterMs;
		if (wait > policy.maxRetryAfterMs) {
			const gaveUp = { reason: 'wait_too_long' as const, limitMs: policy.maxRetryAfterMs };
			return { retry: false, error: throttleFailure(throttle, wait, gaveUp) };
		}
		if (budget === undefined || wait < MIN_PACED_RETRY_AFTER_MS) {
			return attemptsLeft ? { retry: true, delayMs: wait, reason } : { retry: false, error };
		}
		if (throttleWaitedMs + wait <= budget)
			return { retry: true, delayMs: wait, reason, free: true };
		const gaveUp = {
			reason: 'kept_refusing' as const,
			waitedMs: throttleWaitedMs,
			attempts: attempt,
		};
		return { retry: false, error: throttleFailure(throttle, wait, gaveUp) };
	};

	if (isThrottle(error)) {
		return serverWait(
			error,
			error instanceof RateLimitError
				? 'rate limited (429)'
				: 'service unavailable (503 with Retry-After)',
		);
	}
	if (!attemptsLeft || !repeatable) return { retry: false, error };
	const reason =
		error instanceof NetworkError
			? `network error (${error.phase})`
			: error instanceof ServerError && (error.httpStatus ?? 0) >= 500
				? `server error (${error.httpStatus})`
				: undefined;
	if (reason === undefined) return { retry: false, error };
	return { retry: true, delayMs: backoffDelay(attempt, policy), reason };
}

export interface RetryOptions {
	/** The host's sleep, or a run's wait that also ends on Stop. */
	wait: (ms: number, after: IntelliPortalError) => Promise<void>;
	policy?: Partial<RetryPolicy>;
}

export function withRetry({ wait, policy }: RetryOptions): Layer {
	const resolved = resolveRetryPolicy(policy);
	return (next) => async (request) => {
		let freeAttempts = 0;
		let throttleWaitedMs = 0;
		for (let attempt = 1; ; attempt++) {
			const outcome = await next(request).then(
				(answer) => ({ answer }),
				(error: unknown) => ({ error }),
			);
			if ('answer' in outcome) return outcome.answer;
			const { error } = outcome;
			if (!(error instanceof IntelliPortalError)) throw error;
			const decision = decideRetry({
				method: request.method,
				attempt,
				error,
				policy: resolved,
				freeAttempts,
				throttleWaitedMs,
			});
			if (!decision.retry) throw decision.error;
			if (decision.free) {
				freeAttempts++;
				throttleWaitedMs += decision.delayMs;
			}
			await wait(decision.delayMs, error);
		}
	};
}
