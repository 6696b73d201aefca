/**
 * The benchmark's verdicts come from the emulator's message list, not from the sender: these
 * pin down how lost, duplicated and out-of-order results are counted.
 */
import { floorMs, judgeCampaigns, judgeSendCase } from '../../bench/judge';
import type { EmulatorProcess } from '../../bench/emulator-process';

function fakeEmulator(messages: Array<{ id: string; text: string }>, rateLimited = 0) {
	return {
		counters: async () => ({ rateLimited, requests: messages.length + rateLimited }),
		messages: async () => messages.map((m) => ({ id: m.id, body: { text: { body: m.text } } })),
	} as unknown as EmulatorProcess;
}

const params = { n: 4, rate: 200, latency: 25 };
const sendCase = { key: 'k', title: 'K', concurrency: 2 };

test('exactly-once, lost and duplicated items are counted from the emulator, not the sender', async () => {
	const emulator = fakeEmulator(
		[
			{ id: 'a', text: 'bench:r:0' },
			{ id: 'b', text: 'bench:r:1' },
			{ id: 'c', text: 'bench:r:1' },
			{ id: 'd', text: 'bench:r:3' },
			{ id: 'x', text: 'bench:other-run:2' },
		],
		7,
	);
	// The sender claims item 2 went out: the emulator has nothing for it.
	const result = await judgeSendCase(
		emulator,
		sendCase,
		params,
		'r',
		{ ids: ['a', 'b', 'x', 'd'], senderFailures: 0 },
		{ wallMs: 2000, floorMs: 1000 },
	);
	expect(result).toMatchObject({
		deliveredOnce: 2,
		failed: 1,
		duplicated: 1,
		http429: 7,
		senderFailures: 0,
		ratioToFloor: 2,
		orderPreserved: false,
		deliveredPerSecond: 1.5,
	});
});

test('order is preserved only when every returned id belongs to its own input index', async () => {
	const messages = [0, 1, 2, 3].map((i) => ({ id: `m${i}`, text: `bench:r:${i}` }));
	const judge = (ids: Array<string | undefined>) =>
		judgeSendCase(
			fakeEmulator(messages),
			sendCase,
			params,
			'r',
			{ ids, senderFailures: 0 },
			{
				wallMs: 1000,
				floorMs: 1000,
			},
		);
	expect((await judge(['m0', 'm1', undefined, 'm3'])).orderPreserved).toBe(true);
	expect((await judge(['m0', 'm2', 'm1', 'm3'])).orderPreserved).toBe(false);
	expect((await judge(['m0', 'm1', 'm2'])).orderPreserved).toBe(false);
});

test('the floor is the larger of the rate bound and the latency bound', () => {
	expect(floorMs(10_000, 200, 25, 16)).toBe(50_000);
	expect(floorMs(10_000, 200, 25, 1)).toBe(250_000);
});

test('concurrent campaigns are judged each on its own run id, 429s and requests once for all', async () => {
	const emulator = fakeEmulator(
		[
			{ id: 'a0', text: 'bench:a:0' },
			{ id: 'a1', text: 'bench:a:1' },
			{ id: 'b0', text: 'bench:b:0' },
			{ id: 'b0x', text: 'bench:b:0' },
			// b:1 never arrived; a message of a third run is not either campaign's.
			{ id: 'c0', text: 'bench:c:0' },
		],
		3,
	);
	const verdict = await judgeCampaigns(emulator, [
		{ runId: 'a', n: 2, sender: { ids: ['a0', 'a1'], senderFailures: 0 } },
		{ runId: 'b', n: 2, sender: { ids: ['b0', undefined], senderFailures: 1 } },
	]);
	expect(verdict.campaigns).toEqual([
		{
			runId: 'a',
			n: 2,
			deliveredOnce: 2,
			lost: 0,
			duplicated: 0,
			senderFailures: 0,
			orderPreserved: true,
		},
		{
			runId: 'b',
			n: 2,
			deliveredOnce: 0,
			lost: 1,
			duplicated: 1,
			senderFailures: 1,
			orderPreserved: true,
		},
	]);
	expect(verdict).toMatchObject({
		n: 4,
		deliveredOnce: 2,
		lost: 1,
		duplicated: 1,
		http429: 3,
		requests: 8,
		accepted: 5,
	});
});
