/**
 * One rate governor per account in a process, so that campaigns of one account running at the
 * same time pace to the account's limit together instead of each to all of it.
 */
import { createHash } from 'node:crypto';

import { AdaptiveRateGovernor } from './governor';
import type { AdaptiveRateGovernorOptions } from './governor';

/** The registry key of an account: a hash, never the key in clear. */
export function accountKey(baseUrl: string, apiKey: string, settings = ''): string {
	return createHash('sha256')
		.update(`${baseUrl.replace(/\/+$/, '')}\n${apiKey}\n${settings}`)
		.digest('hex');
}

/**
 * An account, and optionally the pacing settings its runs chose (runs with different hard caps
 * or concurrency get their own governor rather than silently one run's settings).
 */
export interface GovernorAccount {
	baseUrl: string;
	apiKey: string;
	settings?: string;
}

export interface GovernorRegistryOptions {
	/** Most governors kept; the least recently used idle ones go first. Default 256. */
	maxEntries?: number;
	/** A governor idle this long is forgotten on the next access. Default 10 minutes. */
	idleMs?: number;
}

interface Entry {
	governor: AdaptiveRateGovernor;
	lastUsed: number;
}

export class GovernorRegistry {
	private readonly entries = new Map<string, Entry>();
	private readonly maxEntries: number;
	private readonly idleMs: number;

	constructor(options: GovernorRegistryOptions = {}) {
		this.maxEntries = options.maxEntries ?? 256;
		this.idleMs = options.idleMs ?? 600_000;
	}

	get size(): number {
		return this.entries.size;
	}

	/**
	 * The account's governor, created with `options` when there is none (an existing one keeps
	 * its settings and what it learnt about the server's limit).
	 */
	governorFor(
		account: GovernorAccount,
		options: AdaptiveRateGovernorOptions,
	): AdaptiveRateGovernor {
		const now = options.now();
		this.expire(now);
		const key = accountKey(account.baseUrl, account.apiKey, account.settings);
		const found = this.entries.get(key);
		if (found) {
			found.lastUsed = now;
			// Most recently used last, so eviction finds the oldest first.
			this.entries.delete(key);
			this.entries.set(key, found);
			return found.governor;
		}
		const governor = new AdaptiveRateGovernor(options);
		this.entries.set(key, { governor, lastUsed: now });
		this.evict();
		return governor;
	}

	private expire(now: number): void {
		for (const [key, entry] of this.entries) {
			if (entry.governor.idle() && now - entry.lastUsed >= this.idleMs) this.entries.delete(key);
		}
	}

	private evict(): void {
		if (this.entries.size <= this.maxEntries) return;
		for (const [key, entry] of this.entries) {
			if (this.entries.size <= this.maxEntries) return;
			// A busy governor is never dropped: its runs would lose their shared pacing.
			if (entry.governor.idle()) this.entries.delete(key);
		}
	}
}

/** The process-wide registry the n8n node uses (module state lives as long as the process). */
export const sharedGovernors = new GovernorRegistry();
