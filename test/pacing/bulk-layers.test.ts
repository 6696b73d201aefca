/**
 * The layers of a paced bulk request (bulkLayers): under the account's governor a 429 is the
 * pacing working, so throttles get a time budget instead of the attempt cap a single call has.
 */
import { IntelliPortalClient } from '../../shared/apiClient';
import { CancelledError, RateLimitError } from '../../shared/errors';
import { bulkLayers } from '../../shared/pacing/bulkLayers';
import type { RateGovernor } from '../../shared/pacing/pace';
import { RunControl } from '../../shared/pacing/run';
import { PACED_THROTTLE_BUDGET_MS, withRetry } from '../../shared/retry';
import type { RetryPolicy } from '../../shared/retry';
import { TransportFailure } from '../../shared/transport';
import {
	BASE,
	FakeTransport,
	KEY,
	accepted,
	message,
	rejection,
} from '../core/helpers/fake-transport';
import { FakeClock } from './fake-clock';
import type { Scripted } from '../core/helpers/fake-transport';

/** A paced client (bulkLayers) when a governor is given, else a single call's retry. */
function setup(script: Scripted[], retry: Partial<RetryPolicy> = {}, governor?: RateGovernor) {
	const transport = new FakeTransport(script);
	const sleep = (ms: number) => transport.sleep(ms);
	const policy = { random: () => 0.5, ...retry };
	const layers = governor
		? bulkLayers({ governor, sleep, retry: policy })
		: [withRetry({ policy, wait: sleep })];
	const client = new IntelliPortalClient({ apiKey: KEY, baseUrl: BASE, transport, layers });
	return { transport, client };
}

describe('throttles in a paced request: a time budget, not the attempt cap', () => {
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
		expect(error.gaveUp).toEqual({ reason: 'kept_refusing', waitedMs: 90_000, attempts: 4 });
		// 30 + 30 + 30 s waited; a fourth 30 s wait would pass the 100 s budget.
		expect(transport.sleeps).toEqual([30_000, 30_000, 30_000]);
		expect(transport.requests).toHaveLength(4);
	});

	it('the default budget of a paced request is PACED_THROTTLE_BUDGET_MS', async () => {
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

describe('the nesting', () => {
	it('the governor sees every attempt of a retried request, each with its status and Retry-After', async () => {
		const log: string[] = [];
		const governor: RateGovernor = {
			acquire: async () => void log.push('acquire'),
			release: (outcome) => void log.push(`release ${JSON.stringify(outcome)}`),
		};
		const { client } = setup(
			[
				{ status: 429, headers: { 'retry-after': '2' } },
				{ status: 503, headers: { 'retry-after': '1' } },
				accepted,
			],
			{},
			governor,
		);
		await client.sendMessage(message);
		expect(log).toEqual([
			'acquire',
			'release {"status":429,"retryAfterMs":2000}',
			'acquire',
			'release {"status":503,"retryAfterMs":1000}',
			'acquire',
			'release {"status":200}',
		]);
	});

	it('Stop while a request still waits for its slot: it never left, so it reports not sent (only a request in flight may have been sent)', async () => {
		const clock = new FakeClock();
		const transport = new FakeTransport([accepted]);
		const run = new RunControl({ now: clock.now });
		// A governor that holds the slot for 1 s and does not watch the run itself.
		const governor: RateGovernor = {
			acquire: () => clock.sleep(1_000),
			release: () => undefined,
		};
		const client = new IntelliPortalClient({
			apiKey: KEY,
			baseUrl: BASE,
			transport,
			layers: bulkLayers({ governor, run, sleep: clock.sleep }),
		});
		const outcome = client.sendMessage(message).catch((e: unknown) => e);
		await clock.advanceTo(500);
		run.stop();
		await clock.advanceTo(1_000);
		const error = await outcome;
		expect(error).toBeInstanceOf(CancelledError);
		expect((error as CancelledError).mayHaveBeenSent).toBe(false);
		expect(transport.requests).toHaveLength(0);
	});
});
