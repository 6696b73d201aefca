/**
 * Exactly once per event on the receiving side. IntelliPortal delivers an event again (same `id`)
 * when an attempt was not acknowledged in time (the receiver was slow, the connection dropped),
 * so a receiver remembers the ids it started work for and acknowledges a repeat without starting
 * anything. Pure: the host keeps the state where it keeps trigger state and gives the clock.
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
 * Ids being worked on in this process, for the moment between a host reading its stored memory
 * and storing the new one (n8n: from loading the workflow to saving its static data, per
 * request): a repeat arriving in that moment (the sender timed out and retried while the first
 * delivery was still being accepted) would find neither in the store. A claim lasts `windowMs`
 * (default 30 s): long enough to cover one delivery being accepted, short enough that a repeat
 * of a delivery the host then failed to record (it answered 5xx) is accepted again once the
 * claim expired. At most `max` claims (oldest dropped); no timers: expiry is checked on use.
 */
export class InFlightEventIds {
	private readonly claims = new Map<string, number>();
	private readonly max: number;
	private readonly windowMs: number;

	constructor(options: { max?: number; windowMs?: number } = {}) {
		this.max = options.max ?? 10_000;
		this.windowMs = options.windowMs ?? 30_000;
	}

	/**
	 * True when `id` is not claimed in `scope` (one receiver, e.g. workflow + node) and is now
	 * claimed; false when a claim younger than the window exists.
	 */
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
 * The receiver's one call: admitEvents against the stored memory, then, for the fresh ones, a
 * claim in this process (`inFlight`, shared by every delivery the process receives) so that two
 * copies accepted at the same moment, before either was stored, start work once.
 */
export function admitEventsOnce<E extends { id: string }>(input: {
	stored: unknown;
	events: readonly E[];
	now: number;
	/** One receiver (n8n: workflow id + trigger node). */
	scope: string;
	inFlight?: InFlightEventIds;
	limits?: SeenEventsLimits;
}): AdmitResult<E> {
	const result = admitEvents(input.stored, input.events, input.now, input.limits);
	if (!input.inFlight) return result;
	const fresh: E[] = [];
	for (const event of result.fresh) {
		if (input.inFlight.claim(input.scope, String(event.id), input.now)) fresh.push(event);
		else result.duplicates.push(event);
	}
	return { ...result, fresh };
}
