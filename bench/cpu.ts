/**
 * `--mode n8n --case cpu`: what each sender costs n8n per item, side by side in ONE n8n. The
 * emulator answers at once (no rate limit, no latency), so CPU is all that bounds a run. Per run:
 * CPU seconds of n8n's process tree (main + task runner) from /proc right before the execution is
 * started and once n8n reports it finished (before its data is fetched), main's peak RSS, and
 * the emulator's verdict (each item delivered exactly once). Rounds run every case once each, in
 * a rotated order; figures are medians over rounds, the baseline subtracted round by round.
 */
import { loadavg } from 'node:os';

import { BASELINE_KEY, cpuCases } from './cpu-cases';
import { roundOrder, summarise } from './cpu-stats';
import type { CpuCaseSummary, CpuRun } from './cpu-stats';
import type { EmulatorProcess } from './emulator-process';
import { judgeSendCase, prepareEmulator } from './judge';
import { startN8nBench } from './n8n-bench';
import type { N8nBench, RunHooks } from './n8n-bench';
import type { N8nSendCase, SenderRun } from './n8n-mode';
import { memoryOf, resetPeakRss, treeCpuSeconds } from './proc-stats';

export interface CpuParams {
	n: number;
	rounds: number;
	/** Items of the unmeasured first run of each case (JIT, task runner start, module loading). */
	warmupN: number;
	/** The package to measure (default this repository): a candidate change's worktree. */
	packageDir?: string;
}

export interface CpuRunRecord extends CpuRun {
	/** The emulator holds exactly one message per item and saw N requests (0 for the baseline). */
	exactlyOnce: boolean;
	deliveredOnce: number;
	duplicated: number;
	requests: number;
	orderPreserved: boolean;
}

export interface CpuReport {
	params: CpuParams;
	cases: Array<{ key: string; title: string; typeVersion: number }>;
	runs: CpuRunRecord[];
	summary: CpuCaseSummary[];
}

/**
 * Runs `sendCase` once with N items and returns the emulator-checked measurement; `around` runs
 * outside the measured window (a profiler's start and stop).
 */
export async function measuredRun(
	emulator: EmulatorProcess,
	bench: N8nBench,
	sendCase: N8nSendCase,
	n: number,
	round: number,
	around: RunHooks = {},
): Promise<CpuRunRecord> {
	await prepareEmulator(emulator, { n, rate: 0, latency: 0 });
	const pid = bench.n8n.pid;
	const runId = `cpu-${sendCase.key}-${round}-${Date.now().toString(36)}`;
	let cpuStart = 0;
	let cpuEnd = 0;
	let rssPeakBytes = Number.NaN;
	let rssStartBytes = Number.NaN;
	let load1 = Number.NaN;
	const outcome: SenderRun = await bench.run(
		sendCase,
		{ n, runId },
		{
			beforeStart: async () => {
				await around.beforeStart?.();
				resetPeakRss(pid);
				rssStartBytes = memoryOf(pid)?.rssBytes ?? Number.NaN;
				load1 = loadavg()[0];
				cpuStart = treeCpuSeconds(pid);
			},
			afterFinish: async () => {
				cpuEnd = treeCpuSeconds(pid);
				rssPeakBytes = memoryOf(pid)?.hwmBytes ?? Number.NaN;
				await around.afterFinish?.();
			},
		},
	);
	const verdict = await judgeSendCase(
		emulator,
		sendCase,
		{ n, rate: 0, latency: 0 },
		runId,
		outcome,
		{
			wallMs: outcome.wallMs,
			floorMs: 1,
		},
	);
	const baseline = sendCase.key === BASELINE_KEY;
	return {
		key: sendCase.key,
		round,
		n,
		cpuSeconds: Number((cpuEnd - cpuStart).toFixed(2)),
		senderMs: outcome.wallMs,
		rssPeakBytes,
		rssStartBytes,
		load1: Number(load1.toFixed(2)),
		exactlyOnce: baseline
			? verdict.requests === 0
			: verdict.deliveredOnce === n && verdict.duplicated === 0 && verdict.requests === n,
		deliveredOnce: verdict.deliveredOnce,
		duplicated: verdict.duplicated,
		requests: verdict.requests,
		orderPreserved: baseline || verdict.orderPreserved,
	};
}

