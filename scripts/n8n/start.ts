/**
 * Real-n8n harness: runs the pinned n8n (scripts/n8n/version, installed by scripts/n8n/install.sh)
 * on 127.0.0.1 with this repo's built package loaded as an installed community package, and
 * drives it over HTTP the way a user or a CI script would.
 *
 * Library (test/e2e, scripts/demo-n8n.ts):
 *
 *   const n8n = await startN8n({ packageDir: REPO_ROOT });      // free port, temp user folder
 *   await n8n.setupOwner();                                       // owner account + API key
 *   const cred = await n8n.createCredential({ name, type: 'intelliPortalApi', data });
 *   const wf = await n8n.importWorkflow(json, { credentials: { intelliPortalApi: cred } });
 *   const exec = await n8n.runManually(wf.id);                   // internal REST, then polls
 *   await n8n.activate(wf.id); await n8n.deactivate(wf.id);      // public API
 *   await n8n.stop();                                             // kills the process group
 *
 * CLI: `tsx scripts/n8n/start.ts [--port 5678] [--no-package] [--keep]` starts n8n with the
 * package and an owner account and prints the URL and login; Ctrl-C stops it.
 *
 * How the package gets in: `npm pack` of the repo (exactly the files a user would install from
 * npm: package.json `files`), unpacked into `<user folder>/.n8n/nodes/node_modules/<name>`, the
 * directory where n8n keeps installed community packages. n8n loads every `n8n-nodes-*` package
 * there at start, under the same node type names as for a user (`n8n-nodes-intelliportal.
 * intelliPortal`), and `require('n8n-workflow')` inside it resolves to n8n's own copy (n8n puts
 * its module paths on NODE_PATH), as in a real installation. (The alternative, N8N_CUSTOM_
 * EXTENSIONS / ~/.n8n/custom, loads loose *.node.js files as `CUSTOM.<name>` types, which would
 * make our example workflows unusable for real users.)
 *
 * Everything binds to / talks to 127.0.0.1 only; every wait is bounded.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	renameSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
/** The pinned n8n, or IP_N8N_VERSION for the compatibility runs (scripts/e2e-compat.sh). */
export const N8N_VERSION =
	process.env.IP_N8N_VERSION?.trim() || readFileSync(join(__dirname, 'version'), 'utf8').trim();
/** Node that runs n8n: this process's, or IP_N8N_NODE (Node 22 for n8n 1.x in the compat runs). */
const N8N_NODE = process.env.IP_N8N_NODE || process.execPath;
/**
 * How the package gets into ~/.n8n/nodes: 'unpack' (what n8n's in-app installer leaves: the
 * package alone, peers skipped) or, with IP_N8N_INSTALL=npm, a self-hoster's manual
 * `npm install <package>` there (npm installs peers unless they are optional).
 */
const INSTALL_METHOD = process.env.IP_N8N_INSTALL === 'npm' ? 'npm' : 'unpack';
/** n8n 1.x (the compat runs): synchronous activation, and its manual run takes the workflow. */
const N8N_1 = Number(N8N_VERSION.split('.')[0]) < 2;

/** Login of the owner account the harness creates (a throwaway local instance). */
export const OWNER = {
	email: 'owner@example.com',
	password: 'IntelliPortal-demo-1',
	firstName: 'Demo',
	lastName: 'Owner',
} as const;

/** Where the pinned n8n lives (outside the repo): IP_N8N_HOME or ~/.cache/intelliportal/n8n-<ver>. */
export function n8nHome(): string {
	return (
		process.env.IP_N8N_HOME ?? join(homedir(), '.cache', 'intelliportal', `n8n-${N8N_VERSION}`)
	);
}

/** True when install.sh completed for the pinned version. */
export function isN8nInstalled(home = n8nHome()): boolean {
	const marker = join(home, '.ip-installed');
	return (
		existsSync(marker) &&
		readFileSync(marker, 'utf8').trim() === N8N_VERSION &&
		existsSync(join(home, 'node_modules', 'n8n', 'bin', 'n8n'))
	);
}

/**
 * Runs scripts/n8n/install.sh (idempotent: returns at once when installed). Its progress goes to
 * our stderr; a failure throws with the script's exit status.
 */
