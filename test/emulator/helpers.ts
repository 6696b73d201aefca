import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const KEY = 'ik_test_emulatortests_0123456789';

export interface Reply {
	status: number;
	headers: Headers;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON, asserted field by field
	body: any;
}

export async function call(
	baseUrl: string,
	method: string,
	path: string,
	body?: unknown,
	headers: Record<string, string> = { Authorization: `Bearer ${KEY}` },
	signal?: AbortSignal,
): Promise<Reply> {
	const res = await fetch(`${baseUrl}${path}`, {
		method,
		headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		signal,
	});
	const text = await res.text();
	return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export interface Received {
	headers: IncomingHttpHeaders;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON, asserted field by field
	body: any;
}

/** A local webhook receiver; `failFirst` answers 500 to that many requests first. */
export async function startReceiver(failFirst = 0): Promise<{
	url: string;
	received: Received[];
	hits: number;
	waitFor(pred: (r: Received[]) => boolean, timeoutMs?: number): Promise<void>;
	close(): Promise<void>;
}> {
	const received: Received[] = [];
	const state = { hits: 0 };
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			state.hits++;
			if (state.hits <= failFirst) {
				res.statusCode = 500;
				res.end('nope');
				return;
			}
			received.push({
				headers: req.headers,
				body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
			});
			res.statusCode = 204;
			res.end();
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}/hook`,
		received,
		get hits() {
			return state.hits;
		},
		async waitFor(pred, timeoutMs = 5000) {
			const deadline = Date.now() + timeoutMs;
			while (!pred(received)) {
				if (Date.now() > deadline)
					throw new Error(
						`timed out; received ${JSON.stringify(received.map((r) => r.body.type))}`,
					);
				await new Promise((r) => setTimeout(r, 10));
			}
		},
		close: () =>
			new Promise<void>((r) => {
				server.close(() => r());
				server.closeAllConnections();
			}),
	};
}
