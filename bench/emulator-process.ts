/**
 * The benchmark's handle on an emulator running in a child process: start/stop, and the admin
 * API over HTTP (reset, config, counters, messages, client seeding).
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ADMIN_TOKEN_HEADER } from '../emulator/index';
import type { Counters, EmulatorConfig, EmulatorOptions, MessageRecord } from '../emulator/index';

export interface EmulatorProcess {
	url: string;
	baseUrl: string;
	pid: number;
	reset(): Promise<void>;
	config(patch: Partial<EmulatorConfig>): Promise<EmulatorConfig>;
	counters(): Promise<Counters>;
	messages(): Promise<MessageRecord[]>;
	seedClients(count: number): Promise<number>;
	stop(): Promise<void>;
}

/** The emulator's admin API over HTTP, with the admin token its process sent when ready. */
async function adminCall<T>(
	{ url, adminToken }: { url: string; adminToken: string },
	method: 'GET' | 'POST',
	path: string,
	body?: unknown,
): Promise<T> {
	const response = await fetch(`${url}/__admin${path}`, {
		method,
		headers: { [ADMIN_TOKEN_HEADER]: adminToken, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (!response.ok) {
		throw new Error(
			`emulator admin ${method} ${path} answered ${response.status}: ${await response.text()}`,
		);
	}
	return (await response.json()) as T;
}

export async function startEmulatorProcess(options: EmulatorOptions): Promise<EmulatorProcess> {
	const child: ChildProcess = fork(
		join(__dirname, 'emulator-child.ts'),
		[JSON.stringify(options)],
		{
			execArgv: ['--import', 'tsx'],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		},
	);
	const ready = await new Promise<{ url: string; baseUrl: string; adminToken: string }>(
		(resolve, reject) => {
			child.once('message', (m) =>
				resolve(m as { url: string; baseUrl: string; adminToken: string }),
			);
			child.once('exit', (code) =>
				reject(new Error(`emulator process exited early (code ${code})`)),
			);
			child.once('error', reject);
		},
	);
	const { url, baseUrl } = ready;
	return {
		url,
		baseUrl,
		pid: child.pid ?? -1,
		reset: async () => {
			await adminCall(ready, 'POST', '/reset');
		},
		config: (patch) => adminCall<EmulatorConfig>(ready, 'POST', '/config', patch),
		counters: () => adminCall<Counters>(ready, 'GET', '/counters'),
		messages: async () =>
			(await adminCall<{ data: MessageRecord[] }>(ready, 'GET', '/messages')).data,
		seedClients: async (count) => {
			// Seeding in chunks keeps each admin answer small.
			let seeded = 0;
			while (seeded < count) {
				const chunk = Math.min(10_000, count - seeded);
				await adminCall(ready, 'POST', '/clients/seed', { count: chunk });
				seeded += chunk;
			}
			return seeded;
		},
		stop: () =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.disconnect();
			}),
	};
}
