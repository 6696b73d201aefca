/**
 * Exactly once per event on the receiving side: IntelliPortal delivers an event again (same `id`)
 * when an attempt was not acknowledged in time, so a receiver claims each id it starts work for.
 */
import { createHash } from 'node:crypto';

/** How long an id is remembered after its first delivery (the contract says nothing of redelivery). */
export const SEEN_EVENTS_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Longer ids are remembered by length, hash and prefix, so one delivery cannot grow the memory. */
export const DEDUPE_KEY_MAX_LENGTH = 128;

/** What is remembered of an event id (the id itself unless it is long). */
export function dedupeKey(id: string): string {
	if (id.length <= DEDUPE_KEY_MAX_LENGTH) return id;
	const hash = createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 32);
	return `#${id.length}:${hash}:${id.slice(0, 64)}`;
}

/**
 * This process's memory of the events it accepted, per receiver (`scope`). A claim lasts
 * `windowMs`; at most `max` claims in all, the oldest dropped; expiry is checked on use (no
 * timers). The claim is made on acceptance, so a retry after the host failed to start the work
 * counts as a repeat: a lost run is preferred to a double one.
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
