/**
 * The shared, adaptive rate governor that the client consults around every HTTP attempt.
 *
 * Time comes only from the host (`sleep`, `now`), so this file uses no timers of its own and runs
 * unchanged inside n8n, Zapier, scripts and tests with a fake clock.
 *
 * ## The algorithm (AdaptiveRateGovernor)
 *
 * Every HTTP attempt holds a slot from `acquire()` until `release(outcome)`. A slot is granted
 * when all of these hold, first come first served:
 *
 * 1. **Shared pause.** `now >= pausedUntil`. A 429 (or a 503 with Retry-After) sets one shared
 *    "not before" instant, `now + Retry-After` (the server's delay, default 1 s when absent, capped
 *    at `maxPauseMs`). Nobody starts a request before it, so the whole run backs off together
 *    instead of every request discovering the limit on its own.
 * 2. **Concurrency window.** `inFlight < floor(window)`, `window <= maxConcurrency`. Slow start:
 *    the window begins at `initialConcurrency` and grows by 1 per success until the first
 *    throttle; afterwards it grows by 1/window per success (about +1 per round trip). Growth
 *    only happens while the window is what holds requests back.
 * 3. **Adaptive rate** (unknown until the server first says 429). On a throttle the governor
 *    measures the rate the server actually served since the previous throttle (at most over the
 *    last second; the pause counts, because the server's bucket refills during it), R, and sets the rate to `decreaseFactor * R` (multiplicative decrease). Each success
 *    then adds `slope / rate` requests/s, i.e. the rate grows linearly in time by
 *    `slope = (1 - decreaseFactor) * R / recoverySeconds` per second (additive increase): it
 *    is back at R after `recoverySeconds` and keeps probing above it until the next 429. The
 *    rate only grows while it is the binding constraint, so an idle or slow phase cannot
 *    inflate it. If no throttle comes for a long time (2 × recoverySeconds), the estimate was
 *    too low and the step doubles every further 2 × recoverySeconds (at most 32×) until the next
 *    throttle resets it. Requests are spaced with a GCRA (virtual scheduling) with a small tolerance
 *    for timer jitter.
 * 4. **Hard cap** (optional `maxRequestsPerSecond`): strict spacing of 1000 / cap ms between
 *    request starts, so no 1-second window ever holds more than `cap` starts.
 *
 * One throttle episode decreases once: 429s from requests that were already in flight when the
 * first 429 arrived extend the pause but do not decrease again. With a token-bucket server the
 * result is a sawtooth just around the server's limit; the pause costs little because the
 * server's bucket refills while everyone waits. No rate has to be configured.
 *
 * `release()` always frees the slot (it never throws, whatever the outcome), so a caller that
 * releases in `finally` can never deadlock the governor.
 */

/** What the client reports about one HTTP attempt. */
export interface RateGovernorOutcome {
	/** HTTP status, or undefined when there was no response (network failure, timeout). */
	status?: number;
	/** The server's Retry-After, in milliseconds, when it sent one. */
	retryAfterMs?: number;
}

/** The client calls `acquire` before each HTTP attempt and `release` after it (in `finally`). */
export interface RateGovernor {
	/** Resolves when a request may start; rejects with the run's error when `run` stops first. */
	acquire(run?: RunStop): Promise<void>;
	release(outcome: RateGovernorOutcome): void;
}

/** The host's clock and timer (a Transport provides both). */
export interface HostClock {
	sleep(ms: number): Promise<void>;
	now(): number;
}

export interface AdaptiveRateGovernorOptions extends HostClock {
	/** Hard upper bound on requests in flight. Default 16. */
	maxConcurrency?: number;
	/** Window at the start (slow start doubles it every round trip). Default min(4, maxConcurrency). */
	initialConcurrency?: number;
	/** Optional hard cap on request starts per second (strict spacing). Default: none. */
	maxRequestsPerSecond?: number;
	/** Pause used when a 429 carries no usable Retry-After. Default 1000 ms. */
	defaultRetryAfterMs?: number;
	/** Longest shared pause honoured (a longer Retry-After is cut to this). Default 60 000 ms. */
	maxPauseMs?: number;
}

