/**
 * `npm run bench -- [flags]`: bulk sending against the sandbox emulator, side by side.
 *
 *   --n 10000 --rate 200 --latency 25 --concurrency 16   (defaults)
 *   --quick                  CI-sized run (n = 600)
 *   --case send|memory|all|scale|queue|new-client|cpu   default send;
 *                            cpu (n8n mode): per-item CPU of No Operation, HTTP Request (plain
 *                            header, Header Auth credential) and our node (each version), side by
 *                            side in one n8n, --rounds 3 interleaved, N default 5000, after a
 *                            --warmup-n 200 run of each; --profile: one profiled run per case
 *                            (--profile-cases ours-v2,http-credential; --profile-interval 500 µs),
 *                            .cpuprofile files in a temp folder, ms per item per bucket printed;
 *                            --package-dir <worktree>: measure that checkout's built package
 *                            new-client: Zapier's New Client polling an account of --account-clients
 *                            (default 50000) clients: requests and time per poll, per server shape
 *                            scale (n8n mode): our node at each N of --scale-ns (default
 *                            10000,100000), a fresh n8n per N: time vs floor, n8n's RSS and CPU
 *                            queue (n8n mode): --campaigns 4 campaigns of --campaign-n 2500 at once,
 *                            same credential, on n8n queue mode (--workers 2, --worker-concurrency 2)
 *                            and on one regular n8n, side by side (--rows queue,regular)
 *   --cases ours,naive,batched,sequential,ceiling   subset of the send cases (ceiling: n8n mode only)
 *   --sequential-n 2000      a smaller N for the sequential row (compared with its own floor)
 *   --mode core|n8n          core (default): the senders run in this Node process; n8n: inside a real n8n
 *   --clients 100000         memory case: clients seeded in the emulator
 *   --out bench/results      where <case>-latest.json goes (only the latest run of each is kept)
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
import { newClientTable, runNewClientCase } from './newClient';
import type { MemoryResult } from './memory';
import { floorMs as floorOf, judgeSendCase, prepareEmulator } from './judge';
import type { CaseParams, SendCaseResult } from './judge';
import { startN8nBench } from './n8n-bench';
import type { N8nBench } from './n8n-bench';
import { httpNodeCase, oursNodeCase } from './n8n-mode';
import type { N8nSendCase } from './n8n-mode';
import { N8N_VERSION } from '../scripts/n8n/start';
import { runScale, scaleTable } from './scale';
import { campaignsTable, runQueueRow, runRegularRow } from './campaigns';
import type { CampaignsParams, CampaignsRow } from './campaigns';
import { loadavg } from 'node:os';
import { cpuTable, runCpuCase } from './cpu';
import { runCpuProfile } from './cpu-profile';
import { profileTables } from './profile-table';

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

/** Which checkout the n8n cases install: its folder, commit and whether it has local changes. */
function packageOf(dir: string): { dir: string; commit: string; localChanges: boolean } {
	const git = (args: string) => execSync(`git -C '${dir}' ${args}`, { encoding: 'utf8' }).trim();
	try {
		return { dir, commit: git('rev-parse HEAD'), localChanges: git('status --porcelain') !== '' };
	} catch {
		return { dir, commit: 'unknown', localChanges: true };
	}
}

async function runCoreCase(
	emulator: EmulatorProcess,
	sendCase: SendCase,
	params: CaseParams,
	floor: number,
): Promise<SendCaseResult> {
	await prepareEmulator(emulator, params);
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
	return judgeSendCase(emulator, sendCase, params, runId, outcome, { wallMs, floorMs: floor });
}

async function runN8nCase(
	emulator: EmulatorProcess,
	bench: N8nBench,
	sendCase: N8nSendCase,
	params: CaseParams,
	floor: number,
): Promise<SendCaseResult> {
	await prepareEmulator(emulator, params);
	const runId = `${sendCase.key}-${Date.now().toString(36)}`;
	process.stderr.write(`  ${sendCase.key}: ${params.n} items through n8n ...\n`);
	const outcome = await bench.run(sendCase, { n: params.n, runId });
	return judgeSendCase(emulator, sendCase, params, runId, outcome, {
		wallMs: outcome.wallMs,
		executionMs: outcome.executionMs,
		floorMs: floor,
	});
}

