/**
 * `--mode n8n --case queue`: several campaigns started at once with the same credential, as a
 * team running four sends at the same time does, on two set-ups side by side in one run:
 *
 *   queue    n8n's queue mode (scripts/n8n/queue/start-queue.ts): Postgres 17, Redis, main,
 *            two workers and a webhook processor; the manual runs are offloaded to the workers.
 *            Each worker is its own process with its own pacing per account, so the workers
 *            find the account's limit together through 429s (the governor's AIMD).
 *   regular  one regular-mode n8n running all campaigns: one process, one governor per account
 *            shared by every execution.
 *
 * Aggregate time = first sending node's start to last sending node's end (n8n's records),
 * against the floor total / rate. Lost, duplicated and 429s are the emulator's counts.
 */
import { cpus } from 'node:os';

import type { N8nClient, N8nInstance } from '../scripts/n8n/start';
import type { EmulatorProcess } from './emulator-process';
import { judgeCampaigns, prepareEmulator } from './judge';
import type { CampaignsVerdict } from './judge';
import {
	createBenchCredentials,
	oursNodeCase,
	rowsCode,
	senderRun,
	senderWithCredential,
	workflow,
} from './n8n-mode';
import type { SenderRun } from './n8n-mode';
import { waitForFinishedExecution } from './poll';
import { watchUsage } from './proc-stats';
import type { MachineUsage, WatchedProcess } from './proc-stats';

export interface CampaignsParams {
	campaigns: number;
	/** Messages per campaign. */
	n: number;
	rate: number;
	latency: number;
	workers: number;
	/** Executions a worker runs at once (n8n worker --concurrency). */
	workerConcurrency: number;
}

export interface CampaignRun {
	runId: string;
	executionId: string;
	status: string;
	/** The worker (pid) whose log says it took the execution; queue mode only. */
	ranOn?: number;
	/** The sending node's start, ms after the first sending node's start. */
	senderStartOffsetMs: number;
	senderMs: number;
	executionMs: number;
}

export interface CampaignsRow {
	key: 'queue' | 'regular';
	title: string;
	/** Seconds from starting the set-up to ready (n8n, and Postgres + Redis in queue mode). */
	startSeconds: number;
	campaigns: CampaignRun[];
	/** First sending node's start to last sending node's end. */
	sendingSpanMs: number;
	/** From the bench's first "run" request to the last execution's end. */
	wholeSpanMs: number;
	floorMs: number;
	ratioToFloor: number;
	verdict: CampaignsVerdict;
	usage: MachineUsage;
}

function floorOf(params: CampaignsParams): number {
	return ((params.campaigns * params.n) / params.rate) * 1000;
}

/** The worker whose log shows it took execution `id` (n8n logs "Worker started execution <id>"). */
function workerOf(workers: N8nInstance[], id: string): number | undefined {
	const line = new RegExp(`Worker started execution ${id}\\b`);
	return workers.find((w) => line.test(w.logs()))?.pid;
}

/** Imports the campaigns' workflows on `main`, starts them all at once, waits and judges. */
async function runCampaigns(
	key: CampaignsRow['key'],
	title: string,
	startSeconds: number,
	main: N8nClient,
	watched: WatchedProcess[],
	workers: N8nInstance[],
	emulator: EmulatorProcess,
	params: CampaignsParams,
): Promise<CampaignsRow> {
	const credentials = await createBenchCredentials(main, emulator.baseUrl);
	const sendCase = oursNodeCase('ours', 'IntelliPortal node, defaults');
	const stamp = Date.now().toString(36);
	const runIds = Array.from({ length: params.campaigns }, (_, k) => `${key}-${stamp}-c${k + 1}`);
	const workflows = [];
	for (const runId of runIds) {
		workflows.push(
			await main.importWorkflow(
				workflow(
					`Bench campaign ${runId} (${params.n})`,
					senderWithCredential(sendCase, credentials),
					rowsCode(params.n, runId),
				),
			),
		);
	}
	await prepareEmulator(emulator, {
		n: params.n * params.campaigns,
		rate: params.rate,
		latency: params.latency,
	});
	process.stderr.write(
		`  ${key}: ${params.campaigns} campaigns × ${params.n} messages at once ...\n`,
	);
	const watch = watchUsage(watched, cpus().length);
	const first = Date.now();
	const executionIds = await Promise.all(
		workflows.map((wf) => main.startManually(wf.id, 'Manual')),
	);
	const timeoutMs = Math.max(900_000, ((params.n * params.campaigns) / params.rate) * 10_000);
	const executions = await Promise.all(
		executionIds.map((id) =>
			waitForFinishedExecution(main, id, {
				timeoutMs,
				onTransient: (error) =>
					process.stderr.write(`  (waiting out n8n's answer: ${String(error).slice(0, 120)})\n`),
			}),
		),
	);
	const usage = watch.stop();
	const runs: SenderRun[] = executions.map((e, k) => senderRun(runIds[k], e, params.n));
	const verdict = await judgeCampaigns(
		emulator,
		runs.map((sender, k) => ({ runId: runIds[k], n: params.n, sender })),
	);
	const senderStart = Math.min(...runs.map((r) => r.startTime));
	const senderEnd = Math.max(...runs.map((r) => r.startTime + r.wallMs));
	const lastStop = Math.max(...runs.map((r) => r.executionStoppedAt));
	const floorMs = floorOf(params);
	const sendingSpanMs = senderEnd - senderStart;
	return {
		key,
		title,
		startSeconds: Math.round(startSeconds * 10) / 10,
		campaigns: runs.map((r, k) => ({
			runId: runIds[k],
			executionId: executions[k].id,
			status: executions[k].status,
			...(workers.length > 0 ? { ranOn: workerOf(workers, executions[k].id) } : {}),
			senderStartOffsetMs: r.startTime - senderStart,
			senderMs: r.wallMs,
			executionMs: r.executionMs,
		})),
		sendingSpanMs,
		wholeSpanMs: lastStop - first,
		floorMs,
		ratioToFloor: Number((sendingSpanMs / floorMs).toFixed(3)),
		verdict,
		usage,
	};
}

