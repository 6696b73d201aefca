import {
	IntelliPortalClient,
	NetworkError,
	PACED_THROTTLE_BUDGET_MS,
	RateLimitError,
	ServerError,
	TransportFailure,
	ValidationError,
} from '../../shared';
import type { RateGovernor, RetryPolicy, SendMessageInput } from '../../shared';
import { BASE, FakeTransport, KEY } from './helpers/fake-transport';
import type { Scripted } from './helpers/fake-transport';

const ok = (body: unknown): Scripted => ({ status: 200, body });
const message = { client_ref: 'c1', to: '+15551234567', type: 'text', text: { body: 'Hi' } };
const accepted = ok({
	id: 'msg_1',
	status: 'queued',
	channel: 'whatsapp',
	created_at: '2026-01-01T00:00:00Z',
});

function setup(script: Scripted[], retry: Partial<RetryPolicy> = {}, governor?: RateGovernor) {
	const transport = new FakeTransport(script);
	const client = new IntelliPortalClient({
		apiKey: KEY,
		baseUrl: BASE,
		transport,
		retry: { random: () => 0.5, ...retry },
		governor,
	});
	return { transport, client };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
	try {
		await promise;
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected a rejection');
}

describe('requests', () => {
	it('sendMessage POSTs the validated JSON with bearer auth and returns the typed response', async () => {
		const { transport, client } = setup([accepted]);
		await expect(
			client.sendMessage({ ...message, junk: 1 } as SendMessageInput),
		).resolves.toMatchObject({
			id: 'msg_1',
			status: 'queued',
		});
		expect(transport.requests).toEqual([
			{
				method: 'POST',
				url: `${BASE}/messages/send`,
				headers: {
					Accept: 'application/json',
					'Content-Type': 'application/json',
					Authorization: `Bearer ${KEY}`,
					'X-IntelliPortal-Client': expect.any(String),
				},
				body: { client_ref: 'c1', to: '+15551234567', type: 'text', text: { body: 'Hi' } },
				timeoutMs: 30000,
			},
		]);
	});

	it('sends no Authorization when the transport authenticates itself', async () => {
		const { transport, client } = setup([ok({ url: null, events: [] })]);
		transport.authenticates = true;
		await client.getWebhookConfig();
		expect(transport.requests[0].headers.Authorization).toBeUndefined();
		expect(transport.requests[0].headers['Content-Type']).toBeUndefined();
	});

	it('sendTemplate, onboardClient, webhooks hit their routes', async () => {
		const { transport, client } = setup([
			accepted,
			{
				status: 201,
				body: {
					id: 'cl_1',
					business_name: 'A',
					phone_number_id: '1',
					status: 'active',
					created_at: 'x',
				},
			},
			ok({ url: 'https://h.example.com/x', events: ['message.sent'] }),
			ok({ url: 'https://h.example.com/y', events: ['message.read'] }),
		]);
		await client.sendTemplate({ client_ref: 'c', to: 't', template: { name: 'welcome' } });
		await expect(
			client.onboardClient({ business_name: 'A', phone_number_id: '1' }),
		).resolves.toMatchObject({ id: 'cl_1' });
		await expect(client.getWebhookConfig()).resolves.toEqual({
			url: 'https://h.example.com/x',
			events: ['message.sent'],
		});
		await expect(
			client.updateWebhookConfig({ url: 'https://h.example.com/y', events: ['message.read'] }),
		).resolves.toEqual({
			url: 'https://h.example.com/y',
			events: ['message.read'],
		});
		expect(transport.requests.map((r) => `${r.method} ${r.url.slice(BASE.length)}`)).toEqual([
			'POST /messages/send-template',
			'POST /clients/signup',
			'GET /webhooks',
			'PUT /webhooks',
		]);
		expect(transport.requests[0].body).toEqual({
			client_ref: 'c',
			to: 't',
			template: { name: 'welcome', language: { code: 'en' } },
		});
	});

	it('validation errors happen before any request', async () => {
		const { transport, client } = setup([accepted]);
		await expect(client.sendMessage({ ...message, to: '' })).rejects.toBeInstanceOf(
			ValidationError,
		);
		await expect(client.listClients({ limit: 1000 })).rejects.toMatchObject({ field: 'limit' });
		expect(transport.requests).toHaveLength(0);
	});

	it('a 2xx that does not fit the contract is a ServerError, not a crash', async () => {
		const { client } = setup([ok('<html>oops</html>')]);
		await expect(client.sendMessage(message)).rejects.toMatchObject({
			name: 'ServerError',
			code: 'unexpected_response',
		});
	});

	it('an unreadable 2xx to a write says it was processed (sending again would duplicate it); to a read it does not', async () => {
		const { transport, client } = setup([ok('<html>oops</html>')]);
		for (const write of [
			() => client.sendMessage(message),
			() => client.onboardClient({ business_name: 'Acme', phone_number_id: '123' }),
			() => client.updateWebhookConfig({ url: 'https://example.com/hook' }),
		]) {
			const error = (await rejection(write())) as ServerError;
			expect(error.mayHaveBeenSent).toBe(true);
			expect(error.message).toMatch(/accepted the request \(HTTP 200\), so it was processed/);
		}
		const read = (await rejection(client.getWebhookConfig())) as ServerError;
		expect(read.mayHaveBeenSent).toBe(false);
		expect(read.message).not.toMatch(/processed/);
		// Never retried: one request per call.
		expect(transport.requests).toHaveLength(4);
	});

	it('parses JSON text bodies', async () => {
		const { client } = setup([
			{ status: 200, headers: { 'content-type': 'application/json' }, body: '{"id":"m1"}' },
		]);
		await expect(client.sendMessage(message)).resolves.toEqual({ id: 'm1' });
	});
});

describe('retry policy', () => {
	it('429: waits the Retry-After and retries (POST too), then succeeds', async () => {
		const { transport, client } = setup([
			{ status: 429, headers: { 'retry-after': '2' } },
			{ status: 429, headers: { 'retry-after': '1' } },
			accepted,
		]);
		await expect(client.sendMessage(message)).resolves.toMatchObject({ id: 'msg_1' });
		expect(transport.requests).toHaveLength(3);
		expect(transport.sleeps).toEqual([2000, 1000]);
	});

	it('429 without Retry-After waits the default 1 s; gives up after maxAttempts with a RateLimitError', async () => {
		const { transport, client } = setup([{ status: 429 }], { maxAttempts: 3 });
		const error = await rejection(client.sendMessage(message));
		expect(error).toBeInstanceOf(RateLimitError);
		expect(transport.requests).toHaveLength(3);
		expect(transport.sleeps).toEqual([1000, 1000]);
	});

	it('a Retry-After beyond maxRetryAfterMs fails at once saying how long', async () => {
		const { transport, client } = setup([{ status: 429, headers: { 'retry-after': '120' } }]);
		const error = (await rejection(client.sendMessage(message))) as RateLimitError;
		expect(error).toBeInstanceOf(RateLimitError);
		expect(error.retryAfterMs).toBe(120000);
		expect(error.message).toMatch(/try again in 120 s/);
		expect(transport.requests).toHaveLength(1);
		expect(transport.sleeps).toEqual([]);
	});

	it('POST is not repeated after a 500', async () => {
		const { transport, client } = setup([
			{ status: 500, body: { error: { message: 'db down' } } },
			accepted,
		]);
		const error = (await rejection(client.sendMessage(message))) as ServerError;
		expect(error).toBeInstanceOf(ServerError);
		expect(error.mayHaveBeenSent).toBe(true);
		expect(transport.requests).toHaveLength(1);
	});

	it.each(['timeout', 'response'] as const)(
		'POST is not repeated after an ambiguous %s failure',
		async (phase) => {
			const { transport, client } = setup([
				{ fail: new TransportFailure('socket hang up', { phase }) },
				accepted,
			]);
			const error = (await rejection(client.sendMessage(message))) as NetworkError;
			expect(error).toBeInstanceOf(NetworkError);
			expect(error.phase).toBe(phase);
			expect(error.mayHaveBeenSent).toBe(true);
			expect(error.timedOut).toBe(phase === 'timeout');
			expect(error.message).toMatch(/not repeated/);
			expect(transport.requests).toHaveLength(1);
		},
	);

	it('an unknown transport exception counts as ambiguous', async () => {
		const { transport, client } = setup([{ fail: new Error('weird') }, accepted]);
		await expect(client.sendMessage(message)).rejects.toMatchObject({
			phase: 'response',
			mayHaveBeenSent: true,
		});
		expect(transport.requests).toHaveLength(1);
	});

	it('POST is retried with backoff after a connect failure (it never left)', async () => {
		const { transport, client } = setup([
			{ fail: new TransportFailure('ECONNREFUSED', { phase: 'connect', code: 'ECONNREFUSED' }) },
			{ fail: new TransportFailure('ECONNREFUSED', { phase: 'connect', code: 'ECONNREFUSED' }) },
			accepted,
		]);
		await expect(client.sendMessage(message)).resolves.toMatchObject({ id: 'msg_1' });
		// equal jitter with random 0.5: step * 0.75 → 500*0.75, 1000*0.75
		expect(transport.sleeps).toEqual([375, 750]);
	});

	it('GET is retried with exponential backoff + jitter on 5xx, up to maxAttempts', async () => {
		const randoms = [0, 1, 0.5];
		const { transport, client } = setup([{ status: 502 }], { random: () => randoms.shift() ?? 0 });
		const error = (await rejection(client.listClients())) as ServerError;
		expect(error).toBeInstanceOf(ServerError);
		expect(error.mayHaveBeenSent).toBe(false);
		expect(transport.requests).toHaveLength(4);
		expect(transport.sleeps).toEqual([250, 1000, 1500]);
	});

	it('GET is retried after a timeout; PUT after a reset', async () => {
		const a = setup([{ fail: new TransportFailure('t', { phase: 'timeout' }) }, ok([])]);
		await expect(a.client.listClients()).resolves.toMatchObject({ items: [] });
		expect(a.transport.requests).toHaveLength(2);
		const b = setup([
			{ fail: new TransportFailure('r', { phase: 'response' }) },
			ok({ url: 'https://x.example.com/h', events: [] }),
		]);
		await b.client.updateWebhookConfig({ url: 'https://x.example.com/h' });
		expect(b.transport.requests).toHaveLength(2);
	});

	it('503 with Retry-After is retried after the delay, even for POST', async () => {
		const { transport, client } = setup([
			{ status: 503, headers: { 'retry-after': '3' } },
			accepted,
		]);
		await expect(client.sendMessage(message)).resolves.toMatchObject({ id: 'msg_1' });
		expect(transport.sleeps).toEqual([3000]);
	});

	it('an HTTP-date Retry-After is measured on the host clock', async () => {
		const transport = new FakeTransport([]);
		const at = new Date(transport.clock + 4000).toUTCString();
		transport.script.push({ status: 429, headers: { 'Retry-After': at } }, accepted);
		const client = new IntelliPortalClient({ apiKey: KEY, baseUrl: BASE, transport });
		await client.sendMessage(message);
		// toUTCString has second precision: the wait is 4 s minus the sub-second part of the clock.
		expect(transport.sleeps).toHaveLength(1);
		expect(transport.sleeps[0]).toBeGreaterThan(3000);
		expect(transport.sleeps[0]).toBeLessThanOrEqual(4000);
	});

	it('passes the per-request timeout and the client name to the transport', async () => {
		const transport = new FakeTransport([accepted]);
		const client = new IntelliPortalClient({
			apiKey: KEY,
			baseUrl: BASE,
			transport,
			timeoutMs: 1234,
			clientName: 'n8n-nodes-intelliportal/0.1.0',
		});
		await client.sendMessage(message);
		expect(transport.requests[0].timeoutMs).toBe(1234);
		expect(transport.requests[0].headers['X-IntelliPortal-Client']).toBe(
			'n8n-nodes-intelliportal/0.1.0',
		);
	});

	it('4xx are never retried', async () => {
		const { transport, client } = setup([{ status: 409 }]);
		await expect(
			client.onboardClient({ business_name: 'A', phone_number_id: '1' }),
		).rejects.toMatchObject({ name: 'ConflictError' });
		expect(transport.requests).toHaveLength(1);
	});
});

describe('governor', () => {
	it('acquire before and release after every attempt, with status and Retry-After', async () => {
		const log: string[] = [];
		const governor: RateGovernor = {
			acquire: async () => {
				log.push('acquire');
			},
			release: (outcome) => {
				log.push(`release ${JSON.stringify(outcome)}`);
			},
		};
		const { client } = setup(
			[
				{ status: 429, headers: { 'retry-after': '1' } },
				{ fail: new TransportFailure('refused', { phase: 'connect' }) },
				accepted,
			],
			{},
			governor,
		);
		await client.sendMessage(message);
		expect(log).toEqual([
			'acquire',
			'release {"status":429,"retryAfterMs":1000}',
			'acquire',
			'release {}',
			'acquire',
			'release {"status":200}',
		]);
	});

	it('a throwing governor.release never turns a success into a failure', async () => {
		const { client } = setup(
			[accepted],
			{},
			{
				acquire: async () => {},
				release: () => {
					throw new Error('x');
				},
			},
		);
		await expect(client.sendMessage(message)).resolves.toMatchObject({ id: 'msg_1' });
	});
});

describe('throttles under a governor (bulk): a time budget, not the attempt cap', () => {
	const passThrough: RateGovernor = { acquire: async () => {}, release: () => {} };
	const throttled = (seconds: number): Scripted => ({
		status: 429,
		headers: { 'retry-after': String(seconds) },
	});

	it('ten 429s in a row, then accepted: the item is sent once, not failed after maxAttempts', async () => {
		const script = [...Array.from({ length: 10 }, () => throttled(1)), accepted];
		const { transport, client } = setup(script, {}, passThrough);
		await expect(client.sendMessage(message)).resolves.toMatchObject({ id: 'msg_1' });
		expect(transport.requests).toHaveLength(11);
		expect(transport.sleeps).toEqual(Array.from({ length: 10 }, () => 1000));
	});

	it('without a governor the same call still fails fast after maxAttempts (interactive use)', async () => {
		const script = [...Array.from({ length: 10 }, () => throttled(1)), accepted];
		const { transport, client } = setup(script);
		await expect(client.sendMessage(message)).rejects.toBeInstanceOf(RateLimitError);
		expect(transport.requests).toHaveLength(4);
	});

	it('503 + Retry-After counts as a throttle too; throttles do not use up the attempts other failures get', async () => {
		const connect = { fail: new TransportFailure('refused', { phase: 'connect' as const }) };
		const script: Scripted[] = [
			{ status: 503, headers: { 'retry-after': '1' } },
			throttled(1),
			throttled(1),
			throttled(1),
			connect,
			throttled(1),
			connect,
			connect,
			accepted,
		];
		const { transport, client } = setup(script, {}, passThrough);
		await expect(client.sendMessage(message)).resolves.toMatchObject({ id: 'msg_1' });
		expect(transport.requests).toHaveLength(9);
	});

	it('connect failures still get only maxAttempts in total, throttles between them or not', async () => {
		const connect = { fail: new TransportFailure('refused', { phase: 'connect' as const }) };
		const script: Scripted[] = [connect, throttled(1), connect, connect, connect, accepted];
		const { transport, client } = setup(script, {}, passThrough);
		await expect(client.sendMessage(message)).rejects.toMatchObject({ phase: 'connect' });
		expect(transport.requests).toHaveLength(5);
	});

	it('when the budget is spent the item fails as a RateLimitError that says it was not sent', async () => {
		const { transport, client } = setup(
			[throttled(30)],
			{ throttleBudgetMs: 100_000 },
			passThrough,
		);
		const error = (await rejection(client.sendMessage(message))) as RateLimitError;
		expect(error).toBeInstanceOf(RateLimitError);
		expect(error.mayHaveBeenSent).toBe(false);
		expect(error.message).toMatch(
			/kept refusing this request for 90 s \(4 attempts\); it was not sent/,
		);
		// 30 + 30 + 30 s waited; a fourth 30 s wait would pass the 100 s budget.
		expect(transport.sleeps).toEqual([30_000, 30_000, 30_000]);
		expect(transport.requests).toHaveLength(4);
	});

	it('the default budget of a governed client is PACED_THROTTLE_BUDGET_MS', async () => {
		const { transport, client } = setup([throttled(60)], {}, passThrough);
		await expect(client.sendMessage(message)).rejects.toBeInstanceOf(RateLimitError);
		expect(transport.sleeps.reduce((a, b) => a + b, 0)).toBe(PACED_THROTTLE_BUDGET_MS);
	});

	it('a throttle asking for less than a second ("Retry-After: 0") is not pacing: it counts as an attempt', async () => {
		const { transport, client } = setup(
			[{ status: 503, headers: { 'retry-after': '0' } }],
			{},
			passThrough,
		);
		await expect(client.sendMessage(message)).rejects.toMatchObject({ httpStatus: 503 });
		expect(transport.requests).toHaveLength(4);
	});

	it('a POST is still never repeated after an ambiguous failure, however many throttles came before', async () => {
		const script: Scripted[] = [
			throttled(1),
			throttled(1),
			{ status: 500, body: { error: { message: 'db down' } } },
			accepted,
		];
		const { transport, client } = setup(script, {}, passThrough);
		await expect(client.sendMessage(message)).rejects.toMatchObject({ mayHaveBeenSent: true });
		expect(transport.requests).toHaveLength(3);
	});
});

describe('paging', () => {
	const clients = (from: number, n: number) =>
		Array.from({ length: n }, (_, i) => ({
			id: `cl_${from + i}`,
			business_name: 'B',
			phone_number_id: `${from + i}`,
			status: 'active',
			created_at: 'x',
		}));

	it('normalises a bare array, {data} and {clients}', async () => {
		const { client } = setup([
			ok(clients(0, 2)),
			ok({ data: clients(0, 20), total: 50 }),
			ok({ clients: clients(0, 1) }),
		]);
		await expect(client.listClients({ limit: 2 })).resolves.toMatchObject({
			limit: 2,
			offset: 0,
			hasMore: true,
		});
		await expect(client.listClients({ offset: 20 })).resolves.toMatchObject({
			offset: 20,
			hasMore: true,
			total: 50,
		});
		// without total a short page is not the end (servers cap page sizes): only an empty one is
		await expect(client.listClients({ limit: 5 })).resolves.toMatchObject({
			hasMore: true,
			items: [{ id: 'cl_0' }],
		});
	});

	it('encodes limit and offset in the query', async () => {
		const { transport, client } = setup([ok([])]);
		await client.listClients({ limit: 50, offset: 100 });
		expect(transport.requests[0].url).toBe(`${BASE}/clients?limit=50&offset=100`);
	});

	it('listAllClients pages by offset past short pages (no total) until an empty page', async () => {
		const { transport, client } = setup([
			ok(clients(0, 3)),
			ok(clients(3, 2)),
			ok(clients(5, 1)),
			ok([]),
		]);
		const all = await client.listAllClients({ pageSize: 3 });
		expect(all.map((c) => c.id)).toEqual(['cl_0', 'cl_1', 'cl_2', 'cl_3', 'cl_4', 'cl_5']);
		expect(transport.requests.map((r) => r.url.slice(BASE.length))).toEqual([
			'/clients?limit=3&offset=0',
			'/clients?limit=3&offset=3',
			'/clients?limit=3&offset=5',
			'/clients?limit=3&offset=6',
		]);
	});

	it('listAllClients stops at total without an extra request', async () => {
		const { transport, client } = setup([
			ok({ data: clients(0, 2), total: 3 }),
			ok({ data: clients(2, 1), total: 3 }),
		]);
		expect(await client.listAllClients({ pageSize: 2 })).toHaveLength(3);
		expect(transport.requests).toHaveLength(2);
	});

	it('a server whose list never ends stops the listing with an error after maxPages', async () => {
		const pages = Array.from({ length: 10 }, (_, p) => ok(clients(p * 2, 2)));
		const { transport, client } = setup(pages);
		await expect(client.listAllClients({ pageSize: 2, maxPages: 5 })).rejects.toMatchObject({
			code: 'unexpected_response',
			message: expect.stringContaining('did not end after 5 pages'),
		});
		expect(transport.requests).toHaveLength(5);
	});

	it('stops at an empty page and at max', async () => {
		const a = setup([ok(clients(0, 2)), ok([])]);
		expect(await a.client.listAllClients({ pageSize: 2 })).toHaveLength(2);
		expect(a.transport.requests).toHaveLength(2);
		const b = setup([ok(clients(0, 2)), ok(clients(2, 2)), ok(clients(4, 2))]);
		expect((await b.client.listAllClients({ pageSize: 2, max: 3 })).map((c) => c.id)).toEqual([
			'cl_0',
			'cl_1',
			'cl_2',
		]);
		expect(b.transport.requests).toHaveLength(2);
	});

	it('without max, "all" means all: no silent cap (12 000 clients over 120 pages)', async () => {
		const pages = Array.from({ length: 121 }, (_, p) => ok(p < 120 ? clients(p * 100, 100) : []));
		const { client } = setup(pages);
		const all = await client.listAllClients();
		expect(all).toHaveLength(12_000);
		expect(all[11_999].id).toBe('cl_11999');
	});

	it('a server that ignores offset (same page again) stops the listing with a clear error, not a silent first page', async () => {
		const { transport, client } = setup([ok(clients(0, 2))]);
		await expect(client.listAllClients({ pageSize: 2 })).rejects.toMatchObject({
			code: 'unexpected_response',
			message: expect.stringContaining('seems to ignore offset'),
		});
		expect(transport.requests).toHaveLength(2);
	});

	it('iterateClients yields lazily', async () => {
		const { transport, client } = setup([ok(clients(0, 2)), ok(clients(2, 2)), ok([])]);
		const seen: string[] = [];
		for await (const c of client.iterateClients({ pageSize: 2 })) {
			seen.push(c.id);
			if (seen.length === 1) expect(transport.requests).toHaveLength(1);
		}
		expect(seen).toEqual(['cl_0', 'cl_1', 'cl_2', 'cl_3']);
	});

	it('a list that is not a list is a ServerError', async () => {
		const { client } = setup([ok({ items: 'no' })]);
		await expect(client.listClients()).rejects.toMatchObject({ code: 'unexpected_response' });
	});
});