function sendTable(results: SendCaseResult[], floorMs: number, floorNote: string): string {
	const inN8n = results.some((r) => r.executionMs !== undefined);
	const rows = [
		`| # | Sender | N | ${inN8n ? 'Sending node time | Whole execution' : 'Wall time'} | × floor | Delivered once | Failed (lost) | Duplicated | 429s received | Delivered/s | Order preserved |`,
		`|---|---|---:|---:|${inN8n ? '---:|' : ''}---:|---:|---:|---:|---:|---:|:---:|`,
	];
	const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
	results.forEach((r, i) => {
		const floorNoteForRow = r.floorMs !== undefined ? ` (own floor ${seconds(r.floorMs)})` : '';
		rows.push(
			`| ${i + 1} | ${r.title} | ${r.n} | ${seconds(r.wallMs)}${inN8n ? ` | ${r.executionMs !== undefined ? seconds(r.executionMs) : ''}` : ''} | ${r.ratioToFloor.toFixed(2)}${floorNoteForRow} | ${r.deliveredOnce} / ${r.n} | ${r.failed} | ${r.duplicated} | ${r.http429} | ${r.deliveredPerSecond} | ${r.orderPreserved ? 'yes' : 'no'} |`,
		);
	});
	rows.push(
		`| ${results.length + 1} | Floor: ${floorNote} | | ${seconds(floorMs)}${inN8n ? ' | ' : ''} | 1.00 | | | | | | |`,
	);
	return rows.join('\n');
}