export function installN8n(): string {
	if (isN8nInstalled()) return n8nHome();
	const result = spawnSync('bash', [join(__dirname, 'install.sh')], {
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
		env: { ...process.env, IP_N8N_HOME: n8nHome() },
	});
	if (result.status !== 0) {
		throw new Error(
			`scripts/n8n/install.sh failed (exit ${result.status ?? result.signal}); see its output above`,
		);
	}
	return n8nHome();
}

/** A free TCP port on 127.0.0.1 (bound then released; n8n binds it right after). */
export async function freePort(): Promise<number> {
	return await new Promise((resolvePort, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolvePort(port));
		});
	});
}

/**
 * Packs the package in `packageDir` with `npm pack` (what npm would publish) and unpacks it into
 * n8n's community-package directory of `userFolder`. Returns the package name.
 */
export function stagePackage(packageDir: string, userFolder: string): string {
	const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
		name: string;
		n8n?: { nodes?: string[]; credentials?: string[] };
	};
	const declared = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	const missing = declared.filter((file) => !existsSync(join(packageDir, file)));
	if (declared.length === 0 || missing.length > 0) {
		throw new Error(
			declared.length === 0
				? `${pkg.name} declares no n8n nodes or credentials in package.json; nothing to load`
				: `${pkg.name} is not built: ${missing.join(', ')} missing. Run \`npm run build\` first.`,
		);
	}
	const packDir = mkdtempSync(join(tmpdir(), 'ip-pack-'));
	try {
		const packed = spawnSync(
			'npm',
			['pack', '--json', '--ignore-scripts', '--pack-destination', packDir],
			{ cwd: packageDir, encoding: 'utf8' },
		);
		if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
		const [info] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
		const untar = spawnSync('tar', ['-xzf', join(packDir, info.filename), '-C', packDir], {
			encoding: 'utf8',
		});
		if (untar.status !== 0) throw new Error(`unpacking ${info.filename} failed: ${untar.stderr}`);
		const nodeModules = join(userFolder, '.n8n', 'nodes', 'node_modules');
		mkdirSync(nodeModules, { recursive: true });
		// n8n's community-package directory is an npm project of its own.
		const nodesPackageJson = join(userFolder, '.n8n', 'nodes', 'package.json');
		if (!existsSync(nodesPackageJson)) {
			writeFileSync(
				nodesPackageJson,
				JSON.stringify({ name: 'installed-nodes', private: true }, null, 2),
			);
		}
		if (INSTALL_METHOD === 'npm') {
			const installed = spawnSync(
				'npm',
				['install', '--no-audit', '--no-fund', join(packDir, info.filename)],
				{ cwd: join(userFolder, '.n8n', 'nodes'), encoding: 'utf8' },
			);
			if (installed.status !== 0) throw new Error(`npm install failed: ${installed.stderr}`);
			return pkg.name;
		}
		const target = join(nodeModules, pkg.name);
		rmSync(target, { recursive: true, force: true });
		renameSync(join(packDir, 'package'), target);
		return pkg.name;
	} finally {
		rmSync(packDir, { recursive: true, force: true });
	}
}

export interface StartOptions {
	/** TCP port for n8n; 0 or undefined picks a free one. */
	port?: number;
	/** Directory of the package to load (its `dist/` must be built); null loads none. */
	packageDir?: string | null;
	/** n8n user folder; default a fresh temp folder, removed on stop unless `keepUserFolder`. */
	userFolder?: string;
	keepUserFolder?: boolean;
	/** Extra environment for n8n (wins over the harness defaults). */
	env?: Record<string, string>;
	/** Receives every line n8n prints. */
	onLog?: (line: string) => void;
	/** Bound on the start (process up, DB migrated, HTTP ready); default 180 s. */
	startTimeoutMs?: number;
	/**
	 * n8n's process role: `start` (main, default), or in queue mode `worker` (health server on
	 * `port`) or `webhook` (webhook processor on `port`); those two have no REST API.
	 */
	command?: 'start' | 'worker' | 'webhook';
	/** Extra command-line arguments, e.g. `--concurrency=10` for a worker. */
	args?: string[];
}

export interface WorkflowJson {
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		credentials?: Record<string, { id: string; name: string }>;
		[key: string]: unknown;
	}>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface Execution {
	id: string;
	finished: boolean;
	mode: string;
	status: string;
	workflowId: string;
	startedAt: string;
	stoppedAt?: string | null;
	data?: {
		resultData: {
			runData: Record<string, Array<NodeRun>>;
			error?: { message: string; [key: string]: unknown };
			lastNodeExecuted?: string;
		};
	};
	[key: string]: unknown;
}