/** A snapshot of the governor's state, for progress reporting, runBulk and benchmarks. */
export interface RateGovernorStatus {
	inFlight: number;
	waiting: number;
	/** Current concurrency window (integer part is what is enforced). */
	concurrencyLimit: number;
	/** Current adaptive rate in requests/s, or null before the server has throttled us. */
	rateLimit: number | null;
	/** Shared "not before" instant on the host clock; <= now when not paused. */
	pausedUntil: number;
	/** Number of 429 (and 503 + Retry-After) responses seen. */
	throttledResponses: number;
	/** Number of multiplicative decreases (throttle episodes). */
	decreases: number;
}

/** A governor that can report its state (runBulk uses it to hold new work during a pause). */
export interface ObservableRateGovernor extends RateGovernor {
	status(): RateGovernorStatus;
}

const MEASURE_WINDOW_MS = 1000;
const MIN_MEASURE_ACTIVE_MS = 250;
const MIN_SAMPLES_FOR_ESTIMATE = 8;
const RATE_DECREASE_FACTOR = 0.85;
const WINDOW_DECREASE_FACTOR = 0.7;
const RECOVERY_SECONDS = 3;
const MIN_RATE = 0.5;
const PROBE_DOUBLING_MS = 2 * RECOVERY_SECONDS * 1000;
const RATE_TOLERANCE_MS = 20;

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

/** What acquire() needs of a run to give up waiting when it stops (see run.ts). */
export interface RunStop {
	readonly stopped: boolean;
	/** Calls `listener` once when the run stops; returns the unsubscribe. */
	onStop(listener: () => void): () => void;
	/** The error a request that never started reports. */
	stopError(): unknown;
	/** True when waiting `ms` more on the server's refusal would overspend the run's budget. */
	exceedsBudget(ms: number): boolean;
	/** Charges a wait of `ms` on the server's refusal to the run's budget. */
	chargeWait(ms: number): void;
	/** The run's budget is spent: it starts nothing new. */
	readonly expired: boolean;
	/** The error of a request the run's wait budget left unsent. */
	budgetError(retryAfterMs?: number): unknown;
}

export class AdaptiveRateGovernor implements ObservableRateGovernor {
	private readonly sleep: (ms: number) => Promise<void>;
	private readonly now: () => number;
	private readonly maxConcurrency: number;
	private readonly hardIntervalMs: number | null;
	private readonly defaultRetryAfterMs: number;
	private readonly maxPauseMs: number;

	private readonly waiters: Waiter[] = [];
	private pumping = false;
	private slotFreed: (() => void) | undefined;

	private inFlight = 0;
	private window: number;
	private slowStart = true;
	private windowLimitedAt = Number.NEGATIVE_INFINITY;

	private rate: number | null = null;
	private slope = 0;
	private rateTat = Number.NEGATIVE_INFINITY;
	private decreasedAt = 0;
	private rateLimitedAt = Number.NEGATIVE_INFINITY;
	private hardTat = Number.NEGATIVE_INFINITY;

	private pausedUntil = Number.NEGATIVE_INFINITY;
	private firstGrantAt: number | null = null;
	/** Requests that were in flight when the current throttle episode began. */
	private staleInFlight = 0;
	/** Completion times of served (non-throttled) responses, for the rate measurement. */
	private served: number[] = [];
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
		this.hardIntervalMs = cap === null ? null : 1000 / cap;
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
			rateLimit: this.rate,
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

	release(outcome: RateGovernorOutcome): void {
		try {
			this.observe(outcome ?? {});
		} catch {
			// Observation must never keep a slot: fall through and free it.
		}
		if (this.inFlight > 0) this.inFlight--;
		if (this.staleInFlight > 0 && !this.isThrottle(outcome ?? {})) this.staleInFlight--;
		const wake = this.slotFreed;
		this.slotFreed = undefined;
		if (wake) wake();
	}

	private isThrottle(outcome: RateGovernorOutcome): boolean {
		return outcome.status === 429 || (outcome.status === 503 && outcome.retryAfterMs !== undefined);
	}

	private observe(outcome: RateGovernorOutcome): void {
		const now = this.now();
		if (this.isThrottle(outcome)) {
			this.onThrottle(now, outcome.retryAfterMs);
			return;
		}
		if (outcome.status === undefined || outcome.status >= 500) return;
		// The server processed the request: it counts towards the served rate.
		this.served.push(now);
		this.trimServed(now);
		this.onSuccess(now);
	}