/** The campaigns on n8n's queue mode: Postgres, Redis, main, workers, webhook processor. */
export async function runQueueRow(
	emulator: EmulatorProcess,
	params: CampaignsParams,
): Promise<CampaignsRow> {
	const { startQueue } = await import('../scripts/n8n/queue/start-queue');
	process.stderr.write(
		`  queue: starting Postgres, Redis, main, ${params.workers} workers, webhook processor ...\n`,
	);
	const queue = await startQueue({
		workers: params.workers,
		concurrency: params.workerConcurrency,
	});
	try {
		const watched: WatchedProcess[] = [
			{ label: 'n8n main', pid: queue.main.pid },
			...queue.workers.map((w, i) => ({ label: `n8n worker ${i + 1}`, pid: w.pid })),
			{ label: 'n8n webhook processor', pid: queue.webhook.pid },
			{ label: 'Redis', pid: queue.redis.pid },
			{ label: 'Postgres', pid: queue.postgres.pid },
			{ label: 'emulator', pid: emulator.pid },
			{ label: 'bench', pid: process.pid, alone: true },
		];
		return await runCampaigns(
			'queue',
			`n8n queue mode: main + ${params.workers} workers (--concurrency=${params.workerConcurrency}) + webhook processor, Postgres 17, Redis`,
			queue.startSeconds,
			queue.main,
			watched,
			queue.workers,
			emulator,
			params,
		);
	} finally {
		await queue.stop();
	}
}

/** The same campaigns on one regular-mode n8n (SQLite, executions in the main process). */
export async function runRegularRow(
	emulator: EmulatorProcess,
	params: CampaignsParams,
): Promise<CampaignsRow> {
	const harness = await import('../scripts/n8n/start');
	process.stderr.write('  regular: starting one n8n ...\n');
	const started = Date.now();
	const n8n = await harness.startN8n({ packageDir: harness.REPO_ROOT });
	try {
		await n8n.setupOwner();
		const watched: WatchedProcess[] = [
			{ label: 'n8n (regular)', pid: n8n.pid },
			{ label: 'emulator', pid: emulator.pid },
			{ label: 'bench', pid: process.pid, alone: true },
		];
		return await runCampaigns(
			'regular',
			'one regular-mode n8n (SQLite), all campaigns in its one process',
			(Date.now() - started) / 1000,
			n8n,
			watched,
			[],
			emulator,
			params,
		);
	} finally {
		await n8n.stop();
	}
}

export function campaignsTable(rows: CampaignsRow[], params: CampaignsParams): string {
	const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
	const out = [
		`${params.campaigns} campaigns × ${params.n} messages started at once, same credential; emulator ${params.rate} req/s (burst ${params.rate}), ${params.latency} ms. Floor = ${params.campaigns * params.n} / ${params.rate} req/s = ${s(floorOf(params))}.`,
		'',
		'| Set-up | Aggregate sending time | × floor | Whole (first run → last end) | Delivered once | Lost | Duplicated | 429s | Requests | Campaigns per worker | Load avg (1 min, mean / max) | Machine cores busy (others) |',
		'|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|',
	];
	for (const r of rows) {
		const perWorker = new Map<string, number>();
		for (const c of r.campaigns) {
			if (c.ranOn === undefined) continue;
			perWorker.set(String(c.ranOn), (perWorker.get(String(c.ranOn)) ?? 0) + 1);
		}
		const spread =
			r.key === 'queue'
				? [...perWorker.values()].sort((a, b) => b - a).join(' + ') || 'unknown'
				: 'all in one process';
		const v = r.verdict;
		out.push(
			`| ${r.title} | ${s(r.sendingSpanMs)} | ${r.ratioToFloor.toFixed(2)} | ${s(r.wholeSpanMs)} | ${v.deliveredOnce} / ${v.n} | ${v.lost} | ${v.duplicated} | ${v.http429} | ${v.requests} | ${spread} | ${r.usage.loadAverage.mean} / ${r.usage.loadAverage.max} | ${r.usage.machineCoresBusy} (${r.usage.othersCoresBusy}) |`,
		);
	}
	out.push(
		'',
		'CPU during the campaigns (cores used = CPU seconds / wall seconds, process and its children):',
		'',
	);
	out.push(
		'| Set-up | Process | CPU s | Cores used | RSS before → peak |',
		'|---|---|---:|---:|---:|',
	);
	for (const r of rows) {
		for (const p of r.usage.processes) {
			out.push(
				`| ${r.key} | ${p.label} | ${p.cpuSeconds} | ${p.coresUsed} | ${(p.rssBeforeBytes / 2 ** 20).toFixed(0)} → ${(p.rssPeakBytes / 2 ** 20).toFixed(0)} MB |`,
			);
		}
	}
	return out.join('\n');
}
