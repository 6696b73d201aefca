/**
 * Jest's Node environment, plus one check: a test file must leave nothing running after its last
 * test. Whatever keeps Node's event loop alive (timers, sockets, servers, child processes) and
 * was not there when the file started must be gone within GRACE_MS of its teardown; otherwise
 * the file fails naming what was left. Such leftovers are what made jest report "A worker process
 * has failed to exit gracefully" and let one file's timers fire inside the next.
 */
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import { TestEnvironment } from 'jest-environment-node';

/** How long a file's servers, sockets and children get to finish closing after its teardown. */
const GRACE_MS = 500;

type Counts = Map<string, number>;

function aliveResources(): Counts {
	const counts: Counts = new Map();
	for (const kind of process.getActiveResourcesInfo())
		counts.set(kind, (counts.get(kind) ?? 0) + 1);
	return counts;
}

function added(before: Counts, now: Counts): string[] {
	const out: string[] = [];
	for (const [kind, n] of now) {
		const extra = n - (before.get(kind) ?? 0);
		if (extra > 0) out.push(`${kind} ×${extra}`);
	}
	return out;
}

/** What the open handles are, where Node can say (servers' addresses, children's commands). */
function describeHandles(): string[] {
	const handles = (process as unknown as { _getActiveHandles?: () => object[] })._getActiveHandles;
	return (handles?.call(process) ?? []).flatMap((handle) => {
		const h = handle as {
			constructor?: { name?: string };
			address?: () => unknown;
			spawnargs?: string[];
			pid?: number;
			remotePort?: number;
		};
		const name = h.constructor?.name;
		if (name === 'Server') return [`server listening on ${JSON.stringify(h.address?.())}`];
		if (name === 'ChildProcess')
			return [`child process ${h.pid} (${(h.spawnargs ?? []).join(' ').slice(0, 160)})`];
		if (name === 'Socket' && h.remotePort) return [`socket to port ${h.remotePort}`];
		return [];
	});
}

export default class NoLeaksEnvironment extends TestEnvironment {
	private readonly testPath: string;
	private before: Counts = new Map();

	constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
		super(config, context);
		this.testPath = context.testPath;
	}

	async setup(): Promise<void> {
		await super.setup();
		this.before = aliveResources();
	}

	async teardown(): Promise<void> {
		await super.teardown();
		const deadline = Date.now() + GRACE_MS;
		let left = added(this.before, aliveResources());
		while (left.length > 0 && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 50).unref());
			left = added(this.before, aliveResources());
		}
		if (left.length > 0) {
			const details = describeHandles();
			throw new Error(
				`${this.testPath} left running after its last test (${GRACE_MS} ms later): ${left.join(', ')}` +
					`${details.length > 0 ? `; open: ${details.join('; ')}` : ''}. ` +
					'Close its servers and connections, clear its timers and wait for its child processes in afterAll.',
			);
		}
	}
}
