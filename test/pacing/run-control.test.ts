/**
 * A bulk run's wait budget and Stop, on the fake clock: the core client (with a governor and a
 * RunControl) and runBulk against scripted servers. No real time passes.
 */
import { IntelliPortalClient } from '../../shared/apiClient';
import { CancelledError, NetworkError, RateLimitError } from '../../shared/errors';
import { runBulk } from '../../shared/pacing/bulk';
import { bulkLayers } from '../../shared/pacing/bulkLayers';
import { AdaptiveRateGovernor } from '../../shared/pacing/governor';
import { RunControl, withRunControl } from '../../shared/pacing/run';
import type { Transport, TransportRequest, TransportResponse } from '../../shared/transport';
import { FakeClock } from './fake-clock';

const KEY = 'ik_test_RUNCONTROLkey0123456789';
const BASE = 'http://127.0.0.1:9/v1';

/** A server on the fake clock: `answer` decides each request's response after `latencyMs`. */
class ClockServer implements Transport {
	readonly authenticates = false;
	readonly started: Array<{ at: number; body: string }> = [];
	readonly answered: Array<{ at: number; body: string; status: number }> = [];

	constructor(
		private readonly clock: FakeClock,
		private readonly answer: (req: TransportRequest) => {
			status: number;
			headers?: Record<string, string>;
		},
		private readonly latencyMs = 50,
	) {}

	async request(req: TransportRequest): Promise<TransportResponse> {
		const body = JSON.stringify(req.body);
		this.started.push({ at: this.clock.now(), body });
		const { status, headers = {} } = this.answer(req);
		await this.clock.sleep(this.latencyMs);
		this.answered.push({ at: this.clock.now(), body, status });
		return {
			status,
			headers,
			body:
				status === 202
					? {
							id: `m-${this.answered.length}`,
							status: 'queued',
							client_ref: 'c',
							to: '+15550000000',
							created_at: '2026-01-01T00:00:00Z',
						}
					: { error: { code: status === 429 ? 'rate_limited' : 'x', message: 'no' } },
		};
	}

	sleep = (ms: number): Promise<void> => this.clock.sleep(ms);
	now = (): number => this.clock.now();

	/** Bodies the server received more than once. */
	duplicates(): string[] {
		const seen = new Map<string, number>();
		for (const { body } of this.answered.filter((a) => a.status === 202))
			seen.set(body, (seen.get(body) ?? 0) + 1);
		return [...seen].filter(([, n]) => n > 1).map(([b]) => b);
	}
}

function message(i: number) {
	return {
		client_ref: 'client-1',
		to: '+15550000000',
		type: 'text' as const,
		text: { body: `msg ${i}` },
	};
}

function setup(server: ClockServer, clock: FakeClock, run: RunControl, concurrency = 16) {
	const governor = new AdaptiveRateGovernor({
		sleep: clock.sleep,
		now: clock.now,
		maxConcurrency: concurrency,
		initialConcurrency: concurrency,
	});
	const client = new IntelliPortalClient({
		apiKey: KEY,
		baseUrl: BASE,
		transport: server,
		layers: bulkLayers({ governor, run, sleep: clock.sleep }),
	});
	return { governor, client };
}

