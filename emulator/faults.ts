/**
 * What makes the emulator slow, throttled or faulty on purpose: latency and jitter, the token
 * bucket behind 429s, and one seeded draw per request that picks at most one injected fault.
 */
import { createRng } from './rng';
import type { Rng } from './rng';
import type { EmulatorConfig } from './options';
import type { FaultKind } from './types';

export class FaultInjector {
	private faultRng!: Rng;
	private jitterRng!: Rng;
	private bucket = { tokens: 0, last: 0 };

	constructor(
		private readonly config: () => EmulatorConfig,
		private readonly seed: number,
	) {
		this.reset();
	}

	/** Back to the start: RNGs re-seeded, bucket full. */
	reset(): void {
		this.faultRng = createRng(this.seed);
		this.jitterRng = createRng(this.seed ^ 0x9e3779b9);
		this.resetBucket();
	}

	/** A full bucket at the current rate (after the rate knobs changed). */
	resetBucket(): void {
		this.bucket = { tokens: this.burst(), last: Date.now() };
	}

	/** This request's latency: latencyMs plus a uniform draw in [0, jitterMs]. */
	latencyMs(): number {
		const c = this.config();
		return c.latencyMs + Math.floor(this.jitterRng() * (c.jitterMs + 1));
	}

	/** undefined = allowed; otherwise the Retry-After in whole seconds (≥ 1). */
	takeToken(): number | undefined {
		const rps = this.config().rateLimitRps;
		if (rps <= 0) return undefined;
		const now = Date.now();
		const capacity = this.burst();
		this.bucket.tokens = Math.min(
			capacity,
			this.bucket.tokens + ((now - this.bucket.last) / 1000) * rps,
		);
		this.bucket.last = now;
		if (this.bucket.tokens >= 1) {
			this.bucket.tokens -= 1;
			return undefined;
		}
		return Math.max(1, Math.ceil((1 - this.bucket.tokens) / rps));
	}

	/** At most one fault for this request, drawn from the fault probabilities. */
	rollFault(): FaultKind | undefined {
		const c = this.config();
		const table: Array<[FaultKind, number]> = [
			['resetBefore', c.faultResetBefore],
			['error500', c.fault500],
			['error503', c.fault503],
			['resetAfter', c.faultResetAfter],
			['slow', c.faultSlow],
			// Last, so that adding this knob leaves the fault sequence of existing seeds unchanged.
			['error429', c.fault429],
		];
		if (table.every(([, p]) => p <= 0)) return undefined;
		const r = this.faultRng();
		let acc = 0;
		for (const [kind, p] of table) {
			acc += p;
			if (r < acc) return kind;
		}
		return undefined;
	}

	private burst(): number {
		const c = this.config();
		return c.rateLimitBurst > 0 ? c.rateLimitBurst : Math.max(1, c.rateLimitRps);
	}
}

/** The answer of a throttle (token bucket or injected 429): body and Retry-After header. */
export function rateLimitedAnswer(
	retryAfterSeconds: number,
	injected: boolean,
): { status: 429; body: unknown; headers: Record<string, string> } {
	return {
		status: 429,
		body: {
			error: {
				code: 'rate_limited',
				message: `Rate limit exceeded${injected ? ' (injected fault)' : ''}; retry after ${retryAfterSeconds} s`,
				details: { retry_after: retryAfterSeconds },
			},
		},
		headers: { 'Retry-After': String(retryAfterSeconds) },
	};
}

/** The answer of an injected 500 or 503 (not processed). */
export function injectedErrorAnswer(
	fault: 'error500' | 'error503',
	retryAfterSeconds: number,
): { status: number; body: unknown; headers: Record<string, string> } {
	if (fault === 'error500') {
		return {
			status: 500,
			body: {
				error: { code: 'internal_error', message: 'Internal server error (injected fault)' },
			},
			headers: {},
		};
	}
	return {
		status: 503,
		body: {
			error: {
				code: 'service_unavailable',
				message: `Service temporarily unavailable (injected fault); retry after ${retryAfterSeconds} s`,
			},
		},
		headers: { 'Retry-After': String(retryAfterSeconds) },
	};
}
