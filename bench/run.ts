/**
 * `npm run bench -- [flags]`: bulk sending against the sandbox emulator, side by side.
 *
 *   --n 10000 --rate 200 --latency 25 --concurrency 16   (defaults)
 *   --quick                  CI-sized run (n = 600)
 *   --case send|memory|all   default send
 *   --cases ours,naive,batched,sequential   subset of the send cases
 *   --mode core|n8n          core (default): the senders run in this Node process; n8n: inside a real n8n
 *   --clients 100000         memory case: clients seeded in the emulator
 *   --out bench/results      where <timestamp>.json and latest.json go
 *
 * Delivery is judged by the emulator (its message list and counters), never by the sender.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { batchedCase, naiveCase, oursCase } from './cases';
import type { SendCase } from './cases';
import { startEmulatorProcess } from './emulator-process';
import type { EmulatorProcess } from './emulator-process';
import { runMemoryCase } from './memory';
import type { MemoryResult } from './memory';
import { n8nModeUnavailableReason } from './n8n-mode';

interface SendCaseResult {
	key: string;
	title: string;
	n: number;
	concurrency: number;
	wallMs: number;
	/** wall time / the floor of row (5). */
	ratioToFloor: number;
	/** Items the emulator holds exactly one message for. */
	deliveredOnce: number;
	/** Items the emulator holds no message for (lost). */
	failed: number;
	/** Extra messages beyond one per item (a customer messaged twice). */
	duplicated: number;
	/** 429 responses the emulator sent during the case. */
	http429: number;
	/** Requests the emulator saw. */
	requests: number;
	/** Failures as the sender saw them. */
	senderFailures: number;
	/** Every id the sender returned for item i belongs to the message for item i. */
	orderPreserved: boolean;
	/** Achieved delivered-messages per second. */
	deliveredPerSecond: number;
}

function machine(): Record<string, string | number> {
	let nproc = cpus().length;
	try {
		nproc = Number(execSync('nproc', { encoding: 'utf8' }).trim()) || nproc;
	} catch {
		// keep os.cpus()
	}
	return {
		nproc,
		cpuModel: cpus()[0]?.model ?? 'unknown',
		node: process.version,
		platform: `${process.platform} ${process.arch}`,
	};
}

async function runSendCase(
	emulator: EmulatorProcess,
	sendCase: SendCase,
	params: { n: number; rate: number; latency: number },
	floorMs: number,
): Promise<SendCaseResult> {
	await emulator.reset();
	await emulator.config({
		latencyMs: params.latency,
		rateLimitRps: params.rate,
		rateLimitBurst: 0,
		statusStepMs: 0,
	});
	const runId = `${sendCase.key}-${Date.now().toString(36)}`;
	process.stderr.write(`  ${sendCase.key}: sending ${params.n} messages ...\n`);
	const started = performance.now();
	const outcome = await sendCase.send({
		baseUrl: emulator.baseUrl,
		n: params.n,
		runId,
		rate: params.rate,
	});
	const wallMs = performance.now() - started;

	const counters = await emulator.counters();
	const messages = await emulator.messages();
	const perItem = new Array<number>(params.n).fill(0);
	const itemOfId = new Map<string, number>();
	const prefix = `bench:${runId}:`;
	for (const m of messages) {
		const text = (m.body as { text?: { body?: string } }).text?.body;
		if (typeof text !== 'string' || !text.startsWith(prefix)) continue;
		const index = Number(text.slice(prefix.length));
		if (Number.isInteger(index) && index >= 0 && index < params.n) {
			perItem[index]++;
			itemOfId.set(m.id, index);
		}
	}
	let orderPreserved = outcome.ids.length === params.n;
	outcome.ids.forEach((id, i) => {
		if (id !== undefined && itemOfId.get(id) !== i) orderPreserved = false;
	});
	const deliveredOnce = perItem.filter((c) => c === 1).length;
	const delivered = perItem.filter((c) => c >= 1).length;
	return {
		key: sendCase.key,
		title: sendCase.title,
		n: params.n,
		concurrency: sendCase.concurrency,
		wallMs: Math.round(wallMs),
		ratioToFloor: Number((wallMs / floorMs).toFixed(3)),
		deliveredOnce,
		failed: perItem.filter((c) => c === 0).length,
		duplicated: perItem.reduce((sum, c) => sum + Math.max(0, c - 1), 0),
		http429: counters.rateLimited,
		requests: counters.requests,
		senderFailures: outcome.senderFailures,
		orderPreserved,
		deliveredPerSecond: Number(((delivered * 1000) / wallMs).toFixed(1)),
	};
}

