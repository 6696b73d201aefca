/**
 * Starting an n8n: install it if needed, stage the package, spawn it in the asked role with the
 * harness environment, wait until it answers; the result is a REST client that can also stop it.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { N8nClient } from './client';
import { harnessEnv, readinessPaths, type N8nRole } from './env';
import { stagePackage, type InstallMethod } from './package';
import { freePort, N8nProcess } from './process';
import { installN8n, n8nBin, REPO_ROOT, resolveTarget, type N8nTarget } from './target';

export interface StartOptions {
	/** TCP port for n8n; 0 or undefined picks a free one. */
	port?: number;
	/** Directory of the package to load (its `dist/` must be built); null loads none. */
	packageDir?: string | null;
	/** How the package gets into ~/.n8n/nodes; default IP_N8N_INSTALL or 'unpack'. */
	installMethod?: InstallMethod;
	/** n8n user folder; default a fresh temp folder, removed on stop unless `keepUserFolder`. */
	userFolder?: string;
	keepUserFolder?: boolean;
	/** Which n8n (version, install folder, Node); default the pin / IP_N8N_* (see target.ts). */
	target?: Partial<N8nTarget>;
	/**
	 * n8n's process role: `start` (main, default), or in queue mode `worker` (health server on
	 * `port`) or `webhook` (webhook processor on `port`); those two have no REST API.
	 */
	command?: N8nRole;
	/** Extra command-line arguments, e.g. `--concurrency=10` for a worker. */
	args?: string[];
	/** Extra environment for n8n (wins over the harness defaults). */
	env?: Record<string, string>;
	/** Receives every line n8n prints. */
	onLog?: (line: string) => void;
	/** Bound on the start (process up, DB migrated, HTTP ready); default 180 s. */
	startTimeoutMs?: number;
}

/** A running n8n: its REST client plus its process. */
export class N8nInstance extends N8nClient {
	constructor(
		readonly port: number,
		readonly userFolder: string,
		readonly role: N8nRole,
		readonly target: N8nTarget,
		private readonly process: N8nProcess,
		private readonly removeUserFolder: boolean,
	) {
		super(`http://127.0.0.1:${port}`, target.version);
	}

	get pid(): number {
		return this.process.pid;
	}

	/** Everything n8n printed so far (last 2000 lines). */
	logs(): string {
		return this.process.logs();
	}

	get hasExited(): boolean {
		return this.process.hasExited;
	}

	/** Webhook base URL n8n gives external services (set by the harness to this instance). */
	get webhookBaseUrl(): string {
		return `${this.url}/`;
	}

	/** Waits until n8n answers /healthz/readiness (DB up and migrated) and, for main, the REST API. */
	async waitUntilReady(timeoutMs: number): Promise<void> {
		await this.process.waitUntilAnswering(this.url, readinessPaths(this.role), timeoutMs);
	}

	/**
	 * Stops n8n: SIGTERM to its process group (n8n and its task runner), SIGKILL after a bound,
	 * then removes the temp user folder.
	 */
	async stop(timeoutMs = 20_000): Promise<void> {
		await this.process.stop(timeoutMs);
		if (this.removeUserFolder) rmSync(this.userFolder, { recursive: true, force: true });
	}
}

/** Starts n8n and waits until it is ready. Installs the n8n asked for first if needed. */
export async function startN8n(options: StartOptions = {}, retried = false): Promise<N8nInstance> {
	const target = resolveTarget(options.target);
	installN8n(target);
	const major = Number(process.versions.node.split('.')[0]);
	if (major < 24 && target.node === process.execPath) {
		throw new Error(
			`n8n ${target.version} needs Node >= 24 (this is ${process.version}); run \`. scripts/node24.sh\` first`,
		);
	}
	const role = options.command ?? 'start';
	const port = options.port && options.port > 0 ? options.port : await freePort();
	const brokerPort = await freePort();
	const userFolder = options.userFolder ?? mkdtempSync(join(tmpdir(), 'ip-n8n-'));
	mkdirSync(userFolder, { recursive: true });
	const packageDir = options.packageDir === undefined ? REPO_ROOT : options.packageDir;
	if (packageDir) stagePackage(packageDir, userFolder, options.installMethod);

	const n8n = new N8nProcess({
		node: target.node,
		args: [n8nBin(target), role, ...(options.args ?? [])],
		cwd: userFolder,
		env: {
			PATH: process.env.PATH,
			HOME: process.env.HOME,
			LANG: process.env.LANG ?? 'C.UTF-8',
			TZ: process.env.TZ ?? 'UTC',
			...harnessEnv(port, userFolder, brokerPort, target.version),
			...options.env,
		},
		onLog: options.onLog,
	});
	const instance = new N8nInstance(
		port,
		userFolder,
		role,
		target,
		n8n,
		options.userFolder === undefined && !options.keepUserFolder,
	);
	try {
		await instance.waitUntilReady(options.startTimeoutMs ?? 180_000);
	} catch (error) {
		await instance.stop();
		// A free port picked here can be taken by someone else before n8n binds it: retry once.
		const autoPorts = !(options.port && options.port > 0);
		if (autoPorts && !retried && /EADDRINUSE/.test(instance.logs())) {
			return await startN8n(options, true);
		}
		throw error;
	}
	return instance;
}
