/**
 * The core's exactly-once rule for received events (shared/eventDedupe.ts): what is a repeat, how
 * long and how much is remembered, and how a long id is remembered.
 */
import { RecentEventIds, SEEN_EVENTS_WINDOW_MS, dedupeKey } from '../../shared/eventDedupe';

const T0 = Date.parse('2026-12-04T06:00:00Z');

describe('RecentEventIds', () => {
	it('claims an id once per receiver: a repeat is refused, another receiver gets it too', () => {
		const memory = new RecentEventIds();
		expect(memory.claim('wf1', 'x', T0)).toBe(true);
		expect(memory.claim('wf1', 'x', T0 + 5)).toBe(false);
		expect(memory.claim('wf2', 'x', T0 + 5)).toBe(true);
		expect(memory.claim('wf1', 'y', T0 + 5)).toBe(true);
	});

	it(`a claim lasts its window (default ${SEEN_EVENTS_WINDOW_MS / 3_600_000} h), then the id is new again`, () => {
		const memory = new RecentEventIds();
		expect(memory.claim('s', 'x', T0)).toBe(true);
		expect(memory.claim('s', 'x', T0 + SEEN_EVENTS_WINDOW_MS - 1)).toBe(false);
		expect(memory.claim('s', 'x', T0 + SEEN_EVENTS_WINDOW_MS)).toBe(true);
	});

	it('holds at most max entries, dropping the oldest', () => {
		const memory = new RecentEventIds({ max: 3 });
		for (const id of ['a', 'b', 'c', 'd']) expect(memory.claim('s', id, T0)).toBe(true);
		expect(memory.size).toBe(3);
		expect(memory.claim('s', 'a', T0)).toBe(true); // forgotten
		expect(memory.claim('s', 'd', T0)).toBe(false);
	});

	it('remembers a long id by a bounded key, and tells long ids apart', () => {
		const long = 'x'.repeat(200_000);
		const key = dedupeKey(long);
		expect(key.length).toBeLessThan(120);
		expect(dedupeKey(`${long}y`)).not.toBe(key);
		expect(dedupeKey(`y${long.slice(1)}`)).not.toBe(key);
		// same length and prefix, differing in the middle: only the hash tells them apart
		const middle = `${long.slice(0, 100_000)}z${long.slice(100_001)}`;
		expect(dedupeKey(middle)).not.toBe(key);
		expect(dedupeKey('short-id')).toBe('short-id');
		const memory = new RecentEventIds();
		expect(memory.claim('s', long, T0)).toBe(true);
		expect(memory.claim('s', long, T0)).toBe(false);
		expect(memory.claim('s', middle, T0)).toBe(true);
	});
});