describe('run-level wait budget', () => {
	test('against a server that answers every request 429 (Retry-After 30 s), 40 items end within the 10-minute budget with at most about N + budget / Retry-After requests, all reported not sent and retryable', async () => {
		const clock = new FakeClock();
		const server = new ClockServer(clock, () => ({
			status: 429,
			headers: { 'retry-after': '30' },
		}));
		const budgetMs = 600_000;
		const run = new RunControl({ now: clock.now, waitBudgetMs: budgetMs });
		const { governor, client } = setup(server, clock, run);
		const n = 40;
		const results = await clock.run(
			runBulk(
				Array.from({ length: n }, (_, i) => i),
				(i) => client.sendMessage(message(i)),
				{ concurrency: 16, governor, run, sleep: clock.sleep, now: clock.now },
			),
			100_000_000,
		);
		expect(clock.now()).toBeLessThanOrEqual(budgetMs);
		// Without the budget (today's per-item budget) this was 24 040 requests over 6.7 hours.
		expect(server.started.length).toBeLessThanOrEqual(n + budgetMs / 30_000 + 16);
		for (const result of results) {
			expect(result.ok).toBe(false);
			const error = (result as { error: unknown }).error as RateLimitError;
			expect(error).toBeInstanceOf(RateLimitError);
			expect(error.mayHaveBeenSent).toBe(false);
			expect(error.retryable).toBe(true);
		}
		// Items that never got a request say the budget was spent.
		const budgetSpent = results.filter(
			(r) => !r.ok && (r.error as RateLimitError).code === 'wait_budget_spent',
		);
		expect(budgetSpent.length).toBeGreaterThan(0);
	});

	test('a budget of 1 minute against a server that throttles for the first 2 minutes: the run ends at about 1 minute, what was accepted before is kept', async () => {
		const clock = new FakeClock();
		let accepted = 0;
		const server = new ClockServer(clock, () =>
			clock.now() < 5_000 || clock.now() >= 120_000 || accepted < 3
				? (accepted++, { status: 202 })
				: { status: 429, headers: { 'retry-after': '10' } },
		);
		const run = new RunControl({ now: clock.now, waitBudgetMs: 60_000 });
		const { governor, client } = setup(server, clock, run, 4);
		const results = await clock.run(
			runBulk(
				Array.from({ length: 2_000 }, (_, i) => i),
				(i) => client.sendMessage(message(i)),
				{ concurrency: 4, governor, run, sleep: clock.sleep, now: clock.now },
			),
		);
		expect(clock.now()).toBeLessThanOrEqual(60_000 + 1_000);
		const ok = results.filter((r) => r.ok).length;
		expect(ok).toBe(server.answered.filter((a) => a.status === 202).length);
		expect(server.duplicates()).toEqual([]);
		expect(
			results.slice(ok).every((r) => !r.ok && !(r.error as RateLimitError).mayHaveBeenSent),
		).toBe(true);
	});
});

describe('the wait budget counts only time held by refusals', () => {
	test('a campaign the server never refuses runs to the end however long it takes (20 minutes of sending under a 10-minute budget: all 1 200 sent, nothing charged)', async () => {
		const clock = new FakeClock();
		const server = new ClockServer(clock, () => ({ status: 202 }), 1_000);
		const run = new RunControl({ now: clock.now, waitBudgetMs: 600_000 });
		const { governor, client } = setup(server, clock, run, 1);
		const n = 1_200;
		const results = await clock.run(
			runBulk(
				Array.from({ length: n }, (_, i) => i),
				(i) => client.sendMessage(message(i)),
				{ concurrency: 1, governor, run, sleep: clock.sleep, now: clock.now },
			),
			100_000_000,
		);
		expect(results.filter((r) => r.ok).length).toBe(n);
		expect(clock.now()).toBeGreaterThanOrEqual(n * 1_000);
		expect(run.waitedMs).toBe(0);
	});

	test('refusals spread over a long run add up: one 429 (Retry-After 10 s) every 100 requests, 1-minute budget: the run goes on past a minute of sending and ends when the refusals have held it about a minute', async () => {
		const clock = new FakeClock();
		let requests = 0;
		const server = new ClockServer(
			clock,
			() =>
				++requests % 100 === 0
					? { status: 429, headers: { 'retry-after': '10' } }
					: { status: 202 },
			1_000,
		);
		const run = new RunControl({ now: clock.now, waitBudgetMs: 60_000 });
		const { governor, client } = setup(server, clock, run, 1);
		const results = await clock.run(
			runBulk(
				Array.from({ length: 2_000 }, (_, i) => i),
				(i) => client.sendMessage(message(i)),
				{ concurrency: 1, governor, run, sleep: clock.sleep, now: clock.now },
			),
			100_000_000,
		);
		const ok = results.filter((r) => r.ok).length;
		// Each refusal holds the run ~11 s (its flight + Retry-After): the sixth does not fit.
		expect(ok).toBeGreaterThan(400);
		expect(ok).toBeLessThan(700);
		expect(run.waitedMs).toBeLessThanOrEqual(60_000);
		expect(run.waitedMs).toBeGreaterThan(40_000);
		expect(clock.now()).toBeGreaterThan(400_000); // far past the budget in wall time
		expect(server.duplicates()).toEqual([]);
		const notSent = results.filter((r) => !r.ok);
		expect(notSent.length).toBe(2_000 - ok);
		for (const r of notSent) {
			const error = (r as { error: unknown }).error as RateLimitError;
			expect(error.code).toBe('wait_budget_spent');
			expect(error.mayHaveBeenSent).toBe(false);
		}
	});
});