function sendTable(results: SendCaseResult[], floorMs: number, floorNote: string): string {
	const rows = [
		'| # | Sender | Wall time | × floor | Delivered once | Failed (lost) | Duplicated | 429s received | Delivered/s | Order preserved |',
		'|---|---|---:|---:|---:|---:|---:|---:|---:|:---:|',
	];
	results.forEach((r, i) => {
		rows.push(
			`| ${i + 1} | ${r.title} | ${(r.wallMs / 1000).toFixed(2)} s | ${r.ratioToFloor.toFixed(2)} | ${r.deliveredOnce} / ${r.n} | ${r.failed} | ${r.duplicated} | ${r.http429} | ${r.deliveredPerSecond} | ${r.orderPreserved ? 'yes' : 'no'} |`,
		);
	});
	rows.push(
		`| ${results.length + 1} | Floor: ${floorNote} | ${(floorMs / 1000).toFixed(2)} s | 1.00 | | | | | | |`,
	);
	return rows.join('\n');
}

function memoryTable(m: MemoryResult): string {
	const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
	const rows = [
		`Memory: Return All over ${m.clients} clients (emulator seeded via admin; each variant in a fresh Node process; peak RSS = the process's maxRSS)`,
		'',
		'| Variant | Clients returned | Result size (JSON) | Peak RSS | Peak RSS − idle RSS | Peak RSS growth / result size | Wall time |',
		'|---|---:|---:|---:|---:|---:|---:|',
	];
	for (const v of m.variants) {
		rows.push(
			`| ${v.title} | ${v.count} | ${mb(v.resultBytes)} | ${mb(v.peakRssBytes)} | ${mb(v.peakRssBytes - v.idleRssBytes)} | ${v.resultBytes > 0 ? ((v.peakRssBytes - v.idleRssBytes) / v.resultBytes).toFixed(2) : 'n/a'} | ${(v.wallMs / 1000).toFixed(2)} s |`,
		);
	}
	return rows.join('\n');
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			quick: { type: 'boolean', default: false },
			n: { type: 'string' },
			rate: { type: 'string', default: '200' },
			latency: { type: 'string', default: '25' },
			concurrency: { type: 'string', default: '16' },
			case: { type: 'string', default: 'send' },
			cases: { type: 'string', default: 'ours,naive,batched,sequential' },
			mode: { type: 'string', default: 'core' },
			clients: { type: 'string', default: '100000' },
			out: { type: 'string', default: join(__dirname, 'results') },
		},
		strict: true,
	});
	const num = (name: string, raw: string | undefined, min: number): number => {
		const v = Number(raw);
		if (!Number.isFinite(v) || v < min)
			throw new Error(`--${name} must be a number >= ${min}, got '${raw}'`);
		return v;
	};
	const n = values.n !== undefined ? num('n', values.n, 1) : values.quick ? 600 : 10_000;
	const rate = num('rate', values.rate, 1);
	const latency = num('latency', values.latency, 0);
	const concurrency = num('concurrency', values.concurrency, 1);
	const clients = num('clients', values.clients, 1);
	const which = values.case ?? 'send';
	if (!['send', 'memory', 'all'].includes(which))
		throw new Error(`--case must be send, memory or all`);
	const mode = values.mode ?? 'core';
	if (mode !== 'core' && mode !== 'n8n') throw new Error(`--mode must be core or n8n`);
	if (mode === 'n8n') {
		const reason = n8nModeUnavailableReason();
		if (reason) {
			process.stderr.write(
				`--mode n8n is not available: ${reason}\nRun without --mode (core-level comparison).\n`,
			);
			process.exit(2);
		}
	}

	const floorRateMs = (n / rate) * 1000;
	const floorLatencyMs = (n * latency) / concurrency;
	const floorMs = Math.max(floorRateMs, floorLatencyMs);
	const floorNote = `max(N / rate, N × latency / concurrency) = max(${n}/${rate} s, ${n}×${latency} ms/${concurrency})`;

	const report: Record<string, unknown> = {
		timestamp: new Date().toISOString(),
		mode,
		modeNote:
			'core-level run: every sender runs in this Node process against the emulator (separate process); not inside n8n',
		machine: machine(),
		params: {
			n,
			rate,
			latencyMs: latency,
			concurrency,
			burst: rate,
			retryAfter: 'whole seconds (emulator)',
		},
		floorMs: Math.round(floorMs),
	};
	const printed: string[] = [];

	const emulator = await startEmulatorProcess({ statusStepMs: 0, requestLogSize: 10 });
	try {
		if (which === 'send' || which === 'all') {
			const selected = new Set((values.cases ?? '').split(',').map((s) => s.trim()));
			const all: SendCase[] = [
				oursCase(
					'ours',
					`IntelliPortal core: adaptive governor + runBulk (concurrency ${concurrency})`,
					concurrency,
				),
				naiveCase(n),
				batchedCase(rate, 1000),
				oursCase('sequential', 'IntelliPortal core, concurrency 1 (sequential nodes)', 1),
			];
			const results: SendCaseResult[] = [];
			process.stderr.write(`bench: N=${n}, rate ${rate}/s, latency ${latency} ms (mode ${mode})\n`);
			for (const c of all.filter((c) => selected.has(c.key))) {
				results.push(await runSendCase(emulator, c, { n, rate, latency }, floorMs));
			}
			report.send = results;
			printed.push(
				`Bulk send, N = ${n}, emulator rate limit ${rate} req/s (burst ${rate}, Retry-After in whole seconds), latency ${latency} ms. Mode: ${mode} (${String(report.modeNote)}).`,
				'',
				sendTable(results, floorMs, floorNote),
			);
		}
		if (which === 'memory' || which === 'all') {
			process.stderr.write(`bench memory: seeding ${clients} clients ...\n`);
			await emulator.reset();
			await emulator.config({ latencyMs: 0, rateLimitRps: 0, statusStepMs: 0 });
			await emulator.seedClients(clients);
			const memory = await runMemoryCase(emulator.baseUrl, clients);
			report.memory = memory;
			printed.push('', memoryTable(memory));
		}
	} finally {
		await emulator.stop();
	}

	const m = report.machine as Record<string, string | number>;
	printed.push('', `Machine: ${m.nproc} CPUs (${m.cpuModel}), Node ${m.node}, ${m.platform}.`);
	const outDir = resolve(values.out ?? join(__dirname, 'results'));
	mkdirSync(outDir, { recursive: true });
	const stamp = String(report.timestamp).replace(/[:.]/g, '-');
	report.markdown = printed.join('\n');
	writeFileSync(join(outDir, `${stamp}.json`), `${JSON.stringify(report, null, '\t')}\n`);
	writeFileSync(join(outDir, 'latest.json'), `${JSON.stringify(report, null, '\t')}\n`);
	process.stdout.write(`${printed.join('\n')}\n\nResults: ${join(outDir, `${stamp}.json`)}\n`);
}

main().catch((error: unknown) => {
	process.stderr.write(
		`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exit(1);
});
