/**
 * The adaptive rate governor every attempt of an account goes through (pace.ts): a 429 sets one
 * shared pause for all, and a concurrency window and a learnt rate (rate.ts) keep the account
 * just under the server's limit without a configured rate. Time comes from the host only.
 */
import { isRefusal } from '../failures';
import type { RateGovernor, RateGovernorOutcome, RunStop } from './pace';
import { AdaptiveRate, MEASURE_WINDOW_MS } from './rate';

export interface AdaptiveRateGovernorOptions {
	sleep(ms: number): Promise<void>;
	now(): number;
	/** Hard upper bound on requests in flight. Default 16. */
	maxConcurrency?: number;
	/** Window at the start (slow start grows it by one per success). Default min(4, maxConcurrency). */
	initialConcurrency?: number;
	/** Optional hard cap on request starts per second (strict spacing). Default: none. */
	maxRequestsPerSecond?: number;
	/** Pause used when a 429 carries no usable Retry-After. Default 1000 ms. */
	defaultRetryAfterMs?: number;
	/** Longest shared pause honoured (a longer Retry-After is cut to this). Default 60 000 ms. */
	maxPauseMs?: number;
}

/** A snapshot of the governor's state, for runBulk, progress and benchmarks. */
export interface RateGovernorStatus {
	inFlight: number;
	waiting: number;
	/** Current concurrency window (its integer part is enforced). */
	concurrencyLimit: number;
	/** Current learnt rate in requests/s, or null before the server has throttled. */
	rateLimit: number | null;
	/** Shared "not before" instant on the host clock; <= now when not paused. */
	pausedUntil: number;
	/** 429 (and 503 + Retry-After) responses seen. */
	throttledResponses: number;
	/** Multiplicative decreases (throttle episodes). */
	decreases: number;
}

/** A governor that can report its state (runBulk holds new work during a pause). */
export interface ObservableRateGovernor extends RateGovernor {
	status(): RateGovernorStatus;
}

const WINDOW_DECREASE_FACTOR = 0.7;

function positiveNumber(value: unknown, name: string, fallback: number): number {
	if (value === undefined) return fallback;
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
		throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
	}
	return value;
}

export function positiveInteger(value: unknown, name: string, fallback: number): number {
	const n = positiveNumber(value, name, fallback);
	if (!Number.isInteger(n)) throw new RangeError(`${name} must be a whole number, got ${n}`);
	return n;
}

interface Waiter {
	resolve: () => void;
	reject: (error: unknown) => void;
	run?: RunStop;
}

export class AdaptiveRateGovernor implements ObservableRateGovernor {
	private readonly sleep: (ms: number) => Promise<void>;
	private readonly now: () => number;
	private readonly maxConcurrency: number;
	private readonly defaultRetryAfterMs: number;
	private readonly maxPauseMs: number;
	private readonly rate: AdaptiveRate;

	private readonly waiters: Waiter[] = [];
	private pumping = false;
	private slotFreed: (() => void) | undefined;

	private inFlight = 0;
	private window: number;
	private slowStart = true;
	private windowLimitedAt = Number.NEGATIVE_INFINITY;

	private pausedUntil = Number.NEGATIVE_INFINITY;
	/** Requests that were in flight when the current throttle episode began. */
	private staleInFlight = 0;
	private throttledResponses = 0;
	private decreases = 0;

	constructor(options: AdaptiveRateGovernorOptions) {
		if (!options || typeof options.sleep !== 'function' || typeof options.now !== 'function') {
			throw new TypeError('AdaptiveRateGovernor needs the host clock: { sleep(ms), now() }');
		}
		this.sleep = options.sleep;
		this.now = options.now;
		this.maxConcurrency = positiveInteger(options.maxConcurrency, 'maxConcurrency', 16);
		const initial = positiveInteger(
			options.initialConcurrency,
			'initialConcurrency',
			Math.min(4, this.maxConcurrency),
		);
		this.window = Math.min(initial, this.maxConcurrency);
		const cap =
			options.maxRequestsPerSecond === undefined
				? null
				: positiveNumber(options.maxRequestsPerSecond, 'maxRequestsPerSecond', 1);
		this.rate = new AdaptiveRate(cap === null ? null : 1000 / cap);
		this.defaultRetryAfterMs = positiveNumber(
			options.defaultRetryAfterMs,
			'defaultRetryAfterMs',
			1000,
		);
		this.maxPauseMs = positiveNumber(options.maxPauseMs, 'maxPauseMs', 60_000);
	}

	status(): RateGovernorStatus {
		return {
			inFlight: this.inFlight,
			waiting: this.waiters.length,
			concurrencyLimit: Math.floor(this.window),
			rateLimit: this.rate.value,
			pausedUntil: this.pausedUntil,
			throttledResponses: this.throttledResponses,
			decreases: this.decreases,
		};
	}