describe('Stop', () => {
	test('stopping after 2 s: no request starts after the stop, in-flight sends end as may-have-been-sent unless answered, the rest are not sent, nothing twice', async () => {
		const clock = new FakeClock();
		const server = new ClockServer(clock, () => ({ status: 202 }), 200);
		const run = new RunControl({ now: clock.now });
		const { governor, client } = setup(server, clock, run, 8);
		const n = 5_000;
		const done = runBulk(
			Array.from({ length: n }, (_, i) => i),
			(i) => client.sendMessage(message(i)),
			{ concurrency: 8, governor, run, sleep: clock.sleep, now: clock.now },
		);
		await clock.advanceTo(2_050);
		const stoppedAt = clock.now();
		const startedBeforeStop = server.started.length;
		run.stop();
		const results = await clock.run(done);
		expect(clock.now()).toBe(stoppedAt); // nothing waited on after Stop
		expect(server.started.length).toBe(startedBeforeStop);
		expect(server.started.every((s) => s.at <= stoppedAt)).toBe(true);
		expect(server.duplicates()).toEqual([]);

		const sent = results.filter((r) => r.ok).length;
		const inFlight = results.filter((r) => !r.ok && r.error instanceof NetworkError);
		const notSent = results.filter((r) => !r.ok && r.error instanceof CancelledError);
		expect(sent + inFlight.length + notSent.length).toBe(n);
		expect(sent).toBeGreaterThan(0);
		expect(inFlight.length).toBeGreaterThan(0);
		expect(inFlight.every((r) => !r.ok && (r.error as NetworkError).mayHaveBeenSent)).toBe(true);
		expect(notSent.every((r) => !r.ok && !(r.error as CancelledError).mayHaveBeenSent)).toBe(true);
		// Every started request is either reported sent or may-have-been-sent: none claimed "not sent".
		expect(sent + inFlight.length).toBe(startedBeforeStop);
	});

	test('Stop during a 60 s Retry-After pause ends the run at once: the sleeping retries report not sent', async () => {
		const clock = new FakeClock();
		const server = new ClockServer(clock, () =>
			clock.now() < 1_000 ? { status: 202 } : { status: 429, headers: { 'retry-after': '60' } },
		);
		const run = new RunControl({ now: clock.now });
		const { governor, client } = setup(server, clock, run, 4);
		const done = runBulk(
			Array.from({ length: 500 }, (_, i) => i),
			(i) => client.sendMessage(message(i)),
			{ concurrency: 4, governor, run, sleep: clock.sleep, now: clock.now },
		);
		await clock.advanceTo(5_000);
		const requests = server.started.length;
		run.stop();
		const results = await clock.run(done);
		expect(clock.now()).toBe(5_000);
		expect(server.started.length).toBe(requests);
		const failed = results.filter((r) => !r.ok);
		expect(failed.length).toBeGreaterThan(0);
		for (const r of failed) {
			expect((r as { error: CancelledError }).error).toBeInstanceOf(CancelledError);
		}
		expect(server.duplicates()).toEqual([]);
	});

	test('an already aborted host signal: nothing is sent at all', async () => {
		const clock = new FakeClock();
		const server = new ClockServer(clock, () => ({ status: 202 }));
		const run = new RunControl({ now: clock.now, signal: { aborted: true } });
		const { governor, client } = setup(server, clock, run);
		const results = await clock.run(
			runBulk([1, 2, 3], (i) => client.sendMessage(message(i)), {
				concurrency: 2,
				governor,
				run,
				sleep: clock.sleep,
				now: clock.now,
			}),
		);
		expect(server.started).toEqual([]);
		expect(results.every((r) => !r.ok && r.error instanceof CancelledError)).toBe(true);
	});

	test("the host signal's abort event stops the run (AbortController)", async () => {
		const clock = new FakeClock();
		const server = new ClockServer(clock, () => ({ status: 202 }), 100);
		const controller = new AbortController();
		const run = new RunControl({ now: clock.now, signal: controller.signal });
		const { governor, client } = setup(server, clock, run, 2);
		const done = runBulk(
			Array.from({ length: 100 }, (_, i) => i),
			(i) => client.sendMessage(message(i)),
			{ concurrency: 2, governor, run, sleep: clock.sleep, now: clock.now },
		);
		await clock.advanceTo(1_000);
		controller.abort();
		const results = await clock.run(done);
		expect(run.stopped).toBe(true);
		expect(clock.now()).toBe(1_000);
		expect(results.filter((r) => r.ok).length).toBeLessThan(100);
		expect(server.duplicates()).toEqual([]);
	});
});