export interface NodeRun {
	executionStatus?: string;
	error?: { message: string; description?: string; [key: string]: unknown };
	data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> };
	[key: string]: unknown;
}

export interface PublicationStatus {
	status: 'in_progress' | 'not_published' | 'published' | 'partial' | 'failed';
	liveVersionId: string | null;
	pendingVersionId: string | null;
	triggers: Array<{ nodeId: string; status: string; errorMessage?: string | null }>;
}

/** What n8n 1.x's synchronous activate/deactivate leaves (it has no publication status). */
function settled1x(id: string, status: 'published' | 'not_published'): PublicationStatus {
	return {
		status,
		liveVersionId: status === 'published' ? id : null,
		pendingVersionId: null,
		triggers: [],
	};
}

export class N8nActivationError extends Error {
	constructor(
		readonly workflowId: string,
		readonly publication: PublicationStatus,
		readonly reasons: string[],
	) {
		super(
			`workflow ${workflowId} could not be activated (${publication.status}): ${reasons.join('; ') || 'no reason given'}`,
		);
		this.name = 'N8nActivationError';
	}
}

export class N8nHttpError extends Error {
	constructor(
		readonly method: string,
		readonly path: string,
		readonly status: number,
		readonly body: string,
	) {
		super(`n8n ${method} ${path} → ${status}: ${body.slice(0, 500)}`);
		this.name = 'N8nHttpError';
	}
}

const sleep = async (ms: number) => await new Promise((r) => setTimeout(r, ms));

/**
 * An answer a busy n8n gives for a while and then stops giving: 502/503/504 (e.g. 503 "Database
 * is not ready!" while a large execution is being saved), 429, a request that timed out or a
 * connection that broke. Pollers wait these out (within their own deadline) instead of failing.
 */
export function isTransientN8nFailure(error: unknown): boolean {
	if (error instanceof N8nHttpError) return [429, 502, 503, 504].includes(error.status);
	const name = (error as { name?: unknown } | null)?.name;
	if (name === 'TimeoutError' || name === 'AbortError') return true;
	// fetch's network failures: TypeError('fetch failed') with a socket error as its cause.
	return error instanceof TypeError && /fetch failed/i.test(error.message);
}

/** A running n8n. */
export class N8nInstance {
	readonly url: string;
	private cookie: string | undefined;
	private apiKey: string | undefined;
	private exited = false;
	private exitInfo = '';
	private readonly exitPromise: Promise<void>;
	private readonly logLines: string[] = [];
	private readonly browserId = randomUUID();

	constructor(
		readonly port: number,
		readonly userFolder: string,
		private readonly child: ChildProcess,
		private readonly removeUserFolder: boolean,
		private readonly onLog?: (line: string) => void,
		readonly role: 'start' | 'worker' | 'webhook' = 'start',
	) {
		this.url = `http://127.0.0.1:${port}`;
		this.exitPromise = new Promise((resolveExit) => {
			child.once('exit', (code, signal) => {
				this.exited = true;
				this.exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
				resolveExit();
			});
		});
		const collect = (chunk: Buffer) => {
			for (const line of chunk.toString('utf8').split(/\r?\n/)) {
				if (line.trim() === '') continue;
				this.logLines.push(line);
				if (this.logLines.length > 2000) this.logLines.shift();
				this.onLog?.(line);
			}
		};
		child.stdout?.on('data', collect);
		child.stderr?.on('data', collect);
	}

	get pid(): number {
		return this.child.pid ?? -1;
	}

	/** Everything n8n printed so far (last 2000 lines). */
	logs(): string {
		return this.logLines.join('\n');
	}

	get hasExited(): boolean {
		return this.exited;
	}

	/** Webhook base URL n8n gives external services (set by the harness to this instance). */
	get webhookBaseUrl(): string {
		return `${this.url}/`;
	}

