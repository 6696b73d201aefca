/**
 * Exactly once per event on the receiving side. IntelliPortal delivers an event again (same `id`)
 * when an attempt was not acknowledged in time (the receiver was slow, the connection dropped),
 * so a receiver remembers the ids it started work for and acknowledges a repeat without starting
 * anything. Pure: the host gives the clock and, if it has one that can be written when work
 * starts, a store (admitEvents' `stored`/`seen`); a process memory (RecentEventIds) covers what a
 * store does not. The n8n trigger uses the process memory only (see why there).
 *
 * DECIDED HERE (the contract says nothing of redelivery):
 * - A receiver remembers at most SEEN_EVENTS_MAX ids (the newest), each for SEEN_EVENTS_WINDOW_MS
 *   after it was first seen. A repeat is recognised while its id is still remembered: within
 *   24 hours and fewer than 1 000 newer events later. Stored, that is at most ~70 kB of JSON.
 * - Ids longer than DEDUPE_KEY_MAX_LENGTH characters are remembered by length + prefix + a 64-bit
 *   hash, so one delivery cannot make the store large.
 * - A store that is missing or not of this shape counts as empty: it can only let a repeat
 *   through, never drop a new event.
 * - Several events in one batch with the same id: the first counts, the others are repeats.
 */

export const SEEN_EVENTS_MAX = 1000;
export const SEEN_EVENTS_WINDOW_MS = 24 * 60 * 60 * 1000;
export const DEDUPE_KEY_MAX_LENGTH = 128;

export interface SeenEventsLimits {
	/** Ids remembered at most (the newest are kept). */
	max: number;
	/** How long an id is remembered after it was first seen. */
	windowMs: number;
}

export const DEFAULT_SEEN_EVENTS_LIMITS: SeenEventsLimits = {
	max: SEEN_EVENTS_MAX,
	windowMs: SEEN_EVENTS_WINDOW_MS,
};

/** The stored memory of recent ids: [key, first seen (epoch ms)], oldest first. */
export interface SeenEvents {
	v: 1;
	entries: Array<[string, number]>;
}

/** FNV-1a over UTF-16 code units, two independent 32-bit lanes, as 16 hex digits. */
function hash64(text: string): string {
	let a = 0x811c9dc5;
	let b = 0x01000193 ^ 0x5bd1e995;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		a = Math.imul(a ^ c, 0x01000193) >>> 0;
		b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
		b ^= b >>> 13;
	}
	return a.toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** What is remembered of an event id (the id itself unless it is long). */
export function dedupeKey(id: string): string {
	if (id.length <= DEDUPE_KEY_MAX_LENGTH) return id;
	return `#${id.length}:${hash64(id)}:${id.slice(0, 64)}`;
}

/** The stored memory as a valid SeenEvents (anything else: empty), without expired entries. */
export function readSeenEvents(
	stored: unknown,
	now: number,
	limits: SeenEventsLimits = DEFAULT_SEEN_EVENTS_LIMITS,
): SeenEvents {
	const entries: Array<[string, number]> = [];
	if (stored !== null && typeof stored === 'object' && !Array.isArray(stored)) {
		const list = (stored as { entries?: unknown }).entries;
		if (Array.isArray(list)) {
			for (const entry of list) {
				if (
					Array.isArray(entry) &&
					typeof entry[0] === 'string' &&
					typeof entry[1] === 'number' &&
					Number.isFinite(entry[1]) &&
					entry[1] > now - limits.windowMs
				) {
					entries.push([entry[0], entry[1]]);
				}
			}
		}
	}
	return { v: 1, entries: entries.slice(-limits.max) };
}

export interface AdmitResult<E> {
	/** Events seen for the first time, in the order given: these start work. */
	fresh: E[];
	/** Events whose id is remembered (or came earlier in the same batch): acknowledge only. */
	duplicates: E[];
	/** The memory to store: the old one plus the fresh ids, expired and excess ids dropped. */
	seen: SeenEvents;
}

/**
 * Splits a batch of received events into fresh ones and repeats, given the stored memory of
 * recent ids (as the host stored it, or undefined), and returns the memory to store.
 */
export function admitEvents<E extends { id: string }>(
	stored: unknown,
	events: readonly E[],
	now: number,
	limits: SeenEventsLimits = DEFAULT_SEEN_EVENTS_LIMITS,
): AdmitResult<E> {
	const seen = readSeenEvents(stored, now, limits);
	const known = new Set(seen.entries.map(([key]) => key));
	const fresh: E[] = [];
	const duplicates: E[] = [];
	for (const event of events) {
		const key = dedupeKey(String(event.id));
		if (known.has(key)) {
			duplicates.push(event);
			continue;
		}
		known.add(key);
		fresh.push(event);
		seen.entries.push([key, now]);
	}
	return { fresh, duplicates, seen: { v: 1, entries: seen.entries.slice(-limits.max) } };
}

/**
 * This process's memory of the events it accepted, per receiver (`scope`), for hosts whose store
 * cannot be written when work starts (n8n 2.41.1: see the trigger). A claim lasts `windowMs`
 * (default 24 h); at most `max` claims in all, the oldest dropped; no timers (expiry is checked on
 * use). A claim is made when the delivery is accepted, before the host has started the work: if
 * the host then fails to start it (answers 5xx), a retry of that delivery is taken for a repeat.
 */
export class RecentEventIds {
	private readonly claims = new Map<string, number>();
	private readonly max: number;
	private readonly windowMs: number;

	constructor(options: { max?: number; windowMs?: number } = {}) {
		this.max = options.max ?? 10_000;
		this.windowMs = options.windowMs ?? SEEN_EVENTS_WINDOW_MS;
	}

	/** True when `id` was not claimed in `scope` within the window, and is now claimed. */
	claim(scope: string, id: string, now: number): boolean {
		const key = `${scope}\u0000${dedupeKey(id)}`;
		const at = this.claims.get(key);
		if (at !== undefined && now - at < this.windowMs) return false;
		this.claims.delete(key);
		this.claims.set(key, now);
		while (this.claims.size > this.max) {
			const oldest = this.claims.keys().next().value as string;
			this.claims.delete(oldest);
		}
		return true;
	}

	get size(): number {
		return this.claims.size;
	}
}

/**
 * The receiver's one call when a delivery arrives: admitEvents against the stored memory (if the
 * host has one), then, for the fresh ones, a claim in this process's memory (shared by every
 * delivery the process receives), so that a copy the store does not know starts nothing.
 */
export function admitEventsOnce<E extends { id: string }>(input: {
	stored: unknown;
	events: readonly E[];
	now: number;
	/** One receiver (n8n: workflow id + trigger node). */
	scope: string;
	memory?: RecentEventIds;
	limits?: SeenEventsLimits;
}): AdmitResult<E> {
	const result = admitEvents(input.stored, input.events, input.now, input.limits);
	if (!input.memory) return result;
	const fresh: E[] = [];
	for (const event of result.fresh) {
		if (input.memory.claim(input.scope, String(event.id), input.now)) fresh.push(event);
		else result.duplicates.push(event);
	}
	return { ...result, fresh };
}