function memoryTable(m: MemoryResult): string {
	const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
	const rows = [
		`Memory: Return All over ${m.clients} clients (emulator seeded via admin; each variant in a fresh Node process; peak RSS = the process's maxRSS)`,
		'',
		'| Variant | Clients returned | Result size (JSON) | Result held in memory (heap after GC) | Peak RSS | Peak RSS − idle RSS | Peak growth / result held | Wall time |',
		'|---|---:|---:|---:|---:|---:|---:|---:|',
	];
	for (const v of m.variants) {
		rows.push(
			`| ${v.title} | ${v.count} | ${mb(v.resultBytes)} | ${mb(v.retainedBytes)} | ${mb(v.peakRssBytes)} | ${mb(v.peakRssBytes - v.idleRssBytes)} | ${v.retainedBytes > v.resultBytes * 0.2 ? ((v.peakRssBytes - v.idleRssBytes) / v.retainedBytes).toFixed(2) : 'n/a (result not held)'} | ${(v.wallMs / 1000).toFixed(2)} s |`,
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
			concurrency: { type: 'string' },
			'sequential-n': { type: 'string' },
			case: { type: 'string', default: 'send' },
			cases: { type: 'string', default: 'ours,naive,batched,sequential,ceiling' },
			mode: { type: 'string', default: 'core' },
			clients: { type: 'string', default: '100000' },
			'account-clients': { type: 'string', default: '50000' },
			'scale-ns': { type: 'string', default: '10000,100000' },
			'scale-baseline': { type: 'boolean', default: false },
			campaigns: { type: 'string', default: '4' },
			'campaign-n': { type: 'string', default: '2500' },
			workers: { type: 'string', default: '2' },
			'worker-concurrency': { type: 'string', default: '2' },
			rounds: { type: 'string', default: '3' },
			'warmup-n': { type: 'string', default: '200' },
			profile: { type: 'boolean', default: false },
			'profile-cases': { type: 'string' },
			'profile-interval': { type: 'string', default: '500' },
			'package-dir': { type: 'string' },
			rows: { type: 'string', default: 'queue,regular' },
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
	const which = values.case ?? 'send';
	const defaultN = which === 'cpu' ? 5000 : 10_000;
	const n = values.n !== undefined ? num('n', values.n, 1) : values.quick ? 600 : defaultN;
	const rate = num('rate', values.rate, 1);
	const latency = num('latency', values.latency, 0);
	// The node's default (DEFAULT_CONCURRENCY in nodes/IntelliPortal/actions/message/sendFields.ts).
	const concurrencyGiven = values.concurrency !== undefined;
	const concurrency = concurrencyGiven ? num('concurrency', values.concurrency, 1) : 16;
	const clients = num('clients', values.clients, 1);
	if (!['send', 'memory', 'all', 'scale', 'queue', 'new-client', 'cpu'].includes(which))
		throw new Error(`--case must be send, memory, all, scale, queue, new-client or cpu`);
	const mode = values.mode ?? 'core';
	if (mode !== 'core' && mode !== 'n8n') throw new Error(`--mode must be core or n8n`);
	if ((which === 'scale' || which === 'queue' || which === 'cpu') && mode !== 'n8n')
		throw new Error(`--case ${which} runs inside n8n: add --mode n8n`);
	const sequentialN =
		values['sequential-n'] !== undefined ? num('sequential-n', values['sequential-n'], 1) : n;

	const floorMs = floorOf(n, rate, latency, concurrency);
	const floorNote = `max(N / rate, N × latency / concurrency) = max(${n}/${rate} s, ${n}×${latency} ms/${concurrency})`;

	const report: Record<string, unknown> = {
		timestamp: new Date().toISOString(),
		mode,
		modeNote:
			mode === 'n8n'
				? `inside a real n8n ${N8N_VERSION} (the e2e harness, our package installed from its npm pack): Manual Trigger → Code (N items) → sending node, run as the editor runs it; wall time = the sending node's execution time recorded by n8n`
				: 'core-level run: every sender runs in this Node process against the emulator (separate process); not inside n8n',
		machine: machine(),
		loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))),
		params: {
			n,
			rate,
			latencyMs: latency,
			concurrency,
			burst: rate,
			retryAfter: 'whole seconds (emulator)',
		},
		floorMs: Math.round(floorMs),
		measuredPackage: packageOf(values['package-dir'] ?? resolve(__dirname, '..')),
	};
	const printed: string[] = [];

	const emulator = await startEmulatorProcess({ statusStepMs: 0, requestLogSize: 10 });
	try {
		if (which === 'send' || which === 'all') {
			const selected = new Set((values.cases ?? '').split(',').map((s) => s.trim()));
			// 'ceiling' (n8n mode): how fast n8n itself can push items through a node on this machine.
			const caseParams = (key: string): CaseParams => ({
				n: key === 'sequential' ? sequentialN : n,
				rate: key === 'ceiling' ? 0 : rate,
				latency: key === 'ceiling' ? 0 : latency,
			});
			const caseFloor = (key: string): number =>
				key === 'sequential' ? floorOf(sequentialN, rate, latency, concurrency) : floorMs;
			const results: SendCaseResult[] = [];
			process.stderr.write(`bench: N=${n}, rate ${rate}/s, latency ${latency} ms (mode ${mode})\n`);
			if (mode === 'core') {
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
				for (const c of all.filter((c) => selected.has(c.key))) {
					results.push(await runCoreCase(emulator, c, caseParams(c.key), caseFloor(c.key)));
				}
			} else {
				const all: N8nSendCase[] = [
					concurrencyGiven
						? oursNodeCase('ours', `IntelliPortal node, Concurrency ${concurrency}`, concurrency)
						: oursNodeCase(
								'ours',
								'IntelliPortal node, defaults (Concurrency 16, adaptive pacing)',
							),
					httpNodeCase(
						emulator.baseUrl,
						'naive',
						'HTTP Request node, defaults (no batching, no retry; Continue On Fail)',
						n,
					),
					httpNodeCase(
						emulator.baseUrl,
						'batched',
						`HTTP Request node, batching hand-tuned to the limit: ${rate} items / 1000 ms (Continue On Fail)`,
						rate,
						{ batchSize: rate, batchInterval: 1000 },
					),
					oursNodeCase(
						'sequential',
						'IntelliPortal node, Concurrency 1 (what one-request-per-item nodes do)',
						1,
					),
					oursNodeCase(
						'ceiling',
						"n8n's own ceiling: IntelliPortal node, defaults, no rate limit, no latency",
					),
				];
				const bench: N8nBench = await startN8nBench(emulator.baseUrl);
				try {
					for (const c of all.filter((c) => selected.has(c.key))) {
						const result = await runN8nCase(
							emulator,
							bench,
							c,
							caseParams(c.key),
							caseFloor(c.key),
						);
						if (c.key === 'sequential' && sequentialN !== n)
							result.floorMs = Math.round(caseFloor(c.key));
						results.push(result);
					}
				} finally {
					await bench.stop();
				}
			}
			report.send = results;
			const ceiling = results.find((r) => r.key === 'ceiling');
			const ours = results.find((r) => r.key === 'ours');
			const achievableNote: string[] = [];
			if (ceiling) {
				const achievableMs = Math.max(floorMs, ceiling.wallMs * (n / ceiling.n));
				report.achievableFloorMs = Math.round(achievableMs);
				achievableNote.push(
					'',
					`n8n's per-item cost on this machine caps any node at ${ceiling.deliveredPerSecond} items/s (row "ceiling"), so the floor a node inside this n8n can reach is max(floor, ceiling) = ${(achievableMs / 1000).toFixed(2)} s${ours ? `; our node at its defaults took ${(ours.wallMs / achievableMs).toFixed(2)} × that` : ''}.`,
				);
			}
			printed.push(
				`Bulk send, N = ${n}${sequentialN !== n ? ` (sequential row: N = ${sequentialN}, compared with its own floor)` : ''}, emulator rate limit ${rate} req/s (burst ${rate}, Retry-After in whole seconds), latency ${latency} ms. Mode: ${mode} (${String(report.modeNote)}).`,
				'',
				sendTable(results, floorMs, floorNote),
				...achievableNote,
			);
		}
		if (which === 'scale') {
			const ns = (values['scale-ns'] ?? '').split(',').map((raw) => num('scale-ns', raw.trim(), 1));
			process.stderr.write(
				`bench scale: N = ${ns.join(', ')}, a fresh n8n per N (rate ${rate}/s)\n`,
			);
			const scale = await runScale(emulator, ns, {
				rate,
				latency,
				concurrency,
				baseline: values['scale-baseline'] === true,
			});
			report.scale = scale;
			printed.push(scaleTable(scale, { rate, latency }, N8N_VERSION));
		}
		if (which === 'queue') {
			const campaignsParams: CampaignsParams = {
				campaigns: num('campaigns', values.campaigns, 1),
				n: num('campaign-n', values['campaign-n'], 1),
				rate,
				latency,
				workers: num('workers', values.workers, 1),
				workerConcurrency: num('worker-concurrency', values['worker-concurrency'], 1),
			};
			const rowKeys = (values.rows ?? '').split(',').map((k) => k.trim());
			for (const key of rowKeys) {
				if (key !== 'queue' && key !== 'regular')
					throw new Error(`--rows takes queue and/or regular, got '${key}'`);
			}
			report.params = { ...(report.params as object), ...campaignsParams };
			process.stderr.write(
				`bench queue: ${campaignsParams.campaigns} × ${campaignsParams.n} messages at once (rate ${rate}/s), rows ${rowKeys.join(', ')}\n`,
			);
			const rows: CampaignsRow[] = [];
			for (const key of rowKeys) {
				rows.push(
					key === 'queue'
						? await runQueueRow(emulator, campaignsParams)
						: await runRegularRow(emulator, campaignsParams),
				);
				const r = rows[rows.length - 1];
				process.stderr.write(
					`  ${key}: ${(r.sendingSpanMs / 1000).toFixed(1)} s = ${r.ratioToFloor.toFixed(3)} x floor, ${r.verdict.deliveredOnce}/${r.verdict.n} once, lost ${r.verdict.lost}, duplicated ${r.verdict.duplicated}, 429s ${r.verdict.http429}, load ${r.usage.loadAverage.mean}\n`,
				);
			}
			report.queue = rows;
			printed.push(campaignsTable(rows, campaignsParams));
		}
		if (which === 'cpu' && values.profile) {
			const keys = values['profile-cases']?.split(',').map((k) => k.trim());
			process.stderr.write(`bench cpu --profile: ${n} items per case\n`);
			const profile = await runCpuProfile(emulator, {
				n,
				warmupN: num('warmup-n', values['warmup-n'], 1),
				intervalUs: num('profile-interval', values['profile-interval'], 50),
				packageDir: values['package-dir'],
				...(keys ? { keys } : {}),
			});
			report.cpuProfile = profile;
			printed.push(profileTables(profile, N8N_VERSION));
		} else if (which === 'cpu') {
			const params = {
				n,
				rounds: num('rounds', values.rounds, 1),
				warmupN: num('warmup-n', values['warmup-n'], 1),
				packageDir: values['package-dir'],
			};
			process.stderr.write(`bench cpu: ${params.rounds} rounds of ${n} items per case\n`);
			const cpu = await runCpuCase(emulator, params);
			report.params = params;
			report.cpu = cpu;
			printed.push(cpuTable(cpu, N8N_VERSION));
		}
		if (which === 'new-client') {
			const accountClients = num('account-clients', values['account-clients'], 1);
			process.stderr.write(`bench new-client: ${accountClients} clients, latency ${latency} ms\n`);
			const result = await runNewClientCase(emulator, {
				clients: accountClients,
				latencyMs: latency,
			});
			report.newClient = result;
			printed.push(newClientTable(result));
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
	report.loadAverageAtEnd = loadavg().map((l) => Number(l.toFixed(2)));
	printed.push(
		'',
		`Machine: ${m.nproc} CPUs (${m.cpuModel}), Node ${m.node}, ${m.platform}; load average at the start ${String(report.loadAverageAtStart)}, at the end ${String(report.loadAverageAtEnd)} (1, 5, 15 min).`,
	);
	const outDir = resolve(values.out ?? join(__dirname, 'results'));
	mkdirSync(outDir, { recursive: true });
	report.markdown = printed.join('\n');
	// Only the latest result of each case is kept (older ones are in git history).
	const prefix =
		which === 'cpu'
			? values.profile
				? 'cpu-profile-'
				: 'cpu-'
			: which === 'memory' || which === 'scale' || which === 'queue' || which === 'new-client'
				? `${which}-`
				: mode === 'n8n'
					? 'n8n-'
					: '';
	const file = join(outDir, `${prefix}latest.json`);
	writeFileSync(file, `${JSON.stringify(report, null, '\t')}\n`);
	process.stdout.write(`${printed.join('\n')}\n\nResults: ${file}\n`);
}

main().catch((error: unknown) => {
	process.stderr.write(
		`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exit(1);
});
