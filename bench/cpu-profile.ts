/**
 * `--mode n8n --case cpu --profile`: the same senders as `--case cpu`, each run once with n8n's
 * main process sampled over its inspector (`--inspect` through NODE_OPTIONS; n8n does not pass
 * NODE_OPTIONS on to its task runner). Each .cpuprofile goes to a temp folder (open it in Chrome
 * DevTools or speedscope); the summary splits the time into buckets per item.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from '../scripts/n8n/process';
import { cpuCases } from './cpu-cases';
import { measuredRun } from './cpu';
import type { CpuRunRecord } from './cpu';
import type { EmulatorProcess } from './emulator-process';
import { startProfiling } from './inspector';
import type { Profiling } from './inspector';
import { startN8nBench } from './n8n-bench';
import type { N8nBench } from './n8n-bench';
import type { N8nSendCase } from './n8n-mode';
import { summariseProfile } from './profile-summary';
import type { ProfileSummary } from './profile-summary';

export interface ProfileParams {
	n: number;
	warmupN: number;
	/** Case keys to profile (default: all of `--case cpu`'s). */
	keys?: string[];
	/** Sampling interval in microseconds. */
	intervalUs: number;
	/** The package to measure (default this repository). */
	packageDir?: string;
}

export interface ProfiledCase {
	key: string;
	title: string;
	file: string;
	run: CpuRunRecord;
	load1: number;
	summary: ProfileSummary;
}

export interface ProfileReport {
	params: ProfileParams;
	dir: string;
	cases: ProfiledCase[];
}

async function profiledRun(
	emulator: EmulatorProcess,
	bench: N8nBench,
	port: number,
	sendCase: N8nSendCase,
	params: ProfileParams,
	dir: string,
): Promise<ProfiledCase> {
	let profiling: Profiling | undefined;
	let profile: Awaited<ReturnType<Profiling['stop']>> | undefined;
	const load1 = loadavg()[0];
	const run = await measuredRun(emulator, bench, sendCase, params.n, 0, {
		beforeStart: async () => {
			profiling = await startProfiling(port, params.intervalUs);
		},
		afterFinish: async () => {
			profile = await profiling?.stop();
		},
	});
	if (!profile) throw new Error(`${sendCase.key}: no profile came back`);
	const file = join(dir, `${sendCase.key}.cpuprofile`);
	writeFileSync(file, JSON.stringify(profile));
	return {
		key: sendCase.key,
		title: sendCase.title,
		file,
		run,
		load1: Number(load1.toFixed(2)),
		summary: summariseProfile(profile, params.n),
	};
}

export async function runCpuProfile(
	emulator: EmulatorProcess,
	params: ProfileParams,
): Promise<ProfileReport> {
	const all = cpuCases(emulator.baseUrl);
	const keys = params.keys ?? all.map((c) => c.key);
	const unknown = keys.filter((k) => !all.some((c) => c.key === k));
	if (unknown.length > 0) {
		throw new Error(
			`--profile-cases: unknown ${unknown.join(', ')} (known: ${all.map((c) => c.key).join(', ')})`,
		);
	}
	const cases = all.filter((c) => keys.includes(c.key));
	const port = await freePort();
	const dir = mkdtempSync(join(tmpdir(), 'ip-cpu-profile-'));
	const bench = await startN8nBench(emulator.baseUrl, {
		env: { NODE_OPTIONS: `--inspect=127.0.0.1:${port}` },
		packageDir: params.packageDir,
	});
	const profiled: ProfiledCase[] = [];
	try {
		for (const sendCase of cases) {
			process.stderr.write(`  warm-up ${sendCase.key} (${params.warmupN} items)\n`);
			await measuredRun(emulator, bench, sendCase, params.warmupN, -1);
		}
		for (const sendCase of cases) {
			process.stderr.write(`  profiling ${sendCase.key} (${params.n} items)\n`);
			profiled.push(await profiledRun(emulator, bench, port, sendCase, params, dir));
		}
	} finally {
		await bench.stop();
	}
	return { params, dir, cases: profiled };
}
