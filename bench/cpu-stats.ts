/**
 * The arithmetic of `--case cpu`: per-item CPU of each sender over the No Operation baseline,
 * from runs interleaved in rounds (every case once per round, in one n8n). A case's figure is the
 * median over rounds of its cost minus the same round's baseline, so that load which changes
 * between rounds changes both sides of each difference.
 */

/** The middle value (mean of the two middle ones for an even count); NaN for none. */
export function median(values: number[]): number {
	const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
	if (sorted.length === 0) return Number.NaN;
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** CPU milliseconds per item. */
export function perItemMs(cpuSeconds: number, n: number): number {
	return (cpuSeconds * 1000) / n;
}

/** One measured run of one case. */
export interface CpuRun {
	key: string;
	round: number;
	n: number;
	/** CPU seconds of n8n's process tree (main + task runner) from start to finish. */
	cpuSeconds: number;
	/** The sending node's execution time as n8n recorded it. */
	senderMs: number;
	/** n8n main's peak RSS during the run (VmHWM, reset at the start). */
	rssPeakBytes: number;
	/** n8n main's RSS at the start (earlier runs' memory included). */
	rssStartBytes?: number;
	/** 1-minute load average at the start of the run. */
	load1: number;
}

export interface CpuCaseSummary {
	key: string;
	runs: number;
	/** Median CPU per item, the baseline's own share included. */
	cpuPerItemMs: number;
	/** Median over rounds of (this run's CPU − the same round's baseline) / N. */
	overBaselinePerItemMs: number;
	/** Each round's difference, in round order (what the median is taken of). */
	overBaselinePerItemMsByRound: number[];
	/** Median of N / sending node time. */
	itemsPerSecond: number;
	rssPeakBytes: number;
	/** Median of peak − start RSS over the runs that recorded the start. */
	rssGrowthBytes: number;
}

/** Items per second of one run from the sending node's time. */
export function itemsPerSecond(n: number, senderMs: number): number {
	return senderMs > 0 ? (n * 1000) / senderMs : Number.NaN;
}

/**
 * Per-case medians, the baseline subtracted round by round. A round without a baseline run
 * contributes nothing to the differences (its runs still count for the plain medians).
 */
export function summarise(runs: CpuRun[], baselineKey: string): CpuCaseSummary[] {
	const baselineOf = new Map<number, CpuRun>();
	for (const run of runs) if (run.key === baselineKey) baselineOf.set(run.round, run);
	const keys = [...new Set(runs.map((r) => r.key))];
	return keys.map((key) => {
		const own = runs.filter((r) => r.key === key).sort((a, b) => a.round - b.round);
		const differences = own.flatMap((run) => {
			const base = baselineOf.get(run.round);
			if (!base) return [];
			return [perItemMs(run.cpuSeconds, run.n) - perItemMs(base.cpuSeconds, base.n)];
		});
		return {
			key,
			runs: own.length,
			cpuPerItemMs: median(own.map((r) => perItemMs(r.cpuSeconds, r.n))),
			overBaselinePerItemMs: median(differences),
			overBaselinePerItemMsByRound: differences,
			itemsPerSecond: median(own.map((r) => itemsPerSecond(r.n, r.senderMs))),
			rssPeakBytes: median(own.map((r) => r.rssPeakBytes)),
			rssGrowthBytes: median(own.map((r) => r.rssPeakBytes - (r.rssStartBytes ?? Number.NaN))),
		};
	});
}

/** The order of the cases in round `round`: rotated by one each round so no case is always first. */
export function roundOrder<T>(cases: T[], round: number): T[] {
	if (cases.length === 0) return [];
	const shift = round % cases.length;
	return [...cases.slice(shift), ...cases.slice(0, shift)];
}
