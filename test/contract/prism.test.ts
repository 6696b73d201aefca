/**
 * Contract test: the core client's six operations against Stoplight Prism, an independent mock
 * of shared/openapi.json. Prism validates every request (body schema, query types, content type,
 * bearer security) and reports violations in the `sl-violations` response header; with
 * `--errors` it also answers them with 400/401/415/422 instead of a mocked success. Every
 * request of the six fails the test on any such report; the two responses with a schema are
 * checked as results, the four without one come back empty and must be reported by the core as
 * `unexpected_response`. A negative control proves the detector sees real violations.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { IntelliPortalClient } from '../../shared/apiClient';
import { IntelliPortalError } from '../../shared/errors';
import type { Transport, TransportRequest, TransportResponse } from '../../shared/transport';
import { createAxiosTransport } from '../../shared/transports/axios';

const ROOT = join(__dirname, '..', '..');
const PRISM = join(ROOT, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js');
const KEY = 'ik_test_contract_0123456789abcdef';

interface Exchange {
	request: TransportRequest;
	response?: TransportResponse;
}

/** The violations Prism reported for one exchange (empty = Prism accepted the request). */
function violationsOf(status: number, headers: Record<string, string | undefined>): string[] {
	const problems: string[] = [];
	const header = headers['sl-violations'];
	if (header) {
		const parsed = JSON.parse(header) as Array<{
			location: string[];
			code: string | number;
			message: string;
		}>;
		for (const v of parsed) problems.push(`${v.location.join('.')}: ${v.message} (${v.code})`);
	}
	if ([400, 401, 403, 404, 405, 406, 415, 422].includes(status))
		problems.push(`Prism answered ${status}`);
	return problems;
}

function lowerKeys(h: Record<string, string | undefined>): Record<string, string | undefined> {
	return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address() as { port: number };
			s.close(() => resolve(port));
		});
	});
}

let prism: ChildProcess;
let baseUrl: string;
let prismOutput = '';
const exchanges: Exchange[] = [];

/** A pass-through around the real axios transport that records what went over the wire. */
function recordingTransport(inner: Transport): Transport {
	return {
		...inner,
		sleep: (ms) => inner.sleep(ms),
		now: inner.now ? () => inner.now!() : undefined,
		async request(req) {
			const exchange: Exchange = { request: req };
			exchanges.push(exchange);
			exchange.response = await inner.request(req);
			return exchange.response;
		},
	};
}

