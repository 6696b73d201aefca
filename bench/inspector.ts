/**
 * A CPU profile of another Node process over its inspector (started with
 * `--inspect=127.0.0.1:<port>`): the Chrome DevTools protocol's Profiler domain over a WebSocket,
 * so that only the window between start and stop is sampled (n8n's start-up is not).
 */
import type { CpuProfile } from './profile-summary';

interface Reply {
	id?: number;
	result?: unknown;
	error?: { message: string };
}

async function debuggerUrl(port: number): Promise<string> {
	const response = await fetch(`http://127.0.0.1:${port}/json/list`);
	const targets = (await response.json()) as Array<{ webSocketDebuggerUrl?: string }>;
	const url = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
	if (!url) throw new Error(`no inspector target on port ${port}`);
	return url;
}

export interface Profiling {
	/** Stops sampling and returns the profile; the connection is closed. */
	stop(): Promise<CpuProfile>;
}

/** Connects to the inspector on `port` and starts sampling every `intervalUs` microseconds. */
export async function startProfiling(port: number, intervalUs: number): Promise<Profiling> {
	const socket = new WebSocket(await debuggerUrl(port));
	await new Promise<void>((resolve, reject) => {
		socket.addEventListener('open', () => resolve(), { once: true });
		socket.addEventListener('error', () => reject(new Error('inspector connection failed')), {
			once: true,
		});
	});
	const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
	socket.addEventListener('message', (event: MessageEvent) => {
		const reply = JSON.parse(String(event.data)) as Reply;
		const waiter = reply.id === undefined ? undefined : pending.get(reply.id);
		if (!waiter || reply.id === undefined) return;
		pending.delete(reply.id);
		if (reply.error) waiter.reject(new Error(reply.error.message));
		else waiter.resolve(reply.result);
	});
	let nextId = 0;
	const call = async (method: string, params: Record<string, unknown> = {}): Promise<unknown> =>
		await new Promise((resolve, reject) => {
			const id = ++nextId;
			pending.set(id, { resolve, reject });
			socket.send(JSON.stringify({ id, method, params }));
		});
	await call('Profiler.enable');
	await call('Profiler.setSamplingInterval', { interval: intervalUs });
	await call('Profiler.start');
	return {
		async stop() {
			try {
				const { profile } = (await call('Profiler.stop')) as { profile: CpuProfile };
				await call('Profiler.disable');
				return profile;
			} finally {
				socket.close();
			}
		},
	};
}
