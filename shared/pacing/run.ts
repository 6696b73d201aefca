/**
 * One bulk run's wait budget (time held by the server's refusals, each instant counted once) and
 * its Stop, on the host clock. The run reaches the request chain in three places: the governor's
 * queue (acquire), the retry layer's waits (retryWait) and each attempt (withRunControl).
 */
import { CancelledError, IntelliPortalError, RateLimitError } from '../errors';
import { isThrottle, networkError } from '../failures';
import type { Layer } from '../send';
import { TransportFailure } from '../transport';
import type { RunStop } from './pace';

/** A minimal AbortSignal shape (the shipped code has no DOM/Node types). */
export interface AbortSignalLike {
	readonly aborted: boolean;
	addEventListener?(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
}

export interface RunControlOptions {
	now: () => number;
	/** Total time the run may spend held by the server's refusals; default: no limit. */
	waitBudgetMs?: number;
	/** The host's cancel signal (n8n: the execution's). */
	signal?: AbortSignalLike;
}

const STOPPED_MESSAGE = 'The run was stopped before this request was sent';

export class RunControl implements RunStop {
	readonly waitBudgetMs: number | undefined;
	private readonly now: () => number;
	private readonly listeners = new Set<() => void>();
	private isStopped = false;
	/** Time charged to the budget so far, and the host-clock instant it covers up to. */
	private waited = 0;
	private chargedUntil = Number.NEGATIVE_INFINITY;

	constructor(options: RunControlOptions) {
		this.now = options.now;
		const budget = options.waitBudgetMs;
		if (budget !== undefined && !(typeof budget === 'number' && budget >= 0)) {
			throw new RangeError(`waitBudgetMs must be 0 or more, got ${String(budget)}`);
		}
		this.waitBudgetMs = budget;
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

	/** Time charged to the wait budget so far. */
	get waitedMs(): number {
		return this.waited;
	}

	/** The part of a wait of `ms` from now not charged yet (waits overlap: each instant counts once). */
	private unchargedPart(ms: number): number {
		const now = this.now();
		const end = now + Math.max(0, ms);
		return Math.max(0, end - Math.max(now, this.chargedUntil));
	}

	/** True when waiting `ms` more on a refusal would spend more than the budget. */
	exceedsBudget(ms: number): boolean {
		if (this.waitBudgetMs === undefined) return false;
		return this.waited + this.unchargedPart(ms) > this.waitBudgetMs;
	}

	/** Charges a wait of `ms` from now on a refusal to the budget (overlaps counted once). */
	chargeWait(ms: number): void {
		const part = this.unchargedPart(ms);
		if (part <= 0) return;
		this.waited += part;
		this.chargedUntil = this.now() + Math.max(0, ms);
	}

	/** Charges the time since `instant` (a refused request's flight) to the budget, once. */
	chargeSince(instant: number): void {
		const now = this.now();
		const part = now - Math.max(instant, this.chargedUntil);
		if (part <= 0) return;
		this.waited += part;
		this.chargedUntil = now;
	}

	/** The host clock the run is measured on. */
	time(): number {
		return this.now();
	}

	/** The budget is spent: nothing new starts. (A budget of 0 is spent by the first refusal.) */
	get expired(): boolean {
		return this.waitBudgetMs !== undefined && this.waited > 0 && this.waited >= this.waitBudgetMs;
	}

	/**
	 * The retry layer's wait in this run: it ends at once on Stop, and a wait on a refusal must fit
	 * in the budget, which it is charged to.
	 */
	retryWait(sleep: (ms: number) => Promise<void>) {
		return async (ms: number, after: IntelliPortalError): Promise<void> => {
			// Stopped: a refused or unsent request was not sent; one that may have been keeps its error.
			if (this.isStopped)
				throw isThrottle(after) || !after.mayHaveBeenSent ? this.stopError() : after;
			if (isThrottle(after)) {
				if (this.exceedsBudget(ms)) throw this.budgetError(ms);
				this.chargeWait(ms);
			}
			if (!(await this.wait(sleep, ms))) throw this.stopError();
		};
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
			`The API kept rate-limiting the run until its wait budget (${budget}) was spent`,
			{
				code: 'wait_budget_spent',
				mayHaveBeenSent: false,
				...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
			},
		);
	}
}

/**
 * Run control around each attempt: nothing starts once the run is stopped, Stop ends a request in
 * flight as may-have-been-sent unless its answer comes first, and a refused attempt's flight is
 * charged to the wait budget.
 */
export function withRunControl(run: RunControl): Layer {
	return (next) => async (request) => {
		if (run.stopped) throw run.stopError();
		const startedAt = run.time();
		const stopped = run.whenStopped();
		const attempt = next(request);
		// Once the race is decided, the attempt's own outcome no longer matters.
		attempt.catch(() => undefined);
		const inFlightStopped = stopped.promise.then(() => {
			const failure = new TransportFailure('the run was stopped while the request was in flight', {
				phase: 'response',
				code: 'RUN_STOPPED',
			});
			return Promise.reject(networkError(failure, request));
		});
		try {
			return await Promise.race([attempt, inFlightStopped]).catch((error: unknown) => {
				if (isThrottle(error)) run.chargeSince(startedAt);
				return Promise.reject(error);
			});
		} finally {
			stopped.cancel();
		}
	};
}
