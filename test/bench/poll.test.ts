/**
 * The benchmark survives a busy n8n: while a large execution is being saved n8n answers its
 * execution polls with 503 "Database is not ready!" (a fresh-clone bench run once crashed on it).
 * A stand-in n8n on a real socket gives those answers; the bench's poller and the harness's
 * waitForExecution wait them out, and still fail at once on an answer that is not transient.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { waitForFinishedExecution } from '../../bench/poll';
import { N8nClient } from '../../scripts/n8n/client';

type Answer = { status: number; body: unknown };

/** An n8n stand-in: owner set-up and API key, then `answers` for the execution, in order. */
async function fakeN8n(answers: Record<string, Answer[]>): Promise<{
	url: string;
	seen: string[];
	close(): Promise<void>;
}> {
	const seen: string[] = [];
	const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
		const path = req.url ?? '';
		const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
			res.writeHead(status, { 'content-type': 'application/json', ...headers });
			res.end(typeof body === 'string' ? body : JSON.stringify(body));
		};
		req.resume();
		if (path === '/rest/owner/setup')
			return send(200, { data: {} }, { 'set-cookie': 'n8n-auth=session; Path=/' });
		if (path === '/rest/api-keys/scopes') return send(200, { data: [] });
		if (path === '/rest/api-keys') return send(200, { data: { rawApiKey: 'test-key' } });
		seen.push(path);
		const queue = answers[path];
		const next = queue && queue.length > 1 ? queue.shift() : queue?.[0];
		if (!next) return send(500, { message: `unexpected ${path}` });
		send(next.status, next.body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		seen,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

const notReady: Answer = { status: 503, body: { code: 503, message: 'Database is not ready!' } };
const running: Answer = {
	status: 200,
	body: { id: '7', status: 'running', startedAt: '2026-01-01T00:00:00Z' },
};
const finished = (withData: boolean): Answer => ({
	status: 200,
	body: {
		id: '7',
		status: 'success',
		startedAt: '2026-01-01T00:00:00Z',
		stoppedAt: '2026-01-01T00:01:00Z',
		...(withData ? { data: { resultData: { runData: { Send: [] } } } } : {}),
	},
});

const STATUS = '/api/v1/executions/7';
const DATA = '/api/v1/executions/7?includeData=true';
const noWait = async () => undefined;

test('the bench poller waits out 503 "Database is not ready!", 404 before the row exists and 502/504, then reads the data', async () => {
	const n8n = await fakeN8n({
		[STATUS]: [
			{ status: 404, body: { message: 'Not found' } },
			notReady,
			running,
			{ status: 502, body: 'Bad Gateway' },
			notReady,
			{ status: 504, body: 'Gateway Timeout' },
			finished(false),
		],
		[DATA]: [notReady, notReady, finished(true)],
	});
	try {
		const client = new N8nClient(n8n.url);
		await client.setupOwner();
		const waited: unknown[] = [];
		const execution = await waitForFinishedExecution(client, '7', {
			timeoutMs: 60_000,
			sleep: noWait,
			onTransient: (error) => waited.push(error),
		});
		expect(execution.status).toBe('success');
		expect(execution.data?.resultData.runData).toEqual({ Send: [] });
		// Status polls until it finished (no data while it runs), then the data until it came.
		expect(n8n.seen).toEqual([...Array(7).fill(STATUS), DATA, DATA, DATA]);
		expect(waited).toHaveLength(7);
	} finally {
		await n8n.close();
	}
});

test("the harness's waitForExecution (runManually) also waits out 503 'Database is not ready!'", async () => {
	const n8n = await fakeN8n({ [DATA]: [notReady, notReady, finished(true)] });
	try {
		const client = new N8nClient(n8n.url);
		await client.setupOwner();
		const execution = await client.waitForExecution('7', 30_000);
		expect(execution.status).toBe('success');
		expect(n8n.seen).toEqual([DATA, DATA, DATA]);
	} finally {
		await n8n.close();
	}
});

test('an answer that is not transient (401) fails the poll at once, naming the status', async () => {
	const n8n = await fakeN8n({ [STATUS]: [{ status: 401, body: { message: 'unauthorized' } }] });
	try {
		const client = new N8nClient(n8n.url);
		await client.setupOwner();
		await expect(
			waitForFinishedExecution(client, '7', { timeoutMs: 60_000, sleep: noWait }),
		).rejects.toThrow(/→ 401/);
		expect(n8n.seen).toEqual([STATUS]);
	} finally {
		await n8n.close();
	}
});

test('an n8n that stays "not ready" ends the wait at its deadline with the last answer', async () => {
	const n8n = await fakeN8n({ [STATUS]: [notReady] });
	try {
		const client = new N8nClient(n8n.url);
		await client.setupOwner();
		await expect(
			waitForFinishedExecution(client, '7', {
				timeoutMs: 200,
				sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
			}),
		).rejects.toThrow(/kept failing until the deadline.*Database is not ready/);
	} finally {
		await n8n.close();
	}
});
