/**
 * N8nTransport inside n8n's real ExecuteContext (httpRequestWithAuthentication with the
 * credential's generic auth, n8n's HTTP stack), against loopback servers that misbehave on
 * purpose. A tiny probe node runs one transport request per item and reports the outcome.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	INodeType,
} from 'n8n-workflow';

import { IntelliPortalApi } from '../../credentials/IntelliPortalApi.credentials';
import { N8nTransport } from '../../nodes/IntelliPortal/transport/N8nTransport';
import { TransportFailure } from '../../shared/transport';
import { N8nHarness } from './harness';

const KEY = 'ik_test_transportProbeKey123';

const probe: INodeType = {
	description: {
		displayName: 'Probe',
		name: 'probe',
		group: ['transform'],
		version: 1,
		description: 'Runs N8nTransport requests',
		defaults: {},
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'intelliPortalApi', required: true }],
		properties: [],
	},
	async execute(this: IExecuteFunctions) {
		const transport = new N8nTransport(this);
		const out = [];
		for (const [i, item] of this.getInputData().entries()) {
			const { method, url, body, timeoutMs } = item.json as IDataObject;
			try {
				const response = await transport.request({
					method: method as 'GET',
					url: url as string,
					headers: { 'X-Probe': 'yes' },
					body,
					timeoutMs: (timeoutMs as number) ?? 5000,
				});
				out.push({ json: { response } as unknown as IDataObject, pairedItem: { item: i } });
			} catch (error) {
				const failure = error as TransportFailure & { phase?: string; code?: string };
				out.push({
					json: {
						failure: {
							isTransportFailure: error instanceof TransportFailure,
							phase: failure.phase,
							code: failure.code ?? null,
							message: failure.message,
							serialized: JSON.stringify(error),
							stack: String(failure.stack),
						},
					},
					pairedItem: { item: i },
				});
			}
		}
		return [out];
	},
};

let server: http.Server;
let base: string;
const seen: Array<{ method?: string; url?: string; auth?: string; probe?: string; body: string }> =
	[];

beforeAll(async () => {
	server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			seen.push({
				method: req.method,
				url: req.url,
				auth: req.headers.authorization,
				probe: req.headers['x-probe'] as string,
				body: Buffer.concat(chunks).toString('utf8'),
			});
			if (req.url === '/reset') {
				req.socket.destroy();
				return;
			}
			if (req.url === '/slow') {
				setTimeout(() => res.end('{}'), 2000).unref();
				return;
			}
			if (req.url === '/error') {
				res.writeHead(503, { 'Retry-After': '2', 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ error: { code: 'unavailable', message: 'busy' } }));
				return;
			}
			res.writeHead(201, { 'Content-Type': 'application/json', 'X-Request-Id': 'r1' });
			res.end(JSON.stringify({ ok: true }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise<void>((resolve) => server.close(() => resolve()));
});

function harness(credentials: IDataObject | null) {
	return new N8nHarness({
		nodeTypes: { probe },
		credentialTypes: { intelliPortalApi: new IntelliPortalApi() },
		credentials: credentials
			? { intelliPortalApi: credentials as ICredentialDataDecryptedObject }
			: {},
	});
}

async function probeRun(
	requests: IDataObject[],
	credentials: IDataObject | null = { apiKey: KEY, environment: 'sandbox' },
) {
	const h = harness(credentials);
	const { items, error } = await h.runNode(h.makeNode('probe', {}), requests);
	expect(error).toBeUndefined();
	return items!.map((item) => item.json as { response?: IDataObject; failure?: IDataObject });
}

describe('N8nTransport', () => {
	it('sends JSON with the bearer key added by n8n and resolves for every status', async () => {
		seen.length = 0;
		const [ok, unavailable] = await probeRun([
			{ method: 'POST', url: `${base}/v1/messages/send`, body: { to: '+1' } },
			{ method: 'GET', url: `${base}/error` },
		]);
		expect(ok.response).toEqual({
			status: 201,
			headers: expect.objectContaining({
				'content-type': 'application/json',
				'x-request-id': 'r1',
			}),
			body: { ok: true },
		});
		expect(unavailable.response).toMatchObject({
			status: 503,
			headers: expect.objectContaining({ 'retry-after': '2' }),
			body: { error: { code: 'unavailable', message: 'busy' } },
		});
		expect(seen[0]).toMatchObject({
			method: 'POST',
			url: '/v1/messages/send',
			auth: `Bearer ${KEY}`,
			probe: 'yes',
			body: JSON.stringify({ to: '+1' }),
		});
	});

	it('maps a refused connection to phase "connect" (never sent)', async () => {
		const closed = http.createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const port = (closed.address() as AddressInfo).port;
		await new Promise<void>((resolve) => closed.close(() => resolve()));
		const [result] = await probeRun([{ method: 'POST', url: `http://127.0.0.1:${port}/v1/x` }]);
		expect(result.failure).toMatchObject({
			isTransportFailure: true,
			phase: 'connect',
			code: 'ECONNREFUSED',
		});
	});

	it('maps a connection reset after sending to phase "response" (may have been processed)', async () => {
		const [result] = await probeRun([{ method: 'POST', url: `${base}/reset`, body: {} }]);
		expect(result.failure).toMatchObject({ isTransportFailure: true, phase: 'response' });
	});

	it('maps a timeout to phase "timeout"', async () => {
		const [result] = await probeRun([{ method: 'GET', url: `${base}/slow`, timeoutMs: 200 }]);
		expect(result.failure).toMatchObject({ isTransportFailure: true, phase: 'timeout' });
	});

	it("reports a missing credential as never sent, with n8n's explanation", async () => {
		seen.length = 0;
		const [result] = await probeRun([{ method: 'GET', url: `${base}/v1/x` }], null);
		expect(result.failure).toMatchObject({
			isTransportFailure: true,
			phase: 'connect',
			message: expect.stringContaining('intelliPortalApi'),
		});
		expect(seen).toHaveLength(0);
	});

	it('never carries the key in a failure (message, JSON, stack)', async () => {
		const results = await probeRun([
			{ method: 'POST', url: `${base}/reset`, body: {} },
			{ method: 'GET', url: `${base}/slow`, timeoutMs: 100 },
		]);
		for (const result of results) {
			expect(JSON.stringify(result.failure)).not.toContain(KEY);
		}
	});
});
