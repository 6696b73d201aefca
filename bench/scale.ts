/**
 * `--mode n8n --case scale`: one campaign per N in regular mode, each in a fresh n8n process so
 * that its memory is the campaign's alone: the sending node's time against the floor, the n8n
 * process's resident memory (VmRSS when ready, the kernel's VmHWM peak at the end), n8n's CPU time
 * against the wall clock and the machine's load. With `--scale-baseline`, also per N a fresh n8n
 * running the same N items through n8n's No Operation node instead of ours: what n8n itself
 * needs to hold an execution of N items, so that the growth can be split between n8n and us.
 */
import { cpus } from 'node:os';

import type { EmulatorProcess } from './emulator-process';
import { floorMs as floorOf, judgeSendCase, prepareEmulator } from './judge';
import type { SendCaseResult } from './judge';
import { startN8nBench } from './n8n-bench';
import type { N8nBench } from './n8n-bench';
import { oursNodeCase, rowsCode, SENDER, workflow } from './n8n-mode';
import { waitForFinishedExecution } from './poll';
import { memoryOf, resetPeakRss, watchUsage } from './proc-stats';
import type { MachineUsage } from './proc-stats';

export interface N8nMemory {
	/** VmRSS of the n8n process once ready (owner and credentials set up), before the run. */
	readyBytes: number;
	/** VmHWM at the end, the mark reset when ready: the peak during the run. */
	peakBytes: number;
	/** VmRSS after the run. */
	afterBytes: number;
}

export interface BaselineRun {
	/** n8n's own time for the N items through No Operation (the node's run time). */
	nodeMs: number;
	executionMs: number;
	memory: N8nMemory;
}

export interface ScaleRow {
	n: number;
	floorMs: number;
	result: SendCaseResult;
	memory: N8nMemory;
	usage: MachineUsage;
	baseline?: BaselineRun;
}

function memoryNow(pid: number): { rss: number; hwm: number } {
	const m = memoryOf(pid);
	return { rss: m?.rssBytes ?? Number.NaN, hwm: m?.hwmBytes ?? Number.NaN };
}

/** The same N items through n8n's No Operation node, in a fresh n8n. */
async function runBaseline(emulator: EmulatorProcess, n: number): Promise<BaselineRun> {
	const bench: N8nBench = await startN8nBench(emulator.baseUrl);
	try {
		const imported = await bench.n8n.importWorkflow(
			workflow(
				`Bench baseline (${n})`,
				{
					id: 'bench-send',
					name: SENDER,
					type: 'n8n-nodes-base.noOp',
					typeVersion: 1,
					position: [400, 0],
					parameters: {},
				},
				rowsCode(n, 'baseline'),
			),
		);
		const ready = memoryNow(bench.n8n.pid).rss;
		resetPeakRss(bench.n8n.pid);
		const id = await bench.n8n.startManually(imported.id, 'Manual');
		const execution = await waitForFinishedExecution(bench.n8n, id, { timeoutMs: 900_000 });
		const run = execution.data?.resultData.runData[SENDER]?.[0] as
			| { executionTime?: number }
			| undefined;
		const end = memoryNow(bench.n8n.pid);
		return {
			nodeMs: Number(run?.executionTime ?? Number.NaN),
			executionMs: Date.parse(execution.stoppedAt ?? '') - Date.parse(execution.startedAt),
			memory: { readyBytes: ready, peakBytes: end.hwm, afterBytes: end.rss },
		};
	} finally {
		await bench.stop();
	}
}