describe('the run-control layer around one attempt', () => {
	const request = (method: 'GET' | 'POST') => ({
		method,
		url: `${BASE}/messages/send`,
		headers: {},
		timeoutMs: 1_000,
	});
	const refused = () =>
		new RateLimitError('Rate limit exceeded.', { httpStatus: 429, retryAfterMs: 1_000 });

	test('a stopped run starts nothing: the attempt is never made and reports not sent', async () => {
		const clock = new FakeClock();
		const run = new RunControl({ now: clock.now });
		let attempts = 0;
		const send = withRunControl(run)(async () => {
			attempts++;
			return { status: 200, body: {} };
		});
		run.stop();
		const error = await send(request('POST')).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(CancelledError);
		expect((error as CancelledError).mayHaveBeenSent).toBe(false);
		expect(attempts).toBe(0);
	});

	test.each([
		['POST', true],
		['GET', false],
	] as const)(
		'Stop while a %s is in flight ends it at once, may-have-been-sent: %s (the one verdict)',
		async (method, mayHaveBeenSent) => {
			const clock = new FakeClock();
			const run = new RunControl({ now: clock.now });
			const send = withRunControl(run)(async () => {
				await clock.sleep(10_000);
				return { status: 200, body: {} };
			});
			const outcome = send(request(method)).catch((e: unknown) => e);
			await clock.advanceTo(100);
			run.stop();
			const error = await outcome;
			expect(clock.now()).toBe(100);
			expect(error).toBeInstanceOf(NetworkError);
			expect(error).toMatchObject({ phase: 'response', mayHaveBeenSent });
		},
	);

	test('an answer that arrived before Stop is kept', async () => {
		const clock = new FakeClock();
		const run = new RunControl({ now: clock.now });
		const send = withRunControl(run)(async () => ({ status: 202, body: { id: 'm-1' } }));
		const answer = await send(request('POST'));
		run.stop();
		expect(answer).toEqual({ status: 202, body: { id: 'm-1' } });
	});

	test("a refused attempt's flight is charged to the wait budget; a served one is not", async () => {
		const clock = new FakeClock();
		const run = new RunControl({ now: clock.now, waitBudgetMs: 60_000 });
		let refuse = false;
		const send = withRunControl(run)(async () => {
			await clock.sleep(500);
			if (refuse) throw refused();
			return { status: 202, body: {} };
		});
		await clock.run(send(request('POST')));
		expect(run.waitedMs).toBe(0);
		refuse = true;
		await clock.run(send(request('POST')).catch(() => undefined));
		expect(run.waitedMs).toBe(500);
	});
});

describe("the run's wait between retries", () => {
	test('stopped: a refused or unsent request reports not sent, one that may have been sent keeps its error', async () => {
		const clock = new FakeClock();
		const run = new RunControl({ now: clock.now });
		const wait = run.retryWait(clock.sleep);
		run.stop();
		const ambiguous = new NetworkError('reset', { phase: 'response', mayHaveBeenSent: true });
		const notSent = new NetworkError('refused', { phase: 'connect', mayHaveBeenSent: false });
		const throttled = new RateLimitError('429', { httpStatus: 429, retryAfterMs: 1_000 });
		await expect(wait(1_000, throttled)).rejects.toBeInstanceOf(CancelledError);
		await expect(wait(1_000, notSent)).rejects.toBeInstanceOf(CancelledError);
		await expect(wait(1_000, ambiguous)).rejects.toBe(ambiguous);
	});

	test('a wait on a refusal is charged to the budget; one that would overspend it ends the request, not sent', async () => {
		const clock = new FakeClock();
		const run = new RunControl({ now: clock.now, waitBudgetMs: 10_000 });
		const wait = run.retryWait(clock.sleep);
		const throttled = (ms: number) =>
			new RateLimitError('429', { httpStatus: 429, retryAfterMs: ms });
		await clock.run(wait(6_000, throttled(6_000)));
		expect(run.waitedMs).toBe(6_000);
		const error = await wait(6_000, throttled(6_000)).catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'wait_budget_spent', mayHaveBeenSent: false });
		// A backoff after a server error is not a refusal: never charged.
		const failed = new NetworkError('refused', { phase: 'connect', mayHaveBeenSent: false });
		await clock.run(wait(3_000, failed));
		expect(run.waitedMs).toBe(6_000);
	});

	test('Stop during the wait ends it at once', async () => {
		const clock = new FakeClock();
		const run = new RunControl({ now: clock.now });
		const throttled = new RateLimitError('429', { httpStatus: 429, retryAfterMs: 60_000 });
		const waiting = run
			.retryWait(clock.sleep)(60_000, throttled)
			.catch((e: unknown) => e);
		await clock.advanceTo(1_000);
		run.stop();
		expect(await waiting).toBeInstanceOf(CancelledError);
		expect(clock.now()).toBe(1_000);
	});
});
