/**
 * The API client on a fake transport: validation before any request, one request per call made
 * through the host's layers, the answer mapped to a typed result or error, paging.
 */
import { IntelliPortalClient } from '../../shared/apiClient';
import { ServerError, ValidationError } from '../../shared/errors';
import type { Layer } from '../../shared/send';
import type { SendMessageInput } from '../../shared/types';
import {
	BASE,
	FakeTransport,
	KEY,
	accepted,
	message,
	ok,
	rejection,
} from './helpers/fake-transport';
import type { Scripted } from './helpers/fake-transport';

function setup(script: Scripted[], layers: Layer[] = []) {
	const transport = new FakeTransport(script);
	const client = new IntelliPortalClient({ apiKey: KEY, baseUrl: BASE, transport, layers });
	return { transport, client };
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

	it('an unreadable 2xx to a write is flagged as processed (sending again would duplicate it); to a read it is not', async () => {
		const { transport, client } = setup([ok('<html>oops</html>')]);
		for (const write of [
			() => client.sendMessage(message),
			() => client.onboardClient({ business_name: 'Acme', phone_number_id: '123' }),
			() => client.updateWebhookConfig({ url: 'https://example.com/hook' }),
		]) {
			const error = (await rejection(write())) as ServerError;
			expect(error).toMatchObject({
				mayHaveBeenSent: true,
				code: 'unexpected_response',
				httpStatus: 200,
			});
		}
		const read = (await rejection(client.getWebhookConfig())) as ServerError;
		expect(read.mayHaveBeenSent).toBe(false);
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

describe('one request through the layers', () => {
	it('without layers a call makes exactly one attempt: a failure is not repeated', async () => {
		const { transport, client } = setup([{ status: 503 }, accepted]);
		await expect(client.listClients()).rejects.toMatchObject({
			name: 'ServerError',
			httpStatus: 503,
		});
		expect(transport.requests).toHaveLength(1);
		expect(transport.sleeps).toEqual([]);
	});

	it('the layers wrap the request in order, the first outermost, and see typed errors', async () => {
		const log: string[] = [];
		const tag =
			(name: string): Layer =>
			(next) =>
			async (request) => {
				log.push(`${name} ${request.method}`);
				try {
					return await next(request);
				} catch (error) {
					log.push(`${name} saw ${(error as Error).name}`);
					throw error;
				}
			};
		const { client } = setup([{ status: 404 }], [tag('outer'), tag('inner')]);
		await expect(client.getWebhookConfig()).rejects.toMatchObject({ name: 'NotFoundError' });
		expect(log).toEqual([
			'outer GET',
			'inner GET',
			'inner saw NotFoundError',
			'outer saw NotFoundError',
		]);
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