beforeAll(async () => {
	const port = await freePort();
	baseUrl = `http://127.0.0.1:${port}`;
	prism = spawn(
		process.execPath,
		[
			PRISM,
			'mock',
			join(ROOT, 'shared', 'openapi.json'),
			'-p',
			String(port),
			'-h',
			'127.0.0.1',
			'--errors',
		],
		{
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	prism.stdout!.on('data', (c: Buffer) => (prismOutput += c.toString()));
	prism.stderr!.on('data', (c: Buffer) => (prismOutput += c.toString()));
	const deadline = Date.now() + 90_000;
	for (;;) {
		if (prism.exitCode !== null) throw new Error(`Prism exited early:\n${prismOutput}`);
		try {
			await fetch(`${baseUrl}/webhooks`, { signal: AbortSignal.timeout(1000) });
			break; // any HTTP answer means Prism is listening
		} catch {
			if (Date.now() > deadline) throw new Error(`Prism did not start:\n${prismOutput}`);
			await new Promise((r) => setTimeout(r, 250));
		}
	}
}, 120_000);

afterAll(async () => {
	if (prism && prism.exitCode === null) {
		const exited = new Promise((r) => prism.once('exit', r));
		prism.kill('SIGTERM');
		await exited;
	}
});

beforeEach(() => {
	exchanges.length = 0;
});

function client(): IntelliPortalClient {
	return new IntelliPortalClient({
		apiKey: KEY,
		baseUrl,
		transport: recordingTransport(createAxiosTransport()),
	});
}

/** Every exchange of the last operation reached Prism with the bearer key and no violation. */
function expectConformingExchanges(method: string, path: string): void {
	expect(exchanges.length).toBeGreaterThan(0);
	for (const ex of exchanges) {
		expect(ex.request.method).toBe(method);
		expect(new URL(ex.request.url).pathname).toBe(path);
		expect(lowerKeys(ex.request.headers).authorization).toBe(`Bearer ${KEY}`);
		expect(ex.response).toBeDefined();
		const problems = violationsOf(ex.response!.status, lowerKeys(ex.response!.headers));
		expect(problems).toEqual([]);
		expect(ex.response!.status).toBeLessThan(300);
	}
}

describe('the core client conforms to the contract (Prism)', () => {
	test('sendMessage (text and media)', async () => {
		const c = client();
		const text = await c.sendMessage({
			client_ref: 'acme',
			to: '+15551234567',
			type: 'text',
			text: { body: 'Hello' },
		});
		expect(text.status).toBe('queued');
		expect(typeof text.id).toBe('string');
		const media = await c.sendMessage({
			client_ref: 'acme',
			to: '+15551234567',
			type: 'media',
			media: { url: 'https://cdn.example.com/menu.pdf', caption: 'Menu' },
		});
		expect(typeof media.id).toBe('string');
		expectConformingExchanges('POST', '/messages/send');
	});

	test('sendTemplate', async () => {
		const r = await client().sendTemplate({
			client_ref: 'acme',
			to: '+15551234567',
			template: { name: 'order_update', language: { code: 'en' }, parameters: ['#1', 'shipped'] },
		});
		expect(typeof r.id).toBe('string');
		expectConformingExchanges('POST', '/messages/send-template');
	});

	// The four operations below have no response schema in the contract: Prism checks the request
	// and answers with an empty body, which the core reports (asserted, not tolerated).
	test('onboardClient: request conforms; the empty mocked answer is unexpected_response', async () => {
		await expectEmptyMockReported(
			client().onboardClient({
				business_name: 'Acme',
				phone_number_id: 'pn_1',
				waba_id: 'w_1',
				callback_url: 'https://acme.example/cb',
			}),
		);
		expectConformingExchanges('POST', '/clients/signup');
		expect(exchanges[0].response!.status).toBe(201);
	});

	test('listClients with limit and offset: request conforms; the empty mocked answer is unexpected_response', async () => {
		await expectEmptyMockReported(client().listClients({ limit: 50, offset: 100 }));
		expectConformingExchanges('GET', '/clients');
		const url = new URL(exchanges[0].request.url);
		expect(url.searchParams.get('limit')).toBe('50');
		expect(url.searchParams.get('offset')).toBe('100');
	});

	test('getWebhookConfig: request conforms; the empty mocked answer is unexpected_response', async () => {
		await expectEmptyMockReported(client().getWebhookConfig());
		expectConformingExchanges('GET', '/webhooks');
	});

	test('updateWebhookConfig: request conforms; the empty mocked answer is unexpected_response', async () => {
		await expectEmptyMockReported(
			client().updateWebhookConfig({
				url: 'https://hooks.example.com/ip',
				events: ['message.delivered'],
			}),
		);
		expectConformingExchanges('PUT', '/webhooks');
		expect(exchanges[0].request.body).toMatchObject({ url: 'https://hooks.example.com/ip' });
	});
});

/**
 * Runs an operation whose 2xx has no response schema in the contract: Prism answers it with an
 * empty body, which the core must report as `unexpected_response` (it never returns a made-up
 * result). Anything else (a result, client-side validation, a 4xx, a network error) fails.
 */
async function expectEmptyMockReported(p: Promise<unknown>): Promise<void> {
	const error = await p.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(IntelliPortalError);
	expect(error).toMatchObject({ code: 'unexpected_response' });
	expect((error as IntelliPortalError).httpStatus).toBe(exchanges[0].response!.status);
	expect(exchanges[0].response!.body ?? '').toBe('');
}

describe('negative control: the detector sees real violations', () => {
	test('an invalid body is reported by Prism and caught by the same check', async () => {
		const res = await fetch(`${baseUrl}/messages/send`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ to: 5, type: 'fax' }),
		});
		const headers = Object.fromEntries(res.headers.entries());
		const problems = violationsOf(res.status, headers);
		expect(problems.join('\n')).toMatch(/client_ref/);
		expect(problems.join('\n')).toMatch(/to must be string/);
		expect(problems.join('\n')).toMatch(/type must be equal to one of the allowed values/);
	});

	test('a request without the bearer key is rejected (Prism enforces security)', async () => {
		const res = await fetch(`${baseUrl}/webhooks`);
		expect(res.status).toBe(401);
		// Prism 5 answers 401 without an sl-violations header; the detector must still flag it.
		expect(violationsOf(res.status, Object.fromEntries(res.headers.entries()))).toContain(
			'Prism answered 401',
		);
	});

	test('a wrong query type is rejected', async () => {
		const res = await fetch(`${baseUrl}/clients?limit=lots`, {
			headers: { Authorization: `Bearer ${KEY}` },
		});
		expect(res.status).toBe(422);
		expect(violationsOf(res.status, Object.fromEntries(res.headers.entries()))).not.toEqual([]);
	});
});
