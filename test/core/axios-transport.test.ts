import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

import { IntelliPortalClient } from '../../shared/apiClient';
import { NetworkError } from '../../shared/errors';
import { withRetry } from '../../shared/retry';
import { TransportFailure } from '../../shared/transport';
import { createAxiosTransport } from '../../shared/transports/axios';

const KEY = 'ik_test_SECRETaxios0123456789';
let server: Server;
let base: string;
const seen: Array<{ method?: string; url?: string; auth?: string; body: string }> = [];

beforeAll(async () => {
	server = createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
			if (req.url?.startsWith('/v1/slow')) {
				// Answers late, unless the client has gone (then no timer outlives the suite).
				const late = setTimeout(() => res.end('{}'), 1000);
				return void res.on('close', () => clearTimeout(late));
			}
			if (req.url?.startsWith('/v1/reset')) return void req.socket.destroy();
			if (req.url?.startsWith('/v1/messages/send')) {
				res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' });
				return void res.end(
					JSON.stringify({ error: { code: 'rate_limited', message: 'slow down' } }),
				);
			}
			res.writeHead(200, { 'content-type': 'application/json', 'x-multi': 'a' });
			res.end(
				JSON.stringify([
					{
						id: 'cl_1',
						business_name: 'B',
						phone_number_id: '1',
						status: 'active',
						created_at: 'x',
					},
				]),
			);
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise((r) => server.close(r));
});

describe('createAxiosTransport', () => {
	it('round-trips JSON and resolves for every status', async () => {
		const t = createAxiosTransport();
		const res = await t.request({
			method: 'GET',
			url: `${base}/clients?limit=1`,
			headers: { Authorization: `Bearer ${KEY}` },
			timeoutMs: 2000,
		});
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('application/json');
		expect(JSON.parse(res.body as string)[0].id).toBe('cl_1');
		const limited = await t.request({
			method: 'POST',
			url: `${base}/messages/send`,
			headers: {},
			body: { a: 1 },
			timeoutMs: 2000,
		});
		expect(limited.status).toBe(429);
		expect(limited.headers['retry-after']).toBe('0');
		expect(seen.at(-1)).toMatchObject({ method: 'POST', body: '{"a":1}' });
	});

	it('works under the client end to end', async () => {
		const client = new IntelliPortalClient({
			apiKey: KEY,
			baseUrl: base,
			transport: createAxiosTransport(),
		});
		await expect(client.listClients({ limit: 1 })).resolves.toMatchObject({
			items: [{ id: 'cl_1' }],
		});
		expect(seen.at(-1)?.auth).toBe(`Bearer ${KEY}`);
		const error = await client
			.sendMessage({ client_ref: 'c', to: 't', type: 'text', text: { body: 'x' } })
			.catch((e) => e);
		expect(error).toMatchObject({
			name: 'RateLimitError',
			message: expect.stringContaining('slow down'),
		});
	});

	it("maps a timeout to 'timeout'", async () => {
		const failure = await createAxiosTransport()
			.request({ method: 'GET', url: `${base}/slow`, headers: {}, timeoutMs: 100 })
			.catch((e) => e);
		expect(failure).toBeInstanceOf(TransportFailure);
		expect(failure.phase).toBe('timeout');
	});

	it("maps a reset to 'response'", async () => {
		const failure = await createAxiosTransport()
			.request({ method: 'POST', url: `${base}/reset`, headers: {}, body: {}, timeoutMs: 2000 })
			.catch((e) => e);
		expect(failure).toBeInstanceOf(TransportFailure);
		expect(failure.phase).toBe('response');
	});

	it("maps connection refused to 'connect' and never leaks the key", async () => {
		const closed = createServer();
		await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
		const port = (closed.address() as AddressInfo).port;
		await new Promise((r) => closed.close(r));
		const failure = await createAxiosTransport()
			.request({
				method: 'GET',
				url: `http://127.0.0.1:${port}/v1/clients`,
				headers: { Authorization: `Bearer ${KEY}` },
				timeoutMs: 2000,
			})
			.catch((e) => e);
		expect(failure).toBeInstanceOf(TransportFailure);
		expect(failure.phase).toBe('connect');
		expect(failure.code).toBe('ECONNREFUSED');
		expect(JSON.stringify(failure) + String(failure.stack)).not.toContain(KEY);

		const sleeps: number[] = [];
		const client = new IntelliPortalClient({
			apiKey: KEY,
			baseUrl: `http://127.0.0.1:${port}/v1`,
			transport: createAxiosTransport(),
			layers: [withRetry({ policy: { maxAttempts: 2 }, wait: async (ms) => void sleeps.push(ms) })],
		});
		const error = await client.listClients().catch((e) => e);
		expect(error).toBeInstanceOf(NetworkError);
		expect(error.phase).toBe('connect');
		expect(error.mayHaveBeenSent).toBe(false);
		expect(sleeps).toHaveLength(1);
	});
});