/** Our node at its defaults, one campaign per N, each in a fresh regular-mode n8n. */
export async function runScale(
	emulator: EmulatorProcess,
	ns: number[],
	params: { rate: number; latency: number; concurrency: number; baseline: boolean },
): Promise<ScaleRow[]> {
	const rows: ScaleRow[] = [];
	const ours = oursNodeCase(
		'ours',
		'IntelliPortal node, defaults (Concurrency 16, adaptive pacing)',
	);
	for (const n of ns) {
		const floor = floorOf(n, params.rate, params.latency, params.concurrency);
		process.stderr.write(`  N=${n}: starting a fresh n8n ...\n`);
		const bench = await startN8nBench(emulator.baseUrl);
		let row: ScaleRow;
		try {
			await prepareEmulator(emulator, { n, rate: params.rate, latency: params.latency });
			const ready = memoryNow(bench.n8n.pid).rss;
			const runId = `scale-${n}-${Date.now().toString(36)}`;
			process.stderr.write(`  N=${n}: sending ...\n`);
			const watch = watchUsage(
				[
					{ label: 'n8n', pid: bench.n8n.pid },
					{ label: 'emulator', pid: emulator.pid },
					{ label: 'bench', pid: process.pid, alone: true },
				],
				cpus().length,
			);
			const outcome = await bench.run(ours, { n, runId });
			const usage = watch.stop();
			const end = memoryNow(bench.n8n.pid);
			const result = await judgeSendCase(
				emulator,
				ours,
				{ n, rate: params.rate, latency: params.latency },
				runId,
				outcome,
				{ wallMs: outcome.wallMs, executionMs: outcome.executionMs, floorMs: floor },
			);
			row = {
				n,
				floorMs: Math.round(floor),
				result,
				memory: { readyBytes: ready, peakBytes: end.hwm, afterBytes: end.rss },
				usage,
			};
		} finally {
			await bench.stop();
		}
		if (params.baseline) {
			process.stderr.write(`  N=${n}: baseline (No Operation) in a fresh n8n ...\n`);
			row.baseline = await runBaseline(emulator, n);
		}
		const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
		process.stderr.write(
			`  N=${n}: ${(row.result.wallMs / 1000).toFixed(1)} s = ${row.result.ratioToFloor.toFixed(3)} x floor, n8n RSS ready ${mb(row.memory.readyBytes)} -> peak ${mb(row.memory.peakBytes)}, n8n ${row.usage.processes[0].coresUsed} cores, load ${row.usage.loadAverage.mean}${row.baseline ? `; baseline peak ${mb(row.baseline.memory.peakBytes)}` : ''}\n`,
		);
		rows.push(row);
	}
	return rows;
}

export function scaleTable(
	rows: ScaleRow[],
	params: { rate: number; latency: number },
	version: string,
): string {
	const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;
	const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
	const withBaseline = rows.some((r) => r.baseline);
	const out = [
		`One campaign per N, each in a fresh regular-mode n8n ${version} (our node at its defaults), emulator ${params.rate} req/s, ${params.latency} ms. Memory: the n8n process (VmRSS when ready; peak = VmHWM, its mark reset when ready, so the peak during the run). CPU: n8n and its task runner, CPU seconds / wall seconds during the send.`,
		'',
		`| N | Sending node time | Whole execution | Floor | × floor | Delivered once | Lost | Duplicated | 429s | n8n RSS ready → peak | Peak growth | Growth per 1 000 items |${withBaseline ? ' n8n alone (No Operation): peak growth |' : ''} n8n cores used | Machine cores busy (others) | Load avg mean / max |`,
		`|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|${withBaseline ? '---:|' : ''}---:|---:|---:|`,
	];
	for (const { n, floorMs, result: r, memory, usage, baseline } of rows) {
		const growth = memory.peakBytes - memory.readyBytes;
		const base = baseline
			? ` ${mb(baseline.memory.peakBytes - baseline.memory.readyBytes)} (${s(baseline.nodeMs)}) |`
			: withBaseline
				? ' |'
				: '';
		out.push(
			`| ${n} | ${s(r.wallMs)} | ${r.executionMs !== undefined ? s(r.executionMs) : ''} | ${s(floorMs)} | ${r.ratioToFloor.toFixed(3)} | ${r.deliveredOnce} / ${n} | ${r.failed} | ${r.duplicated} | ${r.http429} | ${mb(memory.readyBytes)} → ${mb(memory.peakBytes)} | ${mb(growth)} | ${(((growth / n) * 1000) / 2 ** 20).toFixed(2)} MB |${base} ${usage.processes[0].coresUsed} | ${usage.machineCoresBusy} (${usage.othersCoresBusy}) | ${usage.loadAverage.mean} / ${usage.loadAverage.max} |`,
		);
	}
	return out.join('\n');
}
