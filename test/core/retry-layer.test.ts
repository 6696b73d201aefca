/**
 * The retry layer around the client's one request, on a fake transport: what is repeated, after
 * which wait, and that a POST which may have been processed never is.
 */
import { IntelliPortalClient } from '../../shared/apiClient';
import { NetworkError, RateLimitError, ServerError } from '../../shared/errors';
import { withRetry } from '../../shared/retry';
import type { RetryPolicy } from '../../shared/retry';
import { TransportFailure } from '../../shared/transport';
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

function setup(script: Scripted[], retry: Partial<RetryPolicy> = {}) {
	const transport = new FakeTransport(script);
	const layers = [
		withRetry({ policy: { random: () => 0.5, ...retry }, wait: (ms) => transport.sleep(ms) }),
	];
	const client = new IntelliPortalClient({ apiKey: KEY, baseUrl: BASE, transport, layers });
	return { transport, client };
}

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
		// the core gives the facts; the hosts word them (test/n8n/errors, test/zapier/errors)
		expect(error.gaveUp).toEqual({ reason: 'wait_too_long', limitMs: 60000 });
		expect(error.message).not.toMatch(/wait/);
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
		const { transport, client } = setup([]);
		const at = new Date(transport.clock + 4000).toUTCString();
		transport.script.push({ status: 429, headers: { 'Retry-After': at } }, accepted);
		await client.sendMessage(message);
		// toUTCString has second precision: the wait is 4 s minus the sub-second part of the clock.
		expect(transport.sleeps).toHaveLength(1);
		expect(transport.sleeps[0]).toBeGreaterThan(3000);
		expect(transport.sleeps[0]).toBeLessThanOrEqual(4000);
	});

	it('4xx are never retried', async () => {
		const { transport, client } = setup([{ status: 409 }]);
		await expect(
			client.onboardClient({ business_name: 'A', phone_number_id: '1' }),
		).rejects.toMatchObject({ name: 'ConflictError' });
		expect(transport.requests).toHaveLength(1);
	});
});

describe('the wait between attempts', () => {
	it('a wait that rejects ends the request with its error, and nothing more is sent', async () => {
		const transport = new FakeTransport([
			{ status: 429, headers: { 'retry-after': '1' } },
			accepted,
		]);
		const stop = new Error('stopped');
		const seen: Array<[number, string]> = [];
		const client = new IntelliPortalClient({
			apiKey: KEY,
			baseUrl: BASE,
			transport,
			layers: [
				withRetry({
					wait: async (ms, after) => {
						seen.push([ms, after.name]);
						throw stop;
					},
				}),
			],
		});
		await expect(client.sendMessage(message)).rejects.toBe(stop);
		expect(seen).toEqual([[1000, 'RateLimitError']]);
		expect(transport.requests).toHaveLength(1);
	});

	it('an error an inner layer raised without an HTTP status (a spent wait budget) is never retried', async () => {
		const transport = new FakeTransport([accepted]);
		const spent = new RateLimitError('budget spent', {
			code: 'wait_budget_spent',
			retryAfterMs: 1000,
		});
		let attempts = 0;
		const client = new IntelliPortalClient({
			apiKey: KEY,
			baseUrl: BASE,
			transport,
			layers: [
				withRetry({ wait: (ms) => transport.sleep(ms) }),
				() => async () => {
					attempts++;
					throw spent;
				},
			],
		});
		await expect(client.sendMessage(message)).rejects.toBe(spent);
		expect(attempts).toBe(1);
		expect(transport.sleeps).toEqual([]);
	});
});