	private trimServed(now: number): void {
		const from = now - MEASURE_WINDOW_MS;
		let drop = 0;
		while (drop < this.served.length && this.served[drop] <= from) drop++;
		if (drop > 0) this.served.splice(0, drop);
	}

	private onSuccess(now: number): void {
		const windowBinding = now - this.windowLimitedAt <= MEASURE_WINDOW_MS;
		if (windowBinding && this.window < this.maxConcurrency) {
			this.window = Math.min(
				this.maxConcurrency,
				this.window + (this.slowStart ? 1 : 1 / Math.max(1, this.window)),
			);
		}
		if (this.rate !== null && now - this.rateLimitedAt <= MEASURE_WINDOW_MS) {
			// A long time without a throttle means the last estimate was too low: double the step
			// for every further PROBE_DOUBLING_MS so that a bad estimate is left behind quickly.
			const doublings = Math.min(5, Math.floor((now - this.decreasedAt) / PROBE_DOUBLING_MS));
			this.rate += (this.slope * 2 ** Math.max(0, doublings)) / this.rate;
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
		const previousDecreaseAt = this.decreases > 1 ? this.decreasedAt : null;
		this.decreasedAt = now;
		// Everything else in flight was sent before the server told us to slow down.
		this.staleInFlight = Math.max(0, this.inFlight - 1);
		this.slowStart = false;
		this.window = Math.max(1, this.window * WINDOW_DECREASE_FACTOR);

		const served = this.measureServedRate(now, previousDecreaseAt);
		const basis =
			served === null ? this.rate : this.rate === null ? served : Math.min(served, this.rate);
		if (basis === null) return; // Nothing to measure yet: the window decrease is all we can do.
		this.rate = Math.max(MIN_RATE, basis * RATE_DECREASE_FACTOR);
		this.slope = Math.max(MIN_RATE, ((1 - RATE_DECREASE_FACTOR) * basis) / RECOVERY_SECONDS);
	}

	/** Requests/s the server served recently (at most the last second), or null if unknown. */
	private measureServedRate(now: number, previousDecreaseAt: number | null): number | null {
		this.trimServed(now);
		const samples = this.served.length;
		if (samples < MIN_SAMPLES_FOR_ESTIMATE) return null;
		const windowStart = now - MEASURE_WINDOW_MS;
		let activeFrom = windowStart;
		if (this.firstGrantAt !== null && this.firstGrantAt > activeFrom)
			activeFrom = this.firstGrantAt;
		// Since the previous throttle, pause included: the server's bucket refilled during the pause,
		// so served / elapsed over that span is what the server sustains.
		if (previousDecreaseAt !== null && previousDecreaseAt > activeFrom)
			activeFrom = previousDecreaseAt;
		// A throttle soon after a (re)start measures a burst into the server's bucket: spreading
		// it over at least MIN_MEASURE_ACTIVE_MS keeps such an estimate from exploding.
		const active = Math.max(now - activeFrom, MIN_MEASURE_ACTIVE_MS);
		return (samples * 1000) / active;
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
			const wait = this.timeUntilRateAllows(now);
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

	private timeUntilRateAllows(now: number): number {
		let wait = 0;
		if (this.hardIntervalMs !== null) wait = Math.max(wait, this.hardTat - now);
		if (this.rate !== null) {
			const rateWait = this.rateTat - RATE_TOLERANCE_MS - now;
			if (rateWait > 0) {
				this.rateLimitedAt = now;
				wait = Math.max(wait, rateWait);
			}
		}
		return wait;
	}

	private grant(now: number): void {
		if (this.firstGrantAt === null) this.firstGrantAt = now;
		if (this.hardIntervalMs !== null) {
			this.hardTat = Math.max(this.hardTat, now) + this.hardIntervalMs;
		}
		if (this.rate !== null) {
			// Staying within the tolerance of the schedule means the rate is what holds us back.
			if (this.rateTat > now) this.rateLimitedAt = now;
			this.rateTat = Math.max(this.rateTat, now) + 1000 / this.rate;
		}
		this.inFlight++;
		const waiter = this.waiters.shift();
		if (waiter) waiter.resolve();
	}
}
