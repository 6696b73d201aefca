/**
 * The core's exactly-once rule for received events (shared/eventDedupe.ts): what is a repeat, how
 * much is remembered and for how long, and the in-process claim that covers two copies accepted
 * before either was stored.
 */
import {
	RecentEventIds,
	SEEN_EVENTS_MAX,
	SEEN_EVENTS_WINDOW_MS,
	admitEvents,
	admitEventsOnce,
	dedupeKey,
	readSeenEvents,
} from '../../shared';

const HOUR = 60 * 60 * 1000;
const T0 = Date.parse('2026-12-04T06:00:00Z');
const ev = (id: string) => ({ id, type: 'message.delivered' });

describe('admitEvents', () => {
	it('starts each id once: a repeat in a later delivery or in the same batch is a duplicate', () => {
		const first = admitEvents(undefined, [ev('a'), ev('b'), ev('a')], T0);
		expect(first.fresh.map((e) => e.id)).toEqual(['a', 'b']);
		expect(first.duplicates.map((e) => e.id)).toEqual(['a']);
		const second = admitEvents(first.seen, [ev('b'), ev('c')], T0 + 1000);
		expect(second.fresh.map((e) => e.id)).toEqual(['c']);
		expect(second.duplicates.map((e) => e.id)).toEqual(['b']);
		expect(second.seen.entries).toEqual([
			['a', T0],
			['b', T0],
			['c', T0 + 1000],
		]);
	});

	it('survives a JSON round trip (what a host stores is plain JSON)', () => {
		const { seen } = admitEvents(undefined, [ev('a')], T0);
		const stored: unknown = JSON.parse(JSON.stringify(seen));
		expect(admitEvents(stored, [ev('a')], T0 + 1).fresh).toEqual([]);
	});

	it(`remembers an id for ${SEEN_EVENTS_WINDOW_MS / HOUR} hours, then forgets it`, () => {
		const { seen } = admitEvents(undefined, [ev('a')], T0);
		expect(admitEvents(seen, [ev('a')], T0 + SEEN_EVENTS_WINDOW_MS - 1).fresh).toEqual([]);
		const later = admitEvents(seen, [ev('a')], T0 + SEEN_EVENTS_WINDOW_MS);
		expect(later.fresh.map((e) => e.id)).toEqual(['a']);
		expect(later.seen.entries).toEqual([['a', T0 + SEEN_EVENTS_WINDOW_MS]]);
	});

	it(`keeps at most ${SEEN_EVENTS_MAX} ids, the newest, and its stored form stays small`, () => {
		let stored: unknown;
		const ids = Array.from(
			{ length: SEEN_EVENTS_MAX + 250 },
			(_, i) => `evt_${String(i).padStart(40, '0')}`,
		);
		for (const [i, id] of ids.entries()) stored = admitEvents(stored, [ev(id)], T0 + i).seen;
		const seen = readSeenEvents(stored, T0 + ids.length);
		expect(seen.entries).toHaveLength(SEEN_EVENTS_MAX);
		expect(seen.entries[0][0]).toBe(ids[250]);
		// the oldest 250 are forgotten (a repeat of one starts again), the newest are remembered
		expect(admitEvents(stored, [ev(ids[0])], T0 + ids.length).fresh).toHaveLength(1);
		expect(admitEvents(stored, [ev(ids[250])], T0 + ids.length).fresh).toHaveLength(0);
		expect(JSON.stringify(stored).length).toBeLessThan(70_000);
	});

	it('remembers a long id by a bounded key, and tells long ids apart', () => {
		const long = 'x'.repeat(200_000);
		const key = dedupeKey(long);
		expect(key.length).toBeLessThan(100);
		expect(dedupeKey(`${long}y`)).not.toBe(key);
		expect(dedupeKey(`y${long.slice(1)}`)).not.toBe(key);
		const { seen } = admitEvents(undefined, [ev(long)], T0);
		expect(JSON.stringify(seen).length).toBeLessThan(200);
		expect(admitEvents(seen, [ev(long)], T0).fresh).toEqual([]);
		expect(admitEvents(seen, [ev(`${long}y`)], T0).fresh).toHaveLength(1);
	});

	it.each([
		['nothing stored', undefined],
		['null', null],
		['a string', 'garbage'],
		['an array', [['a', T0]]],
		['entries of the wrong shape', { v: 1, entries: [['a'], [1, T0], ['a', 'yesterday'], 'a'] }],
	])('treats %s as an empty memory: a new event is never dropped', (_label, stored) => {
		expect(admitEvents(stored, [ev('a')], T0).fresh.map((e) => e.id)).toEqual(['a']);
	});
});

describe('RecentEventIds, admitEventsOnce and rememberStarted', () => {
	it('two copies admitted against the same stored memory (neither stored yet) start once per receiver', () => {
		const memory = new RecentEventIds();
		const stored = admitEvents(undefined, [ev('old')], T0).seen;
		const a = admitEventsOnce({ stored, events: [ev('x')], now: T0, scope: 'wf1', memory });
		const b = admitEventsOnce({ stored, events: [ev('x')], now: T0 + 5, scope: 'wf1', memory });
		expect(a.fresh.map((e) => e.id)).toEqual(['x']);
		expect(b.fresh).toEqual([]);
		expect(b.duplicates.map((e) => e.id)).toEqual(['x']);
		// another receiver (another workflow) gets the same event too
		const c = admitEventsOnce({ stored, events: [ev('x')], now: T0 + 5, scope: 'wf2', memory });
		expect(c.fresh.map((e) => e.id)).toEqual(['x']);
	});

	it('a claim lasts its window (default 24 h), then the id is new again', () => {
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
});