	/** Waits until n8n answers /healthz/readiness (DB up and migrated) and the REST API. */
	async waitUntilReady(timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (this.exited) {
				throw new Error(
					`n8n exited during start (${this.exitInfo}). Last output:\n${this.logLines.slice(-40).join('\n')}`,
				);
			}
			try {
				const ready = await fetch(`${this.url}/healthz/readiness`, {
					signal: AbortSignal.timeout(2000),
				});
				if (ready.ok && this.role !== 'start') return;
				if (ready.ok) {
					const settings = await fetch(`${this.url}/rest/settings`, {
						signal: AbortSignal.timeout(5000),
					});
					if (settings.ok) return;
				}
			} catch {
				// not listening yet
			}
			if (Date.now() > deadline) {
				throw new Error(
					`n8n did not become ready within ${timeoutMs} ms. Last output:\n${this.logLines.slice(-40).join('\n')}`,
				);
			}
			await sleep(250);
		}
	}

	/**
	 * One HTTP call to n8n. `auth`: 'cookie' for the internal REST API (/rest, session of the
	 * owner), 'apiKey' for the public API (/api/v1), 'none' for unauthenticated routes.
	 */
	async request<T = unknown>(
		method: string,
		path: string,
		options: { body?: unknown; auth?: 'cookie' | 'apiKey' | 'none'; timeoutMs?: number } = {},
	): Promise<T> {
		const headers: Record<string, string> = {
			accept: 'application/json',
			'browser-id': this.browserId,
		};
		const auth = options.auth ?? (path.startsWith('/api/') ? 'apiKey' : 'cookie');
		if (auth === 'cookie') {
			if (!this.cookie) throw new Error('n8n harness: no session; call setupOwner() first');
			headers.cookie = this.cookie;
		} else if (auth === 'apiKey') {
			if (!this.apiKey) throw new Error('n8n harness: no API key; call setupOwner() first');
			headers['x-n8n-api-key'] = this.apiKey;
		}
		if (options.body !== undefined) headers['content-type'] = 'application/json';
		const res = await fetch(`${this.url}${path}`, {
			method,
			headers,
			body: options.body === undefined ? undefined : JSON.stringify(options.body),
			signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
		});
		const text = await res.text();
		if (!res.ok) throw new N8nHttpError(method, path, res.status, text);
		const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (setCookie) this.cookie = setCookie.split(';')[0];
		if (text === '') return undefined as T;
		const parsed = JSON.parse(text) as unknown;
		// The internal REST API wraps results in { data }; the public API does not.
		if (path.startsWith('/rest/') && parsed && typeof parsed === 'object' && 'data' in parsed) {
			return (parsed as { data: T }).data;
		}
		return parsed as T;
	}

	/**
	 * Creates the owner account (first start of an instance) or logs in (already set up), then
	 * creates a public-API key for the harness.
	 */
	async setupOwner(): Promise<void> {
		try {
			await this.request('POST', '/rest/owner/setup', { body: OWNER, auth: 'none' });
		} catch (error) {
			if (!(error instanceof N8nHttpError) || error.status !== 400) throw error;
			await this.request('POST', '/rest/login', {
				body: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
				auth: 'none',
			});
		}
		const scopes = await this.request<string[]>('GET', '/rest/api-keys/scopes');
		const created = await this.request<{ rawApiKey: string }>('POST', '/rest/api-keys', {
			body: { label: `harness-${randomUUID().slice(0, 8)}`, expiresAt: null, scopes },
		});
		this.apiKey = created.rawApiKey;
	}

	/** Creates a credential (public API). */
	async createCredential(input: {
		name: string;
		type: string;
		data: Record<string, unknown>;
	}): Promise<{ id: string; name: string; type: string }> {
		// n8n 1.x adds "Allowed HTTP Request Domains" to every credential and its public API
		// requires a value (the editor fills in its default, All).
		const data = N8N_1 ? { allowedHttpRequestDomains: 'all', ...input.data } : input.data;
		return await this.request('POST', '/api/v1/credentials', { body: { ...input, data } });
	}

	/**
	 * Imports a workflow (public API). `credentials` maps a credential type to the credential the
	 * nodes using that type should use (the ids inside exported workflow JSON are instance-local).
	 */
	async importWorkflow(
		workflow: WorkflowJson,
		options: { credentials?: Record<string, { id: string; name: string }>; name?: string } = {},
	): Promise<{ id: string; name: string; nodes: WorkflowJson['nodes'] }> {
		const nodes = workflow.nodes.map((node) => {
			if (!node.credentials || !options.credentials) return node;
			const credentials = { ...node.credentials };
			for (const type of Object.keys(credentials)) {
				const replacement = options.credentials[type];
				if (replacement) credentials[type] = { id: replacement.id, name: replacement.name };
			}
			return { ...node, credentials };
		});
		// The public API accepts exactly these fields.
		const body = {
			name: options.name ?? workflow.name,
			nodes,
			connections: workflow.connections,
			settings: workflow.settings ?? { executionOrder: 'v1' },
			...(workflow.staticData ? { staticData: workflow.staticData } : {}),
		};
		return await this.request('POST', '/api/v1/workflows', { body });
	}

	async getWorkflow(id: string): Promise<WorkflowJson & { id: string; active: boolean }> {
		return await this.request('GET', `/api/v1/workflows/${id}`);
	}

	/**
	 * Publication state of a workflow (internal REST). n8n 2.41 publishes asynchronously through an
	 * outbox: the activate/deactivate call returns before the triggers are set up or torn down.
	 */
	async publicationStatus(id: string): Promise<PublicationStatus> {
		return await this.request('GET', `/rest/workflows/${id}/publication-status`);
	}

	/**
	 * Activates (publishes) a workflow and waits until n8n has set up its triggers (for our
	 * trigger: registered the webhook at the API). Throws with n8n's message when a trigger failed.
	 */
	async activate(id: string, timeoutMs = 30_000): Promise<PublicationStatus> {
		await this.request('POST', `/api/v1/workflows/${id}/activate`);
		// n8n 1.x activates before answering (a failing trigger fails the call itself).
		if (N8N_1) return settled1x(id, 'published');
		const status = await this.waitForPublication(id, (s) => s.status !== 'in_progress', timeoutMs);
		if (status.status !== 'published') {
			const reasons = status.triggers
				.filter((t) => t.status === 'failed')
				.map((t) => t.errorMessage ?? 'unknown error');
			throw new N8nActivationError(id, status, reasons);
		}
		return status;
	}

	/** Deactivates (unpublishes) a workflow and waits until n8n has removed its triggers. */
	async deactivate(id: string, timeoutMs = 30_000): Promise<PublicationStatus> {
		await this.request('POST', `/api/v1/workflows/${id}/deactivate`);
		if (N8N_1) return settled1x(id, 'not_published');
		return await this.waitForPublication(id, (s) => s.status === 'not_published', timeoutMs);
	}

	private async waitForPublication(
		id: string,
		done: (status: PublicationStatus) => boolean,
		timeoutMs: number,
	): Promise<PublicationStatus> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const status = await this.publicationStatus(id);
			if (done(status)) return status;
			if (Date.now() > deadline) {
				throw new Error(
					`workflow ${id}: publication did not settle within ${timeoutMs} ms (last: ${JSON.stringify(status)})`,
				);
			}
			await sleep(100);
		}
	}

	/**
	 * Runs a saved workflow as the editor's "Execute workflow" button does (internal REST), from
	 * the given trigger node (default: the first manual trigger), and waits for the execution.
	 */
	async runManually(
		workflowId: string,
		options: { triggerName?: string; timeoutMs?: number } = {},
	): Promise<Execution> {
		let triggerName = options.triggerName;
		// n8n 1.x's run endpoint takes the whole workflow as the editor has it.
		const workflow = !triggerName || N8N_1 ? await this.getWorkflow(workflowId) : undefined;
		if (!triggerName) {
			triggerName = workflow!.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger')?.name;
			if (!triggerName) throw new Error(`workflow ${workflowId} has no Manual Trigger node`);
		}
		const started = await this.request<{ executionId?: string; waitingForWebhook?: boolean }>(
			'POST',
			`/rest/workflows/${workflowId}/run`,
			{
				body: {
					triggerToStartFrom: { name: triggerName },
					...(N8N_1 ? { workflowData: workflow } : {}),
				},
			},
		);
		if (!started?.executionId) {
			throw new Error(`n8n did not start an execution: ${JSON.stringify(started)}`);
		}
		return await this.waitForExecution(started.executionId, options.timeoutMs);
	}

	/** Polls an execution (public API, with its data) until it is no longer running. */
	async waitForExecution(id: string, timeoutMs = 60_000): Promise<Execution> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			try {
				const execution = await this.request<Execution>(
					'GET',
					`/api/v1/executions/${id}?includeData=true`,
				);
				if (!['new', 'running', 'waiting'].includes(execution.status)) return execution;
			} catch (error) {
				const notYet = error instanceof N8nHttpError && error.status === 404;
				if (!notYet && !isTransientN8nFailure(error)) throw error;
			}
			if (Date.now() > deadline) {
				throw new Error(`execution ${id} did not finish within ${timeoutMs} ms`);
			}
			await sleep(200);
		}
	}

	/**
	 * Starts a saved workflow manually without waiting for it (see runManually); returns the
	 * execution id.
	 */
	async startManually(workflowId: string, triggerName: string): Promise<string> {
		// n8n 1.x's run endpoint takes the whole workflow as the editor has it.
		const workflowData = N8N_1 ? await this.getWorkflow(workflowId) : undefined;
		const started = await this.request<{ executionId?: string }>(
			'POST',
			`/rest/workflows/${workflowId}/run`,
			{
				body: { triggerToStartFrom: { name: triggerName }, ...(workflowData && { workflowData }) },
			},
		);
		if (!started?.executionId) {
			throw new Error(`n8n did not start an execution: ${JSON.stringify(started)}`);
		}
		return started.executionId;
	}

	/** Presses Stop on a running execution, as the editor does (internal REST). */
	async stopExecution(id: string): Promise<void> {
		await this.request('POST', `/rest/executions/${id}/stop`);
	}

	/** Executions of a workflow, newest first (public API, with data). */
	async listExecutions(workflowId: string, limit = 20): Promise<Execution[]> {
		const page = await this.request<{ data: Execution[] }>(
			'GET',
			`/api/v1/executions?workflowId=${encodeURIComponent(workflowId)}&includeData=true&limit=${limit}`,
		);
		return page.data;
	}

	/** Waits until `predicate` holds for the workflow's executions (bounded). */
	async waitForExecutions(
		workflowId: string,
		predicate: (executions: Execution[]) => boolean,
		timeoutMs = 30_000,
	): Promise<Execution[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const listed = await this.listExecutions(workflowId, 100).catch((error: unknown) => {
				if (isTransientN8nFailure(error)) return undefined;
				throw error;
			});
			const executions = (listed ?? []).filter(
				(e) => !['new', 'running', 'waiting'].includes(e.status),
			);
			if (listed && predicate(executions)) return executions;
			if (Date.now() > deadline) {
				throw new Error(
					`workflow ${workflowId}: expected executions did not appear within ${timeoutMs} ms (have ${executions.length})`,
				);
			}
			await sleep(250);
		}
	}

	/**
	 * Stops n8n: SIGTERM to its process group (n8n and its task runner), SIGKILL after a bound,
	 * then removes the temp user folder.
	 */
	/** True when the process exited within `ms` (the timer is cleared either way). */
	private async waitForExit(ms: number): Promise<boolean> {
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<boolean>((resolveTimeout) => {
			timer = setTimeout(() => resolveTimeout(false), ms);
		});
		try {
			return await Promise.race([this.exitPromise.then(() => true), timeout]);
		} finally {
			clearTimeout(timer);
		}
	}

	async stop(timeoutMs = 20_000): Promise<void> {
		if (!this.exited) {
			signalGroup(this.pid, 'SIGTERM');
			if (!(await this.waitForExit(timeoutMs))) {
				signalGroup(this.pid, 'SIGKILL');
				await this.waitForExit(5000);
			}
		}
		// The task runner may outlive its parent for a moment; make sure the group is gone.
		signalGroup(this.pid, 'SIGKILL');
		liveInstances.delete(this);
		if (this.removeUserFolder) rmSync(this.userFolder, { recursive: true, force: true });
	}
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
	if (pid <= 0) return;
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

