/**
 * What a host (an integration platform, a script) provides to the core: HTTP, a timer and a clock.
 * The core never touches the network, timers or the process itself.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface TransportRequest {
	method: HttpMethod;
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
	sleep(ms: number): Promise<void>;
	/** Default Date.now. */
	now?(): number;
	/** True when the host injects the credential itself; the core then sends no Authorization. */
	authenticates?: boolean;
}

/**
 * Where a request without an answer failed: `connect` (it certainly never reached the server),
 * `timeout` or `response` (it left: the server may have processed it).
 */
export type TransportFailurePhase = 'connect' | 'timeout' | 'response';

function codes(list: string): ReadonlySet<string> {
	return new Set(list.trim().split(/\s+/));
}

/**
 * Error codes (Node sockets, DNS, TLS, undici, axios, node-fetch) proving that no connection was
 * made, so the request body certainly never reached the server: even a POST may be retried.
 */
const NOT_SENT_CODES = codes(`
	ECONNREFUSED ENOTFOUND EAI_AGAIN EAI_NONAME EHOSTUNREACH EHOSTDOWN ENETUNREACH ENETDOWN
	EADDRNOTAVAIL UND_ERR_CONNECT_TIMEOUT ERR_INVALID_URL CERT_HAS_EXPIRED
	DEPTH_ZERO_SELF_SIGNED_CERT SELF_SIGNED_CERT_IN_CHAIN UNABLE_TO_VERIFY_LEAF_SIGNATURE
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY ERR_TLS_CERT_ALTNAME_INVALID
`);

/** The request went out but no answer arrived in time: it may have been processed. */
const TIMEOUT_CODES = codes(`
	ECONNABORTED ETIMEDOUT ESOCKETTIMEDOUT UND_ERR_HEADERS_TIMEOUT UND_ERR_BODY_TIMEOUT
	ERR_CANCELED
`);

/**
 * The one place where hosts' transports classify a failure without an HTTP response from its
 * error code: 'connect' (never sent), 'timeout', or 'response' (ambiguous; also for no code).
 */
export function failurePhaseForCode(code: string | undefined): TransportFailurePhase {
	if (code === undefined) return 'response';
	return NOT_SENT_CODES.has(code) ? 'connect' : TIMEOUT_CODES.has(code) ? 'timeout' : 'response';
}

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

/**
 * A host's failure without an answer as the core's TransportFailure: only the code and a fixed
 * description survive (the host's error may quote the request, headers included).
 */
export function failureOf(
	code: string | undefined,
	options: { phase?: TransportFailurePhase; timeoutMs?: number } = {},
): TransportFailure {
	const phase = options.phase ?? failurePhaseForCode(code);
	const suffix = code ? ` (${code})` : '';
	const detail =
		phase === 'connect'
			? `connection failed${suffix}`
			: phase === 'timeout'
				? `no response${options.timeoutMs ? ` within ${options.timeoutMs} ms` : ' in time'}${suffix}`
				: `connection lost before the response${suffix}`;
	return new TransportFailure(detail, { phase, code });
}
