/**
 * The adaptive rate governor on the fake clock: the shared pause, the concurrency window, the
 * learnt rate (multiplicative decrease, additive increase) and the optional hard cap.
 */
import { runBulk } from '../../shared/pacing/bulk';
import { AdaptiveRateGovernor } from '../../shared/pacing/governor';
import type { RateGovernor } from '../../shared/pacing/pace';
import { FakeClock, SimulatedApi } from './fake-clock';

/** What the client does around one attempt: acquire, request, release in finally; retry a 429. */
async function send(
	governor: RateGovernor,
	api: SimulatedApi,
	clock: FakeClock,
	maxAttempts = 50,
): Promise<number> {
	for (let attempt = 1; ; attempt++) {
		await governor.acquire();
		let outcome: { status?: number; retryAfterMs?: number } = {};
		try {
			outcome = await api.request();
		} finally {
			governor.release(outcome);
		}
		if (outcome.status !== 429) return attempt;
		if (attempt >= maxAttempts) throw new Error('gave up');
		await clock.sleep(outcome.retryAfterMs ?? 1000);
	}
}

function countPerSecond(times: number[]): Map<number, number> {
	const perSecond = new Map<number, number>();
	for (const t of times)
		perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
	return perSecond;
}

describe('AdaptiveRateGovernor', () => {
	test('validates its options with messages naming the option', () => {
		const clock = new FakeClock();
		expect(
			() =>
				new AdaptiveRateGovernor({
					...clock,
					now: clock.now,
					sleep: clock.sleep,
					maxConcurrency: 0,
				}),
		).toThrow(/maxConcurrency/);
		expect(
			() =>
				new AdaptiveRateGovernor({ now: clock.now, sleep: clock.sleep, maxRequestsPerSecond: -5 }),
		).toThrow(/maxRequestsPerSecond/);
		expect(
			() => new AdaptiveRateGovernor({ now: clock.now, sleep: clock.sleep, maxConcurrency: 2.5 }),
		).toThrow(/maxConcurrency must be a whole number/);
		expect(() => new AdaptiveRateGovernor({} as never)).toThrow(/sleep/);
	});

	test('a 429 pauses every caller until the Retry-After has passed (one shared instant)', async () => {
		const clock = new FakeClock();
		const governor = new AdaptiveRateGovernor({
			now: clock.now,
			sleep: clock.sleep,
			maxConcurrency: 8,
			initialConcurrency: 8,
		});
		await clock.run(Promise.all([governor.acquire(), governor.acquire()]));
		await clock.advanceTo(100);
		// One request answers 429 "retry after 2 s" at t=100; the other answers normally later.
		governor.release({ status: 429, retryAfterMs: 2000 });
		const granted: number[] = [];
		const waiting = Array.from({ length: 5 }, () =>
			governor.acquire().then(() => granted.push(clock.now())),
		);
		await clock.advanceTo(150);
		governor.release({ status: 200 });
		await clock.advanceTo(2099);
		expect(granted).toEqual([]);
		expect(governor.status().pausedUntil).toBe(2100);
		await clock.run(Promise.all(waiting));
		expect(granted).toHaveLength(5);
		expect(Math.min(...granted)).toBe(2100);
	});

	test('a later, longer Retry-After extends the shared pause; a shorter one does not shorten it', async () => {
		const clock = new FakeClock();
		const governor = new AdaptiveRateGovernor({
			now: clock.now,
			sleep: clock.sleep,
			initialConcurrency: 4,
		});
		await clock.run(Promise.all([governor.acquire(), governor.acquire(), governor.acquire()]));
		governor.release({ status: 429, retryAfterMs: 1000 });
		await clock.advanceTo(10);
		governor.release({ status: 429, retryAfterMs: 3000 });
		governor.release({ status: 429, retryAfterMs: 50 });
		expect(governor.status().pausedUntil).toBe(3010);
		let at = -1;
		await clock.run(governor.acquire().then(() => (at = clock.now())));
		expect(at).toBe(3010);
	});

	test('a 429 without Retry-After pauses for the default; 503 with Retry-After pauses; network errors do not', async () => {
		const clock = new FakeClock();
		const governor = new AdaptiveRateGovernor({
			now: clock.now,
			sleep: clock.sleep,
			defaultRetryAfterMs: 700,
		});
		await clock.run(governor.acquire());
		governor.release({});
		expect(governor.status().pausedUntil).toBeLessThanOrEqual(clock.now());
		await clock.run(governor.acquire());
		governor.release({ status: 500 });
		expect(governor.status().pausedUntil).toBeLessThanOrEqual(clock.now());
		await clock.run(governor.acquire());
		governor.release({ status: 429 });
		expect(governor.status().pausedUntil).toBe(700);
		await clock.run(governor.acquire());
		expect(clock.now()).toBe(700);
		governor.release({ status: 503, retryAfterMs: 5000 });
		expect(governor.status().pausedUntil).toBe(5700);
		expect(governor.status().throttledResponses).toBe(2);
	});

	test('hard cap: never more than maxRequestsPerSecond starts in any simulated second', async () => {
		const clock = new FakeClock();
		const governor = new AdaptiveRateGovernor({
			now: clock.now,
			sleep: clock.sleep,
			maxConcurrency: 50,
			initialConcurrency: 50,
			maxRequestsPerSecond: 10,
		});
		const starts: number[] = [];
		const jobs = Array.from({ length: 95 }, async () => {
			await governor.acquire();
			starts.push(clock.now());
			await clock.sleep(3);
			governor.release({ status: 200 });
		});
		await clock.run(Promise.all(jobs));
		expect(starts).toHaveLength(95);
		for (const [, count] of countPerSecond(starts)) expect(count).toBeLessThanOrEqual(10);
		// Also for every sliding 1-second window, not only for aligned seconds.
		const sorted = [...starts].sort((a, b) => a - b);
		for (let i = 10; i < sorted.length; i++)
			expect(sorted[i] - sorted[i - 10]).toBeGreaterThanOrEqual(1000);
		// And it is a cap, not a slowdown: 95 starts fit in 9.5 s.
		expect(sorted[sorted.length - 1]).toBeLessThan(9500);
	});

	test('concurrency bound is never exceeded, and slow start grows the window to the maximum', async () => {
		const clock = new FakeClock();
		const governor = new AdaptiveRateGovernor({
			now: clock.now,
			sleep: clock.sleep,
			maxConcurrency: 6,
			initialConcurrency: 1,
		});
		let active = 0;
		let peak = 0;
		const jobs = Array.from({ length: 200 }, async (_, i) => {
			await governor.acquire();
			active++;
			peak = Math.max(peak, active);
			try {
				await clock.sleep(5 + (i % 7));
			} finally {
				active--;
				governor.release({ status: 200 });
			}
		});
		await clock.run(Promise.all(jobs));
		expect(peak).toBe(6);
		expect(governor.status().concurrencyLimit).toBe(6);
		expect(governor.status().inFlight).toBe(0);
	});

	test('multiplicative decrease on a throttle, then additive increase on successes', async () => {
		const clock = new FakeClock();
		const api = new SimulatedApi(clock, { rate: 100, burst: 100, latencyMs: 20 });
		const governor = new AdaptiveRateGovernor({
			now: clock.now,
			sleep: clock.sleep,
			maxConcurrency: 16,
		});
		const rates: Array<{ t: number; rate: number | null; decreases: number }> = [];
		const all = runBulk(
			Array.from({ length: 3000 }, (_, i) => i),
			async () => {
				await send(governor, api, clock);
				const s = governor.status();
				rates.push({ t: clock.now(), rate: s.rateLimit, decreases: s.decreases });
			},
			{ concurrency: 16, governor, sleep: clock.sleep, now: clock.now },
		);
		await clock.run(all);
		expect(api.accepted).toBe(3000);
		// Before the first throttle there is no rate: the governor did not need one configured.
		expect(rates[0].rate).toBeNull();
		const decreaseCount = rates[rates.length - 1].decreases;
		expect(decreaseCount).toBeGreaterThanOrEqual(3);
		for (let d = 1; d <= decreaseCount; d++) {
			const episode = rates.filter((r) => r.decreases === d).map((r) => r.rate as number);
			if (episode.length === 0) continue;
			// Additive increase: the rate only grows between two throttles ...
			for (let i = 1; i < episode.length; i++)
				expect(episode[i]).toBeGreaterThanOrEqual(episode[i - 1]);
			if (episode.length > 20) expect(episode[episode.length - 1]).toBeGreaterThan(episode[0]);
			// ... multiplicative decrease: each throttle starts the next episode lower.
			const previous = rates.filter((r) => r.decreases === d - 1);
			if (d > 1 && previous.length > 0) {
				expect(episode[0]).toBeLessThan(previous[previous.length - 1].rate as number);
			}
		}
		// After a few episodes the sawtooth sits around the server's 100/s (slightly above is fine:
		// the server's bucket, refilled during each pause, pays for the overshoot).
		const lastEpisodeStart = rates.find((r) => r.decreases === decreaseCount)?.rate as number;
		expect(lastEpisodeStart).toBeGreaterThan(70);
		expect(lastEpisodeStart).toBeLessThan(130);
	});

	test.each([
		{ rate: 50, burst: 50, latencyMs: 10 },
		{ rate: 200, burst: 200, latencyMs: 25 },
		{ rate: 200, burst: 20, latencyMs: 25, wholeSeconds: false },
		{ rate: 1000, burst: 1000, latencyMs: 5 },
	])('converges to the server limit without a configured rate: %o', async (server) => {
		const clock = new FakeClock();
		const api = new SimulatedApi(clock, server);
		const governor = new AdaptiveRateGovernor({
			now: clock.now,
			sleep: clock.sleep,
			maxConcurrency: 32,
		});
		const n = server.rate * 30; // about 30 s of traffic at the limit
		const all = runBulk(
			Array.from({ length: n }, (_, i) => i),
			() => send(governor, api, clock),
			{ concurrency: 32, governor, sleep: clock.sleep, now: clock.now },
		);
		const results = await clock.run(all);
		expect(results.every((r) => r.ok)).toBe(true);
		expect(api.accepted).toBe(n);
		// The run takes close to the theoretical minimum (n - burst) / rate (deterministic, virtual time).
		const floorMs = ((n - server.burst) / server.rate) * 1000;
		expect(clock.now()).toBeLessThan(floorMs * 1.12);
		// Steady state: served rate over the last half is within 10 % of the server's limit.
		const half = clock.now() / 2;
		const late = api.acceptedAt.filter((t) => t >= half).length;
		expect(late / ((clock.now() - half) / 1000)).toBeGreaterThan(server.rate * 0.9);
		// Throttles are an occasional probe, not the normal state.
		expect(api.throttled).toBeLessThan(n * 0.05);
	});

	test('throttles from requests already in flight decrease only once per episode', async () => {
		const clock = new FakeClock();
		const governor = new AdaptiveRateGovernor({
			now: clock.now,
			sleep: clock.sleep,
			maxConcurrency: 8,
			initialConcurrency: 8,
		});
		await clock.run(Promise.all(Array.from({ length: 8 }, () => governor.acquire())));
		for (let i = 0; i < 8; i++) governor.release({ status: 429, retryAfterMs: 1000 });
		expect(governor.status().decreases).toBe(1);
		expect(governor.status().throttledResponses).toBe(8);
		expect(governor.status().concurrencyLimit).toBeLessThan(8);
	});

	test('release frees the slot whatever the outcome, even with no matching acquire', async () => {
		const clock = new FakeClock();
		const governor = new AdaptiveRateGovernor({
			now: clock.now,
			sleep: clock.sleep,
			maxConcurrency: 1,
			initialConcurrency: 1,
		});
		governor.release({ status: 200 }); // stray release must not create extra capacity
		await clock.run(governor.acquire());
		let second = false;
		void governor.acquire().then(() => (second = true));
		await clock.flush();
		expect(second).toBe(false);
		governor.release(undefined as never);
		await clock.flush();
		expect(second).toBe(true);
		expect(governor.status().inFlight).toBe(1);
	});

	test('a failing host sleep rejects waiting callers instead of hanging them', async () => {
		let t = 0;
		const governor = new AdaptiveRateGovernor({
			now: () => t,
			sleep: () => Promise.reject(new Error('timer unavailable')),
		});
		await governor.acquire();
		governor.release({ status: 429, retryAfterMs: 1000 });
		await expect(governor.acquire()).rejects.toThrow('timer unavailable');
		t = 5000;
		await expect(governor.acquire()).resolves.toBeUndefined();
	});
});
