/**
 * Shared pacing per account in a process: the governor registry (keying, expiry, bounds) and
 * four concurrent campaigns of one account on the fake clock against a token-bucket server.
 */
import { runBulk } from '../../shared/pacing/bulk';
import { AdaptiveRateGovernor } from '../../shared/pacing/governor';
import { accountKey, GovernorRegistry } from '../../shared/pacing/registry';
import { createHash } from 'node:crypto';
import { FakeClock, SimulatedApi } from './fake-clock';

const KEY_A = 'ik_test_ACCOUNTaaaaaaaaaaaaaaaa';
const KEY_B = 'ik_test_ACCOUNTbbbbbbbbbbbbbbbb';
const BASE = 'https://sandbox.example.test/v1';

describe('governor registry', () => {
	test('the same credential and base URL get one governor; another key or server gets its own', () => {
		const clock = new FakeClock();
		const registry = new GovernorRegistry();
		const options = { sleep: clock.sleep, now: clock.now };
		const a1 = registry.governorFor({ baseUrl: BASE, apiKey: KEY_A }, options);
		const a2 = registry.governorFor({ baseUrl: `${BASE}/`, apiKey: KEY_A }, options);
		const b = registry.governorFor({ baseUrl: BASE, apiKey: KEY_B }, options);
		const other = registry.governorFor(
			{ baseUrl: 'http://127.0.0.1:4010/v1', apiKey: KEY_A },
			options,
		);
		expect(a2).toBe(a1);
		expect(b).not.toBe(a1);
		expect(other).not.toBe(a1);
		expect(registry.size).toBe(3);
	});

	test('the registry never holds the API key in clear: its keys are SHA-256 hashes', () => {
		const clock = new FakeClock();
		const registry = new GovernorRegistry();
		registry.governorFor({ baseUrl: BASE, apiKey: KEY_A }, { sleep: clock.sleep, now: clock.now });
		const entries = (registry as unknown as { entries: Map<string, unknown> }).entries;
		const keys = [...entries.keys()];
		expect(keys).toEqual([accountKey(BASE, KEY_A)]);
		expect(keys[0]).toBe(createHash('sha256').update(`${BASE}\n${KEY_A}\n`).digest('hex'));
		expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(keys)).not.toContain('ACCOUNTaaaa');
	});

	test('an idle governor expires after idleMs on the next access; a busy one is kept', async () => {
		const clock = new FakeClock();
		const registry = new GovernorRegistry({ idleMs: 60_000 });
		const options = { sleep: clock.sleep, now: clock.now };
		const idle = registry.governorFor({ baseUrl: BASE, apiKey: KEY_A }, options);
		const busy = registry.governorFor({ baseUrl: BASE, apiKey: KEY_B }, options);
		await busy.acquire(); // a request in flight
		await clock.advanceTo(61_000);
		registry.governorFor({ baseUrl: 'http://other/v1', apiKey: KEY_A }, options);
		expect(registry.governorFor({ baseUrl: BASE, apiKey: KEY_B }, options)).toBe(busy);
		expect(registry.governorFor({ baseUrl: BASE, apiKey: KEY_A }, options)).not.toBe(idle);
	});

	test('memory is bounded: at most maxEntries governors, the least recently used idle ones go', () => {
		const clock = new FakeClock();
		const registry = new GovernorRegistry({ maxEntries: 8 });
		for (let i = 0; i < 1_000; i++) {
			registry.governorFor(
				{ baseUrl: BASE, apiKey: `ik_test_many${i}` },
				{ sleep: clock.sleep, now: clock.now },
			);
		}
		expect(registry.size).toBe(8);
	});
});

describe('four concurrent campaigns of one account', () => {
	async function campaigns(shared: boolean) {
		const clock = new FakeClock();
		const api = new SimulatedApi(clock, { rate: 50, burst: 10, latencyMs: 25 });
		const registry = new GovernorRegistry();
		const options = {
			sleep: clock.sleep,
			now: clock.now,
			maxConcurrency: 16,
			initialConcurrency: 16,
		};
		const runs = Array.from({ length: 4 }, async () => {
			const governor = shared
				? registry.governorFor({ baseUrl: BASE, apiKey: KEY_A }, options)
				: new AdaptiveRateGovernor(options);
			const send = async (): Promise<void> => {
				for (;;) {
					await governor.acquire();
					let outcome: { status: number; retryAfterMs?: number } = { status: 0 };
					try {
						outcome = await api.request();
					} finally {
						governor.release(outcome);
					}
					if (outcome.status === 200) return;
					await clock.sleep(outcome.retryAfterMs ?? 1000);
				}
			};
			return await runBulk(
				Array.from({ length: 500 }, (_, i) => i),
				send,
				{
					concurrency: 16,
					governor,
					sleep: clock.sleep,
					now: clock.now,
				},
			);
		});
		await clock.run(Promise.all(runs));
		return { accepted: api.accepted, throttled: api.throttled, seconds: clock.now() / 1000 };
	}

	test('sharing one governor: all 2 000 messages within 1.3 x the floor and faster, with under 5 % and far fewer 429s than four governors of their own', async () => {
		const together = await campaigns(true);
		const apart = await campaigns(false);
		console.log(
			`4 campaigns x 500 at 50 req/s: shared ${JSON.stringify(together)}, apart ${JSON.stringify(apart)}`,
		);
		expect(together.accepted).toBe(2_000);
		const floor = 2_000 / 50;
		expect(together.seconds).toBeLessThan(floor * 1.3);
		expect(together.seconds).toBeLessThan(apart.seconds);
		expect(together.throttled).toBeLessThan(apart.throttled / 2);
		expect(together.throttled).toBeLessThan(2_000 * 0.05);
	});
});