/** Warm-up, then `rounds` interleaved rounds of every case, in one n8n. */
export async function runCpuCase(emulator: EmulatorProcess, params: CpuParams): Promise<CpuReport> {
	const cases = cpuCases(emulator.baseUrl);
	const bench = await startN8nBench(emulator.baseUrl, { packageDir: params.packageDir });
	const runs: CpuRunRecord[] = [];
	try {
		for (const sendCase of cases) {
			process.stderr.write(`  warm-up ${sendCase.key} (${params.warmupN} items)\n`);
			await measuredRun(emulator, bench, sendCase, params.warmupN, -1);
		}
		for (let round = 0; round < params.rounds; round++) {
			for (const sendCase of roundOrder(cases, round)) {
				const run = await measuredRun(emulator, bench, sendCase, params.n, round);
				process.stderr.write(
					`  round ${round + 1} ${sendCase.key}: ${run.cpuSeconds} s CPU (${((run.cpuSeconds * 1000) / params.n).toFixed(3)} ms/item), node ${(run.senderMs / 1000).toFixed(2)} s, ${run.exactlyOnce ? 'exactly once' : `NOT exactly once (${run.deliveredOnce}/${params.n}, ${run.duplicated} dup, ${run.requests} requests)`}, load ${run.load1}\n`,
				);
				runs.push(run);
			}
		}
	} finally {
		await bench.stop();
	}
	return {
		params,
		cases: cases.map((c) => ({
			key: c.key,
			title: c.title,
			typeVersion: Number(c.sender().typeVersion),
		})),
		runs,
		summary: summarise(runs, BASELINE_KEY),
	};
}

export function cpuTable(report: CpuReport, version: string): string {
	const ms = (v: number) => (Number.isNaN(v) ? 'n/a' : `${v.toFixed(2)} ms`);
	const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
	const { n, rounds } = report.params;
	const rows = [
		`CPU per item, side by side in one n8n ${version}: Manual → Code (${n} items) → sender; emulator without rate limit or latency. n8n's process tree (main + task runner) CPU from /proc, start to finish of each execution; ${rounds} rounds, every case once per round (order rotated); medians. "Over No Operation": per round, this run's CPU per item minus that round's No Operation run.`,
		'',
		'| Sender | n8n CPU per item over No Operation (each round) | n8n CPU per item | Items/s (sending node) | n8n main peak RSS (growth in the run) | Exactly once (emulator) | Load avg (1 min) at each run |',
		'|---|---:|---:|---:|---:|:---:|---|',
	];
	for (const c of report.cases) {
		const s = report.summary.find((x) => x.key === c.key);
		const own = report.runs.filter((r) => r.key === c.key);
		if (!s) continue;
		const byRound = s.overBaselinePerItemMsByRound.map((v) => v.toFixed(2)).join(', ');
		const once = own.every((r) => r.exactlyOnce && r.orderPreserved)
			? `${own.length}/${own.length} runs`
			: `NO (${own.filter((r) => r.exactlyOnce).length}/${own.length})`;
		// A node that ran for a few ms gives no meaningful rate.
		const rate = s.itemsPerSecond <= 100_000 ? String(Math.round(s.itemsPerSecond)) : '(ran in ms)';
		rows.push(
			`| ${c.title} | ${c.key === BASELINE_KEY ? '(baseline)' : `**${ms(s.overBaselinePerItemMs)}** (${byRound})`} | ${ms(s.cpuPerItemMs)} | ${rate} | ${mb(s.rssPeakBytes)}${Number.isFinite(s.rssGrowthBytes) ? ` (${s.rssGrowthBytes < 0 ? '−' : '+'}${mb(Math.abs(s.rssGrowthBytes))})` : ''} | ${once} | ${own.map((r) => r.load1).join(', ')} |`,
		);
	}
	return rows.join('\n');
}
