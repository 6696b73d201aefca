import type { Bundle, ZObject } from 'zapier-platform-core';

import { IntelliPortalClient, withRetry } from '../../shared';
import type { Environment } from '../../shared';
import packageJson from '../package.json';
import { createZapierTransport } from './zapierTransport';

/**
 * Zapier stops an action after 30 s: only a short Retry-After is waited out here; a longer one
 * becomes ThrottledError and Zapier itself re-runs the step after the server's delay.
 */
export const ZAPIER_RETRY = {
	maxAttempts: 3,
	baseDelayMs: 300,
	maxDelayMs: 2_000,
	maxRetryAfterMs: 3_000,
};
/** 3 attempts × 8 s + 2 backoffs ≤ 2 s stays under Zapier's 30 s even when every attempt times out. */
export const ZAPIER_TIMEOUT_MS = 8_000;

function text(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim();
	return trimmed === '' ? undefined : trimmed;
}

/** The core's API client from the connection (`bundle.authData`): apiKey, environment, baseUrl. */
export function createClient(z: ZObject, bundle: Bundle): IntelliPortalClient {
	const authData = (bundle.authData ?? {}) as Record<string, unknown>;
	const environment = (text(authData.environment) ?? 'auto') as Environment;
	const baseUrl = text(authData.baseUrl);
	const transport = createZapierTransport(z);
	return new IntelliPortalClient({
		apiKey:
			typeof authData.apiKey === 'string' ? authData.apiKey.trim() : (authData.apiKey as string),
		environment,
		// The core decides what a base URL means for each environment (required for custom).
		...(baseUrl !== undefined ? { baseUrl } : {}),
		transport,
		// A short retry: Zapier re-runs a throttled step itself after the server's delay.
		layers: [withRetry({ policy: ZAPIER_RETRY, wait: async (ms) => await transport.sleep(ms) })],
		timeoutMs: ZAPIER_TIMEOUT_MS,
		clientName: `${packageJson.name}/${packageJson.version}`,
	});
}
