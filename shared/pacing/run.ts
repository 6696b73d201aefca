/**
 * One bulk run's limits: a wait budget for the whole run and the host's Stop.
 *
 * - **Wait budget** (`waitBudgetMs`, from the run's start on the host clock): a run against an
 *   API that keeps refusing (429) ends by `deadline`. A throttled request is retried only when
 *   the server's Retry-After ends before the deadline; an item not started by then is not
 *   started. Both end as "not sent, rate-limited, retryable" (a RateLimitError with code
 *   `wait_budget_spent`), so the run makes about N + budget / Retry-After requests at most.
 * - **Stop** (`stop()`, or an AbortSignal-like `signal` from the host): no new item or retry
 *   starts, every wait (pacing, Retry-After, backoff) ends at once, a request in flight ends as
 *   may-have-been-sent unless its answer arrives first, and items never started report
 *   CancelledError ("not sent").
 *
 * Time comes from the host clock; the file uses no timers.
 */
import { CancelledError, RateLimitError } from '../errors';
import type { RunStop } from './governor';

/** A minimal AbortSignal shape (the shipped code has no DOM/Node types). */
export interface AbortSignalLike {
	readonly aborted: boolean;
	addEventListener?(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
	removeEventListener?(type: 'abort', listener: () => void): void;
}

export interface RunControlOptions {
	now: () => number;
	/** Total time the run may take while waiting on the server; default: no limit. */
	waitBudgetMs?: number;
	/** The host's cancel signal (n8n: the execution's). */
	signal?: AbortSignalLike;
}

export const STOPPED_MESSAGE = 'The run was stopped before this message was sent; it was not sent.';

export class RunControl implements RunStop {
	readonly startedAt: number;
	/** Host-clock instant after which nothing new starts; Infinity without a budget. */
	readonly deadline: number;
	readonly waitBudgetMs: number | undefined;
	private readonly now: () => number;
	private readonly listeners = new Set<() => void>();
	private isStopped = false;

	constructor(options: RunControlOptions) {
		this.now = options.now;
		this.startedAt = options.now();
		const budget = options.waitBudgetMs;
		if (budget !== undefined && !(typeof budget === 'number' && budget >= 0)) {
			throw new RangeError(`waitBudgetMs must be 0 or more, got ${String(budget)}`);
		}
		this.waitBudgetMs = budget;
		this.deadline = budget === undefined ? Number.POSITIVE_INFINITY : this.startedAt + budget;
		const signal = options.signal;
		if (signal) {
			if (signal.aborted) this.isStopped = true;
			else signal.addEventListener?.('abort', () => this.stop(), { once: true });
		}
	}

	/** Also polled: a host signal without addEventListener is noticed at the next check. */
	get stopped(): boolean {
		return this.isStopped;
	}

	/** Stops the run; listeners run once. */
	stop(): void {
		if (this.isStopped) return;
		this.isStopped = true;
		const listeners = [...this.listeners];
		this.listeners.clear();
		for (const listener of listeners) {
			try {
				listener();
			} catch {
				// One listener's failure must not keep the others from stopping.
			}
		}
	}

	onStop(listener: () => void): () => void {
		if (this.isStopped) {
			listener();
			return () => undefined;
		}
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** A promise that resolves when the run stops (never rejects). */
	whenStopped(): { promise: Promise<void>; cancel: () => void } {
		let cancel: () => void = () => undefined;
		const promise = new Promise<void>((resolve) => {
			cancel = this.onStop(resolve);
		});
		return { promise, cancel };
	}

	/** True when `ms` more of waiting would end after the deadline. */
	exceedsBudget(ms: number): boolean {
		return this.now() + Math.max(0, ms) > this.deadline;
	}

	get expired(): boolean {
		return this.now() >= this.deadline;
	}

	/** Sleeps on the host clock; resolves early with false when the run stops. */
	async wait(sleep: (ms: number) => Promise<void>, ms: number): Promise<boolean> {
		if (this.isStopped) return false;
		const stopped = this.whenStopped();
		try {
			const outcome = await Promise.race([
				sleep(ms).then(() => true),
				stopped.promise.then(() => false),
			]);
			return outcome && !this.isStopped;
		} finally {
			stopped.cancel();
		}
	}

	stopError(): CancelledError {
		return new CancelledError(STOPPED_MESSAGE);
	}

	/** The error of an item the budget left unsent (never started, or not retried in time). */
	budgetError(retryAfterMs?: number): RateLimitError {
		const minutes = (this.waitBudgetMs ?? 0) / 60_000;
		const budget =
			minutes >= 1
				? `${Math.round(minutes * 10) / 10} min`
				: `${Math.round((this.waitBudgetMs ?? 0) / 1000)} s`;
		return new RateLimitError(
			`Not sent: the API kept rate-limiting the run and its wait budget (${budget}) was spent. Nothing was sent for this item; it can be sent again later.`,
			{
				code: 'wait_budget_spent',
				mayHaveBeenSent: false,
				...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
			},
		);
	}
}
