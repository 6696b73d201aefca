/**
 * The bulk runner: results in input order, failures isolated, bounded concurrency, no new work
 * while the governor is paused, nothing started after a cancel.
 */
import { CancelledError } from '../../shared/errors';
import { runBulk } from '../../shared/pacing/bulk';
import { AdaptiveRateGovernor } from '../../shared/pacing/governor';
import { FakeClock } from './fake-clock';

describe('runBulk', () => {
	test('returns results in input order whatever the completion order', async () => {
		const clock = new FakeClock();
		const items = Array.from({ length: 40 }, (_, i) => i);
		const finished: number[] = [];
		const run = runBulk(
			items,
			async (item, index) => {
				expect(index).toBe(item);
				await clock.sleep(((item * 37) % 11) * 10);
				finished.push(item);
				return item * 2;
			},
			{ concurrency: 7 },
		);
		const results = await clock.run(run);
		expect(finished).not.toEqual(items); // they really completed out of order
		expect(results).toEqual(items.map((i) => ({ ok: true, value: i * 2 })));
	});

	test('isolates failures: a failing item (async or sync throw) does not affect the others', async () => {
		const clock = new FakeClock();
		const boom = new Error('bad item');
		const results = await clock.run(
			runBulk(
				[1, 2, 3, 4, 5, 6],
				(item) => {
					if (item === 2) throw boom; // synchronous throw
					if (item === 5) return clock.sleep(1).then(() => Promise.reject(new Error('five')));
					return clock.sleep(item).then(() => `ok${item}`);
				},
				{ concurrency: 2 },
			),
		);
		expect(results[0]).toEqual({ ok: true, value: 'ok1' });
		expect(results[1]).toEqual({ ok: false, error: boom });
		expect(results[2]).toEqual({ ok: true, value: 'ok3' });
		expect(results[3]).toEqual({ ok: true, value: 'ok4' });
		expect(results[4].ok).toBe(false);
		expect((results[4] as { error: Error }).error.message).toBe('five');
		expect(results[5]).toEqual({ ok: true, value: 'ok6' });
	});

	test('never exceeds its concurrency', async () => {
		const clock = new FakeClock();
		let active = 0;
		let peak = 0;
		await clock.run(
			runBulk(
				Array.from({ length: 100 }, (_, i) => i),
				async (i) => {
					active++;
					peak = Math.max(peak, active);
					await clock.sleep((i % 5) + 1);
					active--;
				},
				{ concurrency: 9 },
			),
		);
		expect(peak).toBe(9);
	});

	test('no deadlock when workers throw while holding governor slots', async () => {
		const clock = new FakeClock();
		const governor = new AdaptiveRateGovernor({
			now: clock.now,
			sleep: clock.sleep,
			maxConcurrency: 2,
			initialConcurrency: 2,
		});
		const results = await clock.run(
			runBulk(
				Array.from({ length: 30 }, (_, i) => i),
				async (i) => {
					await governor.acquire();
					try {
						await clock.sleep(3);
						if (i % 3 === 0) throw new Error(`item ${i} failed`);
						return i;
					} finally {
						governor.release(i % 3 === 0 ? {} : { status: 200 });
					}
				},
				{ concurrency: 10, governor, sleep: clock.sleep, now: clock.now },
			),
		);
		expect(results.filter((r) => !r.ok)).toHaveLength(10);
		expect(results.filter((r) => r.ok)).toHaveLength(20);
		expect(governor.status().inFlight).toBe(0);
		expect(governor.status().waiting).toBe(0);
	});

	test('does not start new items while the governor is paused', async () => {
		const clock = new FakeClock();
		const governor = new AdaptiveRateGovernor({ now: clock.now, sleep: clock.sleep });
		const startedAt: number[] = [];
		const run = runBulk(
			Array.from({ length: 6 }, (_, i) => i),
			async (i) => {
				startedAt[i] = clock.now();
				if (i === 0) {
					await governor.acquire();
					governor.release({ status: 429, retryAfterMs: 1500 });
				}
				await clock.sleep(1);
			},
			{ concurrency: 1, governor, sleep: clock.sleep, now: clock.now },
		);
		await clock.run(run);
		expect(startedAt[0]).toBe(0);
		expect(startedAt[1]).toBeGreaterThanOrEqual(1500);
	});

	test('stops launching on abort; unstarted items get a CancelledError (not sent), started ones finish', async () => {
		const clock = new FakeClock();
		const signal = { aborted: false };
		const called: number[] = [];
		const run = runBulk(
			Array.from({ length: 20 }, (_, i) => i),
			async (i) => {
				called.push(i);
				if (i === 4) signal.aborted = true;
				await clock.sleep(10);
				return i;
			},
			{ concurrency: 3, signal },
		);
		const results = await clock.run(run);
		expect(called).toEqual([0, 1, 2, 3, 4]);
		expect(results.slice(0, 5)).toEqual([0, 1, 2, 3, 4].map((i) => ({ ok: true, value: i })));
		for (let i = 5; i < 20; i++) {
			expect(results[i].ok).toBe(false);
			const error = (results[i] as { error: CancelledError }).error;
			expect(error).toBeInstanceOf(CancelledError);
			expect(error.mayHaveBeenSent).toBe(false);
			expect(error.message).toContain(`Item ${i} was not sent`);
		}
	});

	test('empty input and invalid options', async () => {
		await expect(runBulk([], async () => 1, { concurrency: 4 })).resolves.toEqual([]);
		await expect(runBulk([1], async () => 1, { concurrency: 0 })).rejects.toThrow(/concurrency/);
		await expect(runBulk('x' as never, async () => 1, { concurrency: 1 })).rejects.toThrow(/items/);
	});
});