const liveInstances = new Set<N8nInstance>();
let exitHookInstalled = false;
function killAllOnExit(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.once('exit', () => {
		for (const instance of liveInstances) signalGroup(instance.pid, 'SIGKILL');
	});
}

/** Environment that makes n8n a quiet, loopback-only, throwaway instance. */
export function harnessEnv(port: number, userFolder: string, brokerPort: number) {
	const base = `http://127.0.0.1:${port}/`;
	return {
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: base,
		// The URL n8n gives services for its webhooks (the trigger registers it at the API).
		N8N_WEBHOOK_URL: base,
		N8N_SECURE_COOKIE: 'false',
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
		N8N_USER_MANAGEMENT_JWT_SECRET: randomBytes(24).toString('hex'),
		DB_TYPE: 'sqlite',
		DB_SQLITE_POOL_SIZE: '2',
		EXECUTIONS_MODE: 'regular',
		// Task runner (Code node) broker: its own free loopback port, so instances don't collide.
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		// Nothing phones home.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_METRICS: 'false',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_PUBLIC_API_DISABLED: 'false',
		N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		// The MCP server registry refreshes from api.n8n.io at start (n8n 2.x; 1.x refuses the
		// unknown module name).
		...(N8N_1 ? {} : { N8N_DISABLED_MODULES: 'mcp-registry' }),
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		N8N_LOG_OUTPUT: 'console',
		N8N_LOG_LEVEL: 'info',
		N8N_NO_COLOR: 'true',
		NO_COLOR: '1',
	};
}

