/**
 * One n8n for the bench: the pinned n8n started by the harness with this repository's packed
 * package (or another checkout's), owner and the two credentials set up, and a `run` that imports
 * a case's workflow, starts it as the editor does and reads the sending node's results.
 */
import type { N8nInstance } from '../scripts/n8n/start';
import {
	createBenchCredentials,
	rowsCode,
	senderRun,
	senderWithCredential,
	workflow,
} from './n8n-mode';
import type { BenchCredentials, N8nSendCase, SenderRun } from './n8n-mode';
import { waitForFinishedExecution } from './poll';

export interface N8nBench {
	n8n: N8nInstance;
	credentials: BenchCredentials;
	run(
		sendCase: N8nSendCase,
		params: { n: number; runId: string },
		hooks?: RunHooks,
	): Promise<SenderRun>;
	stop(): Promise<void>;
}

/** Called around one execution: right before it is started, once n8n reports it finished. */
export interface RunHooks {
	beforeStart?(): void | Promise<void>;
	/** Before the execution's data is fetched (that fetch costs n8n CPU too). */
	afterFinish?(): void | Promise<void>;
}

export interface BenchStartOptions {
	/** Extra environment for n8n (the profiler's NODE_OPTIONS); IP_BENCH_N8N_ENV (JSON) adds more. */
	env?: Record<string, string>;
	/** The package to pack and install (default this repository): a candidate change's worktree. */
	packageDir?: string;
}

/** Starts n8n with the packed package and the two credentials the cases use. */
export async function startN8nBench(
	emulatorBaseUrl: string,
	{ env = {}, packageDir }: BenchStartOptions = {},
): Promise<N8nBench> {
	// Loaded here so that core mode never needs the n8n harness.
	const harness = await import('../scripts/n8n/start');
	const extraEnv = process.env.IP_BENCH_N8N_ENV
		? (JSON.parse(process.env.IP_BENCH_N8N_ENV) as Record<string, string>)
		: {};
	const n8n = await harness.startN8n({
		packageDir: packageDir ?? harness.REPO_ROOT,
		env: { ...extraEnv, ...env },
	});
	try {
		await n8n.setupOwner();
		const credentials = await createBenchCredentials(n8n, emulatorBaseUrl);
		return {
			n8n,
			credentials,
			async run(sendCase, { n, runId }, hooks = {}) {
				const imported = await n8n.importWorkflow(
					workflow(
						`Bench ${sendCase.key} (${n})`,
						senderWithCredential(sendCase, credentials),
						rowsCode(n, runId),
					),
				);
				await hooks.beforeStart?.();
				const id = await n8n.startManually(imported.id, 'Manual');
				// Generous bound: a sequential run of 10 000 items takes minutes.
				const execution = await waitForFinishedExecution(n8n, id, {
					timeoutMs: Math.max(600_000, n * 200),
					onFinished: hooks.afterFinish,
					onTransient: (error) =>
						process.stderr.write(`  (waiting out n8n's answer: ${String(error).slice(0, 120)})\n`),
				});
				return senderRun(sendCase.key, execution, n);
			},
			stop: () => n8n.stop(),
		};
	} catch (error) {
		await n8n.stop();
		throw error;
	}
}
