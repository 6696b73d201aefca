/**
 * A governor's request rate: unknown until the server first throttles, then AIMD (a share of the
 * rate the server served, growing linearly until the next 429), spaced by virtual scheduling.
 */

/** Served responses older than this do not count towards the measured rate. */
export const MEASURE_WINDOW_MS = 1000;
const MIN_MEASURE_ACTIVE_MS = 250;
const MIN_SAMPLES_FOR_ESTIMATE = 8;
const DECREASE_FACTOR = 0.85;
/** Back at the served rate this long after a decrease. */
const RECOVERY_SECONDS = 3;
const MIN_RATE = 0.5;
/** Without a throttle for this long the estimate was too low: the growth step doubles. */
const PROBE_DOUBLING_MS = 2 * RECOVERY_SECONDS * 1000;
/** Slack for host timer jitter. */
const TOLERANCE_MS = 20;

export class AdaptiveRate {
	/** Requests/s; null before the server has throttled. */
	value: number | null = null;
	private slope = 0;
	/** Theoretical arrival times (GCRA) of the learnt rate and of the hard cap. */
	private tat = Number.NEGATIVE_INFINITY;
	private hardTat = Number.NEGATIVE_INFINITY;
	private decreasedAt: number | null = null;
	/** Last time the rate was what held a request back (it grows only then). */
	private limitedAt = Number.NEGATIVE_INFINITY;
	private firstGrantAt: number | null = null;
	/** Completion times of served (not throttled) responses within the measure window. */
	private served: number[] = [];

	/** `hardIntervalMs`: strict spacing of a hard cap on requests per second, or null. */
	constructor(private readonly hardIntervalMs: number | null) {}

	/** The server processed a request: it counts towards the served rate; a binding rate grows. */
	onServed(now: number): void {
		this.served.push(now);
		this.trim(now);
		if (this.value === null || now - this.limitedAt > MEASURE_WINDOW_MS) return;
		const sinceDecrease = now - (this.decreasedAt ?? now);
		const doublings = Math.min(5, Math.floor(sinceDecrease / PROBE_DOUBLING_MS));
		this.value += (this.slope * 2 ** Math.max(0, doublings)) / this.value;
	}

	/** A new throttle episode: the rate drops to a share of what the server served. */
	onThrottle(now: number): void {
		const previousDecreaseAt = this.decreasedAt;
		this.decreasedAt = now;
		const served = this.measure(now, previousDecreaseAt);
		const basis =
			served === null ? this.value : this.value === null ? served : Math.min(served, this.value);
		if (basis === null) return; // Nothing measured yet: the window decrease is all there is.
		this.value = Math.max(MIN_RATE, basis * DECREASE_FACTOR);
		this.slope = Math.max(MIN_RATE, ((1 - DECREASE_FACTOR) * basis) / RECOVERY_SECONDS);
	}

	/** How long the rate and the hard cap hold the next request back. */
	waitMs(now: number): number {
		let wait = 0;
		if (this.hardIntervalMs !== null) wait = Math.max(wait, this.hardTat - now);
		if (this.value !== null) {
			const rateWait = this.tat - TOLERANCE_MS - now;
			if (rateWait > 0) {
				this.limitedAt = now;
				wait = Math.max(wait, rateWait);
			}
		}
		return wait;
	}

	/** A request starts now. */
	onGrant(now: number): void {
		if (this.firstGrantAt === null) this.firstGrantAt = now;
		if (this.hardIntervalMs !== null)
			this.hardTat = Math.max(this.hardTat, now) + this.hardIntervalMs;
		if (this.value !== null) {
			// Starting within the tolerance of the schedule: the rate is what holds requests back.
			if (this.tat > now) this.limitedAt = now;
			this.tat = Math.max(this.tat, now) + 1000 / this.value;
		}
	}

	private trim(now: number): void {
		const from = now - MEASURE_WINDOW_MS;
		let drop = 0;
		while (drop < this.served.length && this.served[drop] <= from) drop++;
		if (drop > 0) this.served.splice(0, drop);
	}

	/** Requests/s the server served recently (at most the last second), or null if unknown. */
	private measure(now: number, previousDecreaseAt: number | null): number | null {
		this.trim(now);
		const samples = this.served.length;
		if (samples < MIN_SAMPLES_FOR_ESTIMATE) return null;
		let activeFrom = now - MEASURE_WINDOW_MS;
		if (this.firstGrantAt !== null && this.firstGrantAt > activeFrom)
			activeFrom = this.firstGrantAt;
		// Since the previous throttle, pause included: the server's bucket refilled during it.
		if (previousDecreaseAt !== null && previousDecreaseAt > activeFrom)
			activeFrom = previousDecreaseAt;
		// A throttle soon after a (re)start measures a burst: spread it over a minimum span.
		const active = Math.max(now - activeFrom, MIN_MEASURE_ACTIVE_MS);
		return (samples * 1000) / active;
	}
}