/** Starts n8n and waits until it is ready. Installs the pinned n8n first if needed. */
export async function startN8n(options: StartOptions = {}, retried = false): Promise<N8nInstance> {
	const home = installN8n();
	const major = Number(process.versions.node.split('.')[0]);
	if (major < 24 && N8N_NODE === process.execPath) {
		throw new Error(
			`n8n ${N8N_VERSION} needs Node >= 24 (this is ${process.version}); run \`. scripts/node24.sh\` first`,
		);
	}
	const port = options.port && options.port > 0 ? options.port : await freePort();
	const brokerPort = await freePort();
	const userFolder = options.userFolder ?? mkdtempSync(join(tmpdir(), 'ip-n8n-'));
	mkdirSync(userFolder, { recursive: true });
	const packageDir = options.packageDir === undefined ? REPO_ROOT : options.packageDir;
	if (packageDir) stagePackage(packageDir, userFolder);

	const env: NodeJS.ProcessEnv = {
		PATH: process.env.PATH,
		HOME: process.env.HOME,
		LANG: process.env.LANG ?? 'C.UTF-8',
		TZ: process.env.TZ ?? 'UTC',
		...harnessEnv(port, userFolder, brokerPort),
		...options.env,
	};
	const child = spawn(
		N8N_NODE,
		[
			join(home, 'node_modules', 'n8n', 'bin', 'n8n'),
			options.command ?? 'start',
			...(options.args ?? []),
		],
		{
			cwd: userFolder,
			env,
			detached: true, // own process group: stop() kills n8n and its task runner together
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	const instance = new N8nInstance(
		port,
		userFolder,
		child,
		options.userFolder === undefined && !options.keepUserFolder,
		options.onLog,
		options.command,
	);
	liveInstances.add(instance);
	killAllOnExit();
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

// CLI
if (require.main === module) {
	const args = process.argv.slice(2);
	const flag = (name: string) => args.includes(name);
	const value = (name: string) => {
		const i = args.indexOf(name);
		return i >= 0 ? args[i + 1] : undefined;
	};
	if (flag('--help')) {
		console.log(
			'usage: tsx scripts/n8n/start.ts [--port 5678] [--no-package] [--keep] [--verbose]\n' +
				"Starts the pinned n8n on 127.0.0.1 with this repo's built package; Ctrl-C stops it.",
		);
		process.exit(0);
	}
	void (async () => {
		const started = Date.now();
		const n8n = await startN8n({
			port: Number(value('--port') ?? 0),
			packageDir: flag('--no-package') ? null : REPO_ROOT,
			keepUserFolder: flag('--keep'),
			onLog: flag('--verbose') ? (line) => console.error(`[n8n] ${line}`) : undefined,
		});
		await n8n.setupOwner();
		console.log(`n8n ${N8N_VERSION} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		console.log(`  URL:      ${n8n.url}`);
		console.log(`  login:    ${OWNER.email} / ${OWNER.password}`);
		console.log(`  folder:   ${n8n.userFolder}`);
		console.log('Ctrl-C stops it.');
		const shutdown = () => {
			void n8n.stop().then(() => process.exit(0));
		};
		process.once('SIGINT', shutdown);
		process.once('SIGTERM', shutdown);
	})().catch((error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	});
}
