/**
 * One rate governor per account in a process: executions running at the same time with the same
 * credential and base URL share one governor, so four campaigns together pace to the account's
 * limit instead of each pacing to all of it.
 *
 * - Keyed by SHA-256 of (base URL, API key): the key itself is never kept.
 * - Bounded memory: at most `maxEntries` governors; a governor idle (nothing in flight or
 *   waiting) for `idleMs` is forgotten. Expiry is lazy, on access, on the caller's clock: no
 *   timers.
 */
import { AdaptiveRateGovernor } from './governor';
import type { AdaptiveRateGovernorOptions } from './governor';

/** Pure SHA-256 of a UTF-8 string, as hex (the core may not import Node's crypto). */
export function sha256Hex(text: string): string {
	const bytes = utf8(text);
	const k = SHA256_K;
	const h = [
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	];
	const bitLength = bytes.length * 8;
	const padded = new Uint8Array((((bytes.length + 9 + 63) >> 6) << 6) >>> 0);
	padded.set(bytes);
	padded[bytes.length] = 0x80;
	const view = new DataView(padded.buffer);
	view.setUint32(padded.length - 8, Math.floor(bitLength / 0x100000000));
	view.setUint32(padded.length - 4, bitLength >>> 0);
	const w = new Uint32Array(64);
	for (let offset = 0; offset < padded.length; offset += 64) {
		for (let t = 0; t < 16; t++) w[t] = view.getUint32(offset + t * 4);
		for (let t = 16; t < 64; t++) {
			const a = w[t - 15];
			const b = w[t - 2];
			const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
			const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
			w[t] = (w[t - 16] + s0 + w[t - 7] + s1) >>> 0;
		}
		let [a, b, c, d, e, f, g, hh] = h;
		for (let t = 0; t < 64; t++) {
			const t1 =
				(hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[t] + w[t]) >>> 0;
			const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
			hh = g;
			g = f;
			f = e;
			e = (d + t1) >>> 0;
			d = c;
			c = b;
			b = a;
			a = (t1 + t2) >>> 0;
		}
		h[0] = (h[0] + a) >>> 0;
		h[1] = (h[1] + b) >>> 0;
		h[2] = (h[2] + c) >>> 0;
		h[3] = (h[3] + d) >>> 0;
		h[4] = (h[4] + e) >>> 0;
		h[5] = (h[5] + f) >>> 0;
		h[6] = (h[6] + g) >>> 0;
		h[7] = (h[7] + hh) >>> 0;
	}
	return h.map((word) => word.toString(16).padStart(8, '0')).join('');
}

function rotr(x: number, n: number): number {
	return (x >>> n) | (x << (32 - n));
}

function utf8(text: string): Uint8Array {
	const out: number[] = [];
	for (const char of text) {
		const code = char.codePointAt(0) ?? 0;
		if (code < 0x80) out.push(code);
		else if (code < 0x800) out.push(0xc0 | (code >> 6), 0x80 | (code & 63));
		else if (code < 0x10000)
			out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63));
		else
			out.push(
				0xf0 | (code >> 18),
				0x80 | ((code >> 12) & 63),
				0x80 | ((code >> 6) & 63),
				0x80 | (code & 63),
			);
	}
	return Uint8Array.from(out);
}

const SHA256_K = Uint32Array.from([
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** The registry key of an account: a hash, never the key in clear. */
export function accountKey(baseUrl: string, apiKey: string, settings = ''): string {
	return sha256Hex(`${baseUrl.replace(/\/+$/, '')}\n${apiKey}\n${settings}`);
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

	/** Marks the account's governor as used now (a run that just finished keeps it warm). */
	touch(account: GovernorAccount, now: number): void {
		const found = this.entries.get(accountKey(account.baseUrl, account.apiKey, account.settings));
		if (found) found.lastUsed = now;
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
