/**
 * Shared set-up for the Zapier app suites: a real emulator on a random loopback port, the app
 * under createAppTester, and a capture of everything Zapier logs (console + HTTP request log).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';

import zapier from 'zapier-platform-core';

import { EXAMPLE_API_KEY, startEmulator } from '../../emulator';
import type { EmulatorOptions, RunningEmulator } from '../../emulator';
import App from '../../zapier/src';

export const API_KEY = EXAMPLE_API_KEY;

/** zapier-platform-core's runtime entry (exported at runtime, missing from its type definitions). */
export function createAppHandler(app: object): (event: object) => Promise<{ results: unknown }> {
	return (
		zapier as unknown as {
			createAppHandler(app: object): (event: object) => Promise<{ results: unknown }>;
		}
	).createAppHandler(app);
}

export type AppTester = ReturnType<typeof zapier.createAppTester>;

export function appTester(): AppTester {
	return zapier.createAppTester(App);
}

export function authData(emulator: RunningEmulator, apiKey = API_KEY): Record<string, string> {
	return { apiKey, environment: 'custom', baseUrl: emulator.baseUrl };
}

export async function emulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
	return startEmulator({ statusStepMs: 0, webhookBackoffMs: 10, ...options });
}

export interface LoggedLine {
	message: string;
	data: Record<string, unknown>;
}

/**
 * Run one app method the way Zapier's runtime does and collect exactly what its logger ships to
 * Zapier's log service (the message and data after Zapier's secret scrubbing), through the
 * runtime's `customLogger` hook (what `zapier invoke` uses). `method` is a dotted path such as
 * `creates.send_message.operation.perform`.
 */
export async function runWithZapierLog(
	method: string,
	bundle: Record<string, unknown>,
): Promise<{ result?: unknown; error?: unknown; logs: LoggedLine[]; text: string }> {
	const logs: LoggedLine[] = [];
	const handler = createAppHandler(App);
	let result: unknown;
	let error: unknown;
	try {
		result = (
			await handler({
				command: 'execute',
				method,
				bundle,
				customLogger: (message: string, data: Record<string, unknown>) =>
					logs.push({ message, data }),
			})
		).results;
	} catch (e) {
		error = e;
	}
	const text = logs.map((l) => `${l.message}\n${JSON.stringify(l.data)}`).join('\n');
	return { result, error, logs, text };
}

/** Everything an error exposes: message, stack, own properties, JSON and util.inspect. */
export function everythingAbout(error: unknown): string {
	const parts: string[] = [String(error)];
	if (error && typeof error === 'object') {
		const e = error as Record<string, unknown>;
		parts.push(String(e.message ?? ''), String(e.stack ?? ''));
		try {
			parts.push(JSON.stringify(error, Object.getOwnPropertyNames(error)));
		} catch {
			parts.push('<unserialisable>');
		}
		parts.push(inspect(error, { depth: 8, showHidden: true }));
	}
	return parts.join('\n');
}

/** Parse the JSON message Zapier's AppError / ThrottledError carry. */
export function zapierPayload(error: unknown): Record<string, unknown> {
	return JSON.parse((error as Error).message) as Record<string, unknown>;
}

export async function rejection(
	promise: Promise<unknown>,
): Promise<Error & Record<string, unknown>> {
	try {
		await promise;
	} catch (error) {
		return error as Error & Record<string, unknown>;
	}
	throw new Error('expected the promise to reject, but it resolved');
}

/** A loopback receiver standing in for Zapier's hook URL (bundle.targetUrl). */
export interface HookReceiver {
	url: string;
	/** Each delivery: the request path + query string as received, headers and parsed body. */
	received: Array<{ url: string; headers: Record<string, unknown>; body: unknown }>;
	stop(): Promise<void>;
}

export async function hookReceiver(): Promise<HookReceiver> {
	const received: HookReceiver['received'] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			let body: unknown = raw;
			try {
				body = JSON.parse(raw);
			} catch {
				/* keep raw text */
			}
			received.push({ url: req.url ?? '', headers: req.headers, body });
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"status":"success"}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/hooks/standard/123456/abcdef`,
		received,
		stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
