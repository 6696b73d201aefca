/**
 * Standalone transport on axios for scripts, the demo and benchmarks (NOT shipped in the n8n
 * tarball: package.json `files` excludes dist/shared/transports). Never logs anything.
 */
import axios from 'axios';
import type { AxiosError } from 'axios';

import { normaliseHeaders } from '../http';
import { TransportFailure, failureOf, failurePhaseForCode } from '../transport';
import type {
	Transport,
	TransportFailurePhase,
	TransportRequest,
	TransportResponse,
} from '../transport';

export interface AxiosTransportOptions {
	/** Sleep implementation (default setTimeout). */
	sleep?: (ms: number) => Promise<void>;
	/** Clock (default Date.now). */
	now?: () => number;
}

function phaseOf(error: AxiosError): TransportFailurePhase {
	const causeCode = (error.cause as { code?: string } | undefined)?.code;
	const phase = failurePhaseForCode(error.code ?? causeCode);
	if (phase === 'response' && causeCode !== undefined) return failurePhaseForCode(causeCode);
	if (phase === 'response' && /timeout/i.test(error.message)) return 'timeout';
	return phase;
}

export function createAxiosTransport(options: AxiosTransportOptions = {}): Transport {
	const instance = axios.create();
	return {
		async request(req: TransportRequest): Promise<TransportResponse> {
			try {
				const response = await instance.request({
					method: req.method,
					url: req.url,
					headers: req.headers,
					data: req.body === undefined ? undefined : JSON.stringify(req.body),
					timeout: req.timeoutMs,
					validateStatus: () => true,
					responseType: 'text',
					transformResponse: [(data: unknown) => data],
					maxRedirects: 0,
					proxy: false,
				});
				return {
					status: response.status,
					headers: normaliseHeaders(response.headers),
					body: response.data,
				};
			} catch (error) {
				// Build a fresh error: an AxiosError carries the request config (with the
				// Authorization header), so it must never escape.
				if (axios.isAxiosError(error)) {
					const code = error.code ?? (error.cause as { code?: string } | undefined)?.code;
					throw failureOf(code, { phase: phaseOf(error), timeoutMs: req.timeoutMs });
				}
				throw new TransportFailure('request failed', { phase: 'response' });
			}
		},
		sleep:
			options.sleep ??
			((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)))),
		now: options.now ?? (() => Date.now()),
	};
}
