/**
 * Process lifecycle of one n8n: spawn in its own process group, collect its output, wait until it
 * answers, stop it (SIGTERM, then SIGKILL after a bound), and kill whatever is left on exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export const sleep = async (ms: number) => await new Promise((r) => setTimeout(r, ms));

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

function signalGroup(pid: number, signal: NodeJS.Signals): void {
	if (pid <= 0) return;
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

const liveProcesses = new Set<N8nProcess>();
let exitHookInstalled = false;
function killAllOnExit(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.once('exit', () => {
		for (const running of liveProcesses) signalGroup(running.pid, 'SIGKILL');
	});
}

export interface SpawnN8nOptions {
	node: string;
	args: string[];
	cwd: string;
	env: NodeJS.ProcessEnv;
	onLog?: (line: string) => void;
}

/** One running n8n process (and its task runner, in the same process group). */
export class N8nProcess {
	private exited = false;
	private exitInfo = '';
	private readonly exitPromise: Promise<void>;
	private readonly logLines: string[] = [];
	private readonly child: ChildProcess;

	constructor(options: SpawnN8nOptions) {
		this.child = spawn(options.node, options.args, {
			cwd: options.cwd,
			env: options.env,
			detached: true, // own process group: stop() kills n8n and its task runner together
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.exitPromise = new Promise((resolveExit) => {
			this.child.once('exit', (code, signal) => {
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
				options.onLog?.(line);
			}
		};
		this.child.stdout?.on('data', collect);
		this.child.stderr?.on('data', collect);
		liveProcesses.add(this);
		killAllOnExit();
	}

	get pid(): number {
		return this.child.pid ?? -1;
	}

	get hasExited(): boolean {
		return this.exited;
	}

	/** Everything n8n printed so far (last 2000 lines). */
	logs(): string {
		return this.logLines.join('\n');
	}

	/** Waits until every path answers 2xx at `baseUrl` (bounded; fails early if n8n exits). */
	async waitUntilAnswering(baseUrl: string, paths: string[], timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (this.exited) {
				throw new Error(
					`n8n exited during start (${this.exitInfo}). Last output:\n${this.logLines.slice(-40).join('\n')}`,
				);
			}
			if (await this.allAnswer(baseUrl, paths)) return;
			if (Date.now() > deadline) {
				throw new Error(
					`n8n did not become ready within ${timeoutMs} ms. Last output:\n${this.logLines.slice(-40).join('\n')}`,
				);
			}
			await sleep(250);
		}
	}

	private async allAnswer(baseUrl: string, paths: string[]): Promise<boolean> {
		try {
			for (const path of paths) {
				const res = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(5000) });
				await res.arrayBuffer();
				if (!res.ok) return false;
			}
			return true;
		} catch {
			return false; // not listening yet
		}
	}

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

	/** SIGTERM to the process group, SIGKILL after `timeoutMs`; the group is gone afterwards. */
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
		liveProcesses.delete(this);
	}
}
