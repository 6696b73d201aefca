/**
 * The request chain, Octokit's model: the client makes each request through one Send, and each
 * host wraps it in the layers it needs (retry, pacing, run control). Layers see typed errors only.
 */
import { fromHttpResponse, networkError } from './failures';
import { isRecord } from './guards';
import { headerValue, parseResponseBody } from './http';
import type { Transport, TransportRequest, TransportResponse } from './transport';

/** A 2xx answer, its body parsed. */
export interface Answer {
	status: number;
	body: unknown;
}

/** Sends one request: resolves with a 2xx answer, rejects with the failure's IntelliPortalError. */
export type Send = (request: TransportRequest) => Promise<Answer>;

/** Adds one concern around a Send. */
export type Layer = (next: Send) => Send;

/** `layers` around `send`, the first one outermost. */
export function compose(layers: readonly Layer[], send: Send): Send {
	return layers.reduceRight<Send>((next, layer) => layer(next), send);
}

/** One HTTP exchange on the host's transport, its outcome typed (`secrets` never reach a message). */
export function exchange(transport: Transport, secrets: string[]): Send {
	return async (request) => {
		let response: TransportResponse;
		try {
			response = await transport.request(request);
		} catch (failure) {
			throw networkError(failure, request, secrets);
		}
		const status = Number(response?.status);
		const headers = isRecord(response?.headers)
			? (response.headers as Record<string, string | undefined>)
			: {};
		const body = parseResponseBody(response?.body, headerValue(headers, 'content-type'));
		if (status >= 200 && status < 300) return { status, body };
		const now = typeof transport.now === 'function' ? transport.now() : Date.now();
		throw fromHttpResponse(status, headers, body, { method: request.method, secrets, now });
	};
}
