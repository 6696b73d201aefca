/**
 * Bulk sending end to end: the core client on the axios transport, one AdaptiveRateGovernor and
 * runBulk, against the emulator with a small rate limit. A correctness test: every message is
 * delivered exactly once, in input order, with the 429s absorbed. (No timing assertions; the
 * performance claims live in the benchmark.)
 */
import { startEmulator } from '../../emulator/index';
import type { RunningEmulator } from '../../emulator/index';
import { runBulk } from '../../shared/pacing/bulk';
import { AdaptiveRateGovernor } from '../../shared/pacing/governor';
import { createCoreClient } from '../../bench/core-client';

const API_KEY = 'ik_test_pacing_0123456789abcdef';
const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function body(runId: string, index: number): Record<string, unknown> {
	return {
		client_ref: `bulk-${index}`,
		to: `+1555${String(index).padStart(7, '0')}`,
		type: 'text',
		text: { body: `bulk:${runId}:${index}` },
	};
}

describe('bulk sending through the core client against a rate-limited emulator', () => {
	let emulator: RunningEmulator;

	beforeAll(async () => {
		emulator = await startEmulator({
			port: 0,
			latencyMs: 10,
			rateLimitRps: 50,
			// Seeded draws: some 429s whatever the machine's speed (a slow one may never reach 50/s).
			fault429: 0.005,
			retryAfterSeconds: 1,
			statusStepMs: 0,
			requestLogSize: 10,
		});
	});

	afterAll(async () => {
		await emulator?.stop();
	});

	test('300 messages at 50 req/s with 429s: all delivered exactly once, in order, 429s absorbed', async () => {
		const governor = new AdaptiveRateGovernor({
			sleep: realSleep,
			now: () => Date.now(),
			maxConcurrency: 16,
		});
		const client = createCoreClient({ apiKey: API_KEY, baseUrl: emulator.baseUrl, governor });
		const n = 300;
		const runId = 'order';
		const results = await runBulk(
			Array.from({ length: n }, (_, i) => i),
			(i) => client.sendMessage(body(runId, i)),
			{ concurrency: 16, governor, sleep: realSleep, now: () => Date.now() },
		);

		// The client's view: every item succeeded.
		const failures = results.flatMap((r, i) => (r.ok ? [] : [`${i}: ${String(r.error)}`]));
		expect(failures).toEqual([]);

		// The server's view: one message per item, none lost, none twice.
		const counters = emulator.admin.counters();
		expect(counters.messagesAccepted).toBe(n);
		const perItem = new Array<number>(n).fill(0);
		const itemOfId = new Map<string, number>();
		for (const m of emulator.admin.messages()) {
			const text = (m.body as { text: { body: string } }).text.body;
			const index = Number(text.slice(`bulk:${runId}:`.length));
			perItem[index]++;
			itemOfId.set(m.id, index);
		}
		expect(perItem.filter((c) => c !== 1)).toEqual([]);

		// Order: result i is the message sent for item i.
		results.forEach((r, i) => {
			expect(r.ok && itemOfId.get((r.value as { id: string }).id)).toBe(i);
		});

		// 429s were answered (the seeded ones at least), and the governor absorbed every one.
		const refused = counters.rateLimited + counters.faults.error429;
		expect(counters.faults.error429).toBeGreaterThan(0);
		expect(governor.status().throttledResponses).toBe(refused);
		expect(governor.status().decreases).toBeGreaterThan(0);
		expect(governor.status().inFlight).toBe(0);
	}, 60_000);
});
