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
import { IntelliPortal } from '../../nodes/IntelliPortal/IntelliPortal.node';
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
		const keyPerRun = this.getInputData()[0]?.json.keyPerRun === true;
		const transport = new N8nTransport(this, { keyPerRun, abortSignal: stopping.signal });
		const out = [];
		for (const [i, item] of this.getInputData().entries()) {
			const { method, url, body, timeoutMs } = item.json as IDataObject;
			try {
				const { authorization } = item.json as { authorization?: string };
				const response = await transport.request({
					method: method as 'GET',
					url: url as string,
					headers: { 'X-Probe': 'yes', ...(authorization ? { Authorization: authorization } : {}) },
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

/** The keyPerRun probe's Stop: aborted by the server once a request to /slow arrived. */
let stopping = new AbortController();
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
			if (req.url === '/reset-bulk/v1/messages/send') {
				req.socket.destroy();
				return;
			}
			if (req.url === '/fail-bulk/v1/messages/send') {
				res.writeHead(500, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ error: { code: 'internal', message: 'boom' } }));
				return;
			}
			if (req.url === '/bulk/v1/messages/send') {
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify({ id: `msg_${seen.length}`, status: 'queued' }));
				return;
			}
			if (req.url === '/slow') {
				stopping.abort();
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
		nodeTypes: { probe, intelliPortal: new IntelliPortal() },
		credentialTypes: { intelliPortalApi: new IntelliPortalApi() },
		credentials: credentials
			? { intelliPortalApi: credentials as ICredentialDataDecryptedObject }
			: {},
	});
}

async function probeRun(
	requests: IDataObject[],
	// The credential adds the key only to requests for its own server: this one.
	credentials: IDataObject | null = { apiKey: KEY, environment: 'custom', baseUrl: base },
) {
	const h = harness(credentials);
	const { items, error } = await h.runNode(h.makeNode('probe', {}), requests);
	expect(error).toBeUndefined();
	return items!.map((item) => item.json as { response?: IDataObject; failure?: IDataObject });
}

describe('N8nTransport', () => {
	beforeEach(() => {
		stopping = new AbortController();
	});

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
		const server = `http://127.0.0.1:${port}/v1`;
		const [result] = await probeRun([{ method: 'POST', url: `${server}/x` }], {
			apiKey: KEY,
			environment: 'custom',
			baseUrl: server,
		});
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

	it('keyPerRun: sends through httpRequest with the headers it is given, no credential read', async () => {
		seen.length = 0;
		const h = harness(null);
		const { items, error } = await h.runNode(h.makeNode('probe', {}), [
			{
				keyPerRun: true,
				method: 'POST',
				url: `${base}/v1/x`,
				body: {},
				authorization: 'Bearer k1',
			},
		]);
		expect(error).toBeUndefined();
		expect(items![0].json).toMatchObject({ response: { status: 201 } });
		expect(seen).toEqual([expect.objectContaining({ auth: 'Bearer k1', probe: 'yes' })]);
		expect(h.credentialsHelper.decryptions).toBe(0);
	});

	it("keyPerRun: the execution's Stop aborts a request in flight", async () => {
		const [result] = await probeRun([
			{ keyPerRun: true, method: 'POST', url: `${base}/slow`, body: {}, timeoutMs: 10_000 },
		]);
		// Aborted after it left: may have been processed.
		expect(result.failure).toMatchObject({ isTransportFailure: true, code: 'ERR_CANCELED' });
		expect(result.failure?.phase).not.toBe('connect');
	});

	it('a bulk send reads the credential once and sends its exact key in every request', async () => {
		seen.length = 0;
		const h = harness({ apiKey: ` ${KEY} `, environment: 'custom', baseUrl: `${base}/bulk/v1` });
		const node = h.makeNode('intelliPortal', {
			resource: 'message',
			operation: 'send',
			clientRef: { __rl: true, mode: 'id', value: 'cl_a' },
			to: '={{ $json.to }}',
			messageType: 'text',
			textBody: 'Hi',
		});
		const input = ['+14155550101', '+14155550102', '+14155550103'].map((to) => ({ to }));
		const { items, error } = await h.runNode(node, input);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		// Trimmed as the credential's template trims it.
		expect(seen.map((request) => request.auth)).toEqual(Array(3).fill(`Bearer ${KEY}`));
		expect(h.credentialsHelper.decryptions).toBe(1);
		// n8n's per-request header template (a fifth of a bulk send's CPU) is not resolved.
		expect(h.credentialsHelper.authenticated).toHaveLength(0);
		expect(JSON.stringify(items)).not.toContain(KEY);
	});

	it.each(['reset-bulk', 'fail-bulk'])(
		'a bulk send that fails (%s) shows the key in no output, error, stack or run data',
		async (path) => {
			const h = harness({ apiKey: KEY, environment: 'custom', baseUrl: `${base}/${path}/v1` });
			const parameters = {
				resource: 'message',
				operation: 'send',
				clientRef: { __rl: true, mode: 'id', value: 'cl_a' },
				to: '+14155550101',
				messageType: 'text',
				textBody: 'Hi',
			};
			const stopped = await h.runNode(h.makeNode('intelliPortal', parameters), [{}]);
			expect(stopped.error).toBeDefined();
			const continued = await h.runNode(
				h.makeNode('intelliPortal', parameters, { onError: 'continueRegularOutput' }),
				[{}, {}],
			);
			expect(continued.items).toHaveLength(2);
			expect(continued.items![0].json.error).toBeDefined();
			const seenByUser = [
				stopped.error,
				stopped.error!.stack,
				stopped.run,
				continued.items,
				continued.run,
			];
			for (const value of seenByUser) expect(JSON.stringify(value)).not.toContain(KEY);
		},
	);
});
