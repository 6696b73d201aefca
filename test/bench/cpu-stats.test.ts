/**
 * The arithmetic behind `--case cpu`'s figures: medians, CPU per item, the baseline subtracted
 * round by round (not median minus median), and the rotation that keeps any case from always
 * running first.
 */
import { itemsPerSecond, median, perItemMs, roundOrder, summarise } from '../../bench/cpu-stats';
import type { CpuRun } from '../../bench/cpu-stats';

test('median of odd and even counts; NaN entries ignored; none gives NaN', () => {
	expect(median([3, 1, 2])).toBe(2);
	expect(median([4, 1, 3, 2])).toBe(2.5);
	expect(median([5, Number.NaN, 1, 3])).toBe(3);
	expect(median([])).toBeNaN();
});

test('CPU per item in ms and items per second', () => {
	expect(perItemMs(17, 5000)).toBeCloseTo(3.4, 10);
	expect(itemsPerSecond(5000, 2500)).toBe(2000);
	expect(itemsPerSecond(5000, 0)).toBeNaN();
});

const run = (key: string, round: number, cpuSeconds: number, senderMs = 1000): CpuRun => ({
	key,
	round,
	n: 1000,
	cpuSeconds,
	senderMs,
	rssPeakBytes: 100 * round,
	load1: 1,
});

test('the baseline is subtracted within each round, then the median is taken', () => {
	// Round 1 ran on a loaded machine: both sides cost more. Median-minus-median would give
	// 3.0 - 0.5 = 2.5 ms; the per-round differences are 2.0, 2.0 and 2.9: median 2.0.
	const runs = [
		run('noop', 0, 0.1),
		run('ours', 0, 2.1),
		run('noop', 1, 1.0),
		run('ours', 1, 3.0),
		run('noop', 2, 0.5),
		run('ours', 2, 3.4),
	];
	const [noop, ours] = summarise(runs, 'noop');
	expect(noop.key).toBe('noop');
	expect(noop.overBaselinePerItemMs).toBe(0);
	expect(ours.overBaselinePerItemMsByRound.map((v) => Number(v.toFixed(6)))).toEqual([2, 2, 2.9]);
	expect(ours.overBaselinePerItemMs).toBeCloseTo(2.0, 10);
	expect(ours.cpuPerItemMs).toBeCloseTo(3.0, 10);
	expect(ours.runs).toBe(3);
	expect(ours.rssPeakBytes).toBe(100);
	expect(ours.rssGrowthBytes).toBeNaN(); // no run recorded its start
});

test('RSS growth is the median over runs of peak minus start', () => {
	const runs = [10, 30, 20].map((start, round) => ({
		...run('ours', round, 1),
		rssPeakBytes: 100,
		rssStartBytes: start,
	}));
	expect(summarise(runs, 'noop')[0].rssGrowthBytes).toBe(80);
});

test('a round without a baseline run adds no difference; items/s is a median too', () => {
	const runs = [
		run('noop', 0, 0.1),
		run('ours', 0, 1.1, 500),
		run('ours', 1, 9.9, 1000),
		run('ours', 2, 9.9, 4000),
	];
	const ours = summarise(runs, 'noop').find((s) => s.key === 'ours');
	expect(ours?.overBaselinePerItemMsByRound).toHaveLength(1);
	expect(ours?.overBaselinePerItemMs).toBeCloseTo(1.0, 10);
	expect(ours?.itemsPerSecond).toBe(1000);
});

test('each round starts with the next case, and every case runs once per round', () => {
	const cases = ['a', 'b', 'c'];
	expect(roundOrder(cases, 0)).toEqual(['a', 'b', 'c']);
	expect(roundOrder(cases, 1)).toEqual(['b', 'c', 'a']);
	expect(roundOrder(cases, 2)).toEqual(['c', 'a', 'b']);
	expect(roundOrder(cases, 3)).toEqual(['a', 'b', 'c']);
	expect(roundOrder([], 1)).toEqual([]);
});
