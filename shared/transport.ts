/**
 * What a host (n8n, Zapier, a script) provides to the core: HTTP, a timer and a clock.
 * The core never touches the network, timers or the process itself.
 */
import type { RateGovernor, RateGovernorOutcome } from './pacing';

export type { RateGovernor, RateGovernorOutcome };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface TransportRequest {
	method: HttpMethod;
	/** Absolute URL, query already encoded. */
	url: string;
	/** Includes Authorization unless `transport.authenticates`. */
	headers: Record<string, string>;
	/** JSON value; the transport serialises it. */
	body?: unknown;
	timeoutMs: number;
}

export interface TransportResponse {
	status: number;
	headers: Record<string, string | undefined>;
	body: unknown;
}

export interface Transport {
	/** Resolves for EVERY HTTP status; rejects only when there is no HTTP response. */
	request(req: TransportRequest): Promise<TransportResponse>;
	/** The host's timer. */
	sleep(ms: number): Promise<void>;
	/** The host's clock in ms; default Date.now. */
	now?(): number;
	/** True when the host injects the credential itself; the core then sends no Authorization. */
	authenticates?: boolean;
}

/**
 * Where a request without an HTTP response failed:
 * - `connect`: the request certainly never reached the server (DNS failure, connection refused);
 * - `timeout`: no answer in time; the server may have processed it;
 * - `response`: the connection broke after sending (reset, socket hang up); may have been processed.
 */
export type TransportFailurePhase = 'connect' | 'timeout' | 'response';

/** What a transport rejects with when there is no HTTP response. Anything else counts as 'response'. */
export class TransportFailure extends Error {
	readonly phase: TransportFailurePhase;
	readonly code?: string;

	constructor(message: string, options: { phase: TransportFailurePhase; code?: string }) {
		super(message);
		this.name = 'TransportFailure';
		this.phase = options.phase;
		if (options.code !== undefined) this.code = options.code;
	}
}