	acquire(run?: RunStop): Promise<void> {
		if (run?.stopped) return Promise.reject(run.stopError());
		return new Promise<void>((resolve, reject) => {
			if (!run) {
				this.waiters.push({ resolve, reject });
				this.pump();
				return;
			}
			// Stop ends the wait at once: the waiter leaves the queue, the slot is never taken.
			const waiter: Waiter = {
				run,
				resolve: () => {
					unsubscribe();
					resolve();
				},
				reject: (error) => {
					unsubscribe();
					reject(error);
				},
			};
			const unsubscribe = run.onStop(() => {
				const at = this.waiters.indexOf(waiter);
				if (at < 0) return;
				this.waiters.splice(at, 1);
				reject(run.stopError());
			});
			this.waiters.push(waiter);
			this.pump();
		});
	}

	/** True when nothing is in flight or waiting (the registry may forget an idle governor). */
	idle(): boolean {
		return this.inFlight === 0 && this.waiters.length === 0;
	}

	/** Always frees the slot, whatever the outcome: a caller releasing in `finally` never deadlocks. */
	release(outcome: RateGovernorOutcome): void {
		try {
			this.observe(outcome ?? {});
		} catch {
			// Observation must never keep a slot: fall through and free it.
		}
		if (this.inFlight > 0) this.inFlight--;
		if (this.staleInFlight > 0 && !isThrottle(outcome ?? {})) this.staleInFlight--;
		const wake = this.slotFreed;
		this.slotFreed = undefined;
		if (wake) wake();
	}

	private observe(outcome: RateGovernorOutcome): void {
		const now = this.now();
		if (isThrottle(outcome)) {
			this.onThrottle(now, outcome.retryAfterMs);
			return;
		}
		if (outcome.status === undefined || outcome.status >= 500) return;
		this.rate.onServed(now);
		// The window grows only while it is what holds requests back.
		if (now - this.windowLimitedAt <= MEASURE_WINDOW_MS && this.window < this.maxConcurrency) {
			this.window = Math.min(
				this.maxConcurrency,
				this.window + (this.slowStart ? 1 : 1 / Math.max(1, this.window)),
			);
		}
	}

	private onThrottle(now: number, retryAfterMs: number | undefined): void {
		this.throttledResponses++;
		const delay =
			retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0
				? retryAfterMs
				: this.defaultRetryAfterMs;
		const until = now + Math.min(delay, this.maxPauseMs);
		const inEpisode = this.staleInFlight > 0 || now < this.pausedUntil;
		if (until > this.pausedUntil) this.pausedUntil = until;
		if (inEpisode) {
			// A request sent before this episode began: extend the pause, don't decrease again.
			if (this.staleInFlight > 0) this.staleInFlight--;
			return;
		}
		this.decreases++;
		// Everything else in flight was sent before the server told us to slow down.
		this.staleInFlight = Math.max(0, this.inFlight - 1);
		this.slowStart = false;
		this.window = Math.max(1, this.window * WINDOW_DECREASE_FACTOR);
		this.rate.onThrottle(now);
	}

	private pump(): void {
		if (this.pumping) return;
		this.pumping = true;
		this.drain().then(
			() => {
				this.pumping = false;
				if (this.waiters.length > 0) this.pump();
			},
			(error: unknown) => {
				// The host's sleep failed: fail the waiting callers rather than leave them hanging.
				this.pumping = false;
				const failed = this.waiters.splice(0, this.waiters.length);
				for (const waiter of failed) waiter.reject(error);
			},
		);
	}

	private async drain(): Promise<void> {
		while (this.waiters.length > 0) {
			const now = this.now();
			if (now < this.pausedUntil) {
				// A pause is the server refusing: waiters whose run cannot afford it are not sent;
				// the others' runs are charged for it.
				this.dropWaitersPast(this.pausedUntil, now);
				if (this.waiters.length === 0) break;
				for (const waiter of this.waiters) waiter.run?.chargeWait(this.pausedUntil - now);
				await this.sleep(Math.ceil(this.pausedUntil - now));
				continue;
			}
			if (this.inFlight >= Math.floor(this.window)) {
				this.windowLimitedAt = now;
				await new Promise<void>((resolve) => {
					this.slotFreed = resolve;
				});
				continue;
			}
			this.dropWaitersPast(now, now);
			if (this.waiters.length === 0) break;
			const wait = this.rate.waitMs(now);
			if (wait > 0) {
				await this.sleep(Math.ceil(wait));
				continue;
			}
			this.grant(now);
		}
	}

	/** Rejects the waiters whose run's budget is spent or cannot cover waiting until `instant`. */
	private dropWaitersPast(instant: number, now: number): void {
		for (let i = this.waiters.length - 1; i >= 0; i--) {
			const run = this.waiters[i].run;
			if (run && (run.expired || run.exceedsBudget(instant - now))) {
				const [waiter] = this.waiters.splice(i, 1);
				waiter.reject(run.budgetError(Math.ceil(instant - now)));
			}
		}
	}

	private grant(now: number): void {
		this.rate.onGrant(now);
		this.inFlight++;
		const waiter = this.waiters.shift();
		if (waiter) waiter.resolve();
	}
}

function isThrottle(outcome: RateGovernorOutcome): boolean {
	return isRefusal(outcome.status, outcome.retryAfterMs);
}
