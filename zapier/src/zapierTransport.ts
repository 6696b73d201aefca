import type { HttpResponse, ZObject } from 'zapier-platform-core';

import {
	TransportFailure,
	failureOf,
	hasHeader,
	normaliseHeaders,
	parseResponseBody,
	type Transport,
	type TransportRequest,
	type TransportResponse,
} from '../../shared';

interface LowLevelError {
	name?: unknown;
	type?: unknown;
	code?: unknown;
	errno?: unknown;
	message?: unknown;
}

/**
 * Map a rejection of `z.request` (node-fetch `FetchError`, abort, socket error) onto the core's
 * failure phases. Only the error code and a fixed description are kept: the original message
 * may quote request details, and this error travels into user-visible Zapier messages.
 */
export function toTransportFailure(error: unknown, timeoutMs?: number): TransportFailure {
	if (error instanceof TransportFailure) return error;
	const err = (typeof error === 'object' && error !== null ? error : {}) as LowLevelError;
	const code =
		typeof err.code === 'string' ? err.code : typeof err.errno === 'string' ? err.errno : undefined;
	const timedOut = err.type === 'request-timeout' || err.name === 'AbortError';
	return timedOut
		? failureOf(code ?? 'ETIMEDOUT', { phase: 'timeout', timeoutMs })
		: failureOf(code, { timeoutMs });
}

/**
 * The core's Transport on `z.request`, so every call is in Zapier's HTTP log with the key
 * censored. Every status resolves and a 429 reaches the core (its retry layer waits it out).
 */
export function createZapierTransport(z: ZObject): Transport {
	return {
		async request(req: TransportRequest): Promise<TransportResponse> {
			const headers: Record<string, string> = { ...req.headers };
			const hasBody = req.body !== undefined;
			if (hasBody && !hasHeader(headers, 'content-type')) {
				headers['Content-Type'] = 'application/json';
			}
			if (!hasHeader(headers, 'accept')) {
				headers.Accept = 'application/json';
			}
			let response: HttpResponse;
			try {
				response = await z.request({
					url: req.url,
					method: req.method,
					headers,
					body: hasBody ? JSON.stringify(req.body) : undefined,
					timeout: req.timeoutMs,
					skipThrowForStatus: true,
					throwForThrottlingEarly: false,
					// No request-template merge: a body containing {{...}} is sent verbatim.
					merge: false,
				} as Parameters<ZObject['request']>[0]);
			} catch (error) {
				throw toTransportFailure(error, req.timeoutMs);
			}
			const responseHeaders = normaliseHeaders(response.headers);
			return {
				status: response.status,
				headers: responseHeaders,
				body: parseResponseBody(response.content ?? '', responseHeaders['content-type']),
			};
		},
		sleep(ms: number): Promise<void> {
			return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
		},
		now(): number {
			return Date.now();
		},
	};
}
