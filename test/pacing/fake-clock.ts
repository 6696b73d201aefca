/**
 * A deterministic virtual clock for pacing tests: `sleep` registers a timer, and `run` advances
 * time to the next timer only when every promise chain has settled. No real time passes.
 */
export class FakeClock {
	private t = 0;
	private seq = 0;
	private timers: Array<{ at: number; seq: number; resolve: () => void }> = [];

	readonly now = (): number => this.t;

	readonly sleep = (ms: number): Promise<void> =>
		new Promise<void>((resolve) => {
			this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, resolve });
		});

	get pendingTimers(): number {
		return this.timers.length;
	}

	/** Lets all queued promise callbacks run (a macrotask turn drains the microtask queue). */
	async flush(): Promise<void> {
		for (let i = 0; i < 3; i++) await new Promise<void>((r) => setImmediate(r));
	}

	/** Advances virtual time to `until` (firing timers in order) with everything settled between. */
	async advanceTo(until: number): Promise<void> {
		for (;;) {
			await this.flush();
			const next = this.earliest();
			if (!next || next.at > until) break;
			this.fire(next);
		}
		if (until > this.t) this.t = until;
		await this.flush();
	}

	/**
	 * Runs the clock until `promise` settles. Fails (instead of hanging) when nothing can make
	 * progress any more: no timer pending and the promise still open means a deadlock.
	 */
	async run<T>(promise: Promise<T>, maxVirtualMs = 10_000_000): Promise<T> {
		let settled = false;
		promise.then(
			() => (settled = true),
			() => (settled = true),
		);
		for (;;) {
			await this.flush();
			if (settled) return promise;
			const next = this.earliest();
			if (!next) throw new Error(`deadlock: nothing pending at t=${this.t} and work not done`);
			if (next.at > maxVirtualMs) throw new Error(`virtual time limit exceeded at t=${this.t}`);
			this.fire(next);
		}
	}

	private earliest(): { at: number; seq: number; resolve: () => void } | undefined {
		let best: { at: number; seq: number; resolve: () => void } | undefined;
		for (const timer of this.timers) {
			if (!best || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq))
				best = timer;
		}
		return best;
	}

	private fire(timer: { at: number; seq: number; resolve: () => void }): void {
		this.timers.splice(this.timers.indexOf(timer), 1);
		if (timer.at > this.t) this.t = timer.at;
		timer.resolve();
	}
}

/**
 * A simulated rate-limited API on the fake clock: a token bucket (`rate` per second, `burst`
 * capacity) checked when a request arrives, `latencyMs` until the answer, and a 429 with the
 * Retry-After the server would send (whole seconds, like the HTTP header).
 */
export class SimulatedApi {
	tokens: number;
	private last = 0;
	accepted = 0;
	throttled = 0;
	inFlight = 0;
	maxInFlight = 0;
	readonly acceptedAt: number[] = [];

	constructor(
		private readonly clock: FakeClock,
		private readonly opts: {
			rate: number;
			burst: number;
			latencyMs: number;
			wholeSeconds?: boolean;
		},
	) {
		this.tokens = opts.burst;
	}

	async request(): Promise<{ status: number; retryAfterMs?: number }> {
		const now = this.clock.now();
		this.tokens = Math.min(
			this.opts.burst,
			this.tokens + ((now - this.last) * this.opts.rate) / 1000,
		);
		this.last = now;
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		let result: { status: number; retryAfterMs?: number };
		if (this.tokens >= 1) {
			this.tokens -= 1;
			this.accepted++;
			this.acceptedAt.push(now);
			result = { status: 200 };
		} else {
			this.throttled++;
			const exact = ((1 - this.tokens) * 1000) / this.opts.rate;
			result = {
				status: 429,
				retryAfterMs: this.opts.wholeSeconds === false ? exact : Math.ceil(exact / 1000) * 1000,
			};
		}
		await this.clock.sleep(this.opts.latencyMs);
		this.inFlight--;
		return result;
	}
}
