import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { ENVIRONMENTS, IntelliPortalClient, resolveEnvironment, withRetry } from '../../../shared';
import type { Environment, Layer } from '../../../shared';
import { CREDENTIAL_TYPE, N8nTransport } from './N8nTransport';
import type { N8nHttpContext } from './N8nTransport';

export interface IntelliPortalCredentialData {
	apiKey: string;
	environment: Environment;
	baseUrl?: string;
	/** The credential as n8n decrypted it (handed back to n8n for authenticating requests). */
	decrypted: ICredentialDataDecryptedObject;
}

export async function readCredentials(this: N8nHttpContext): Promise<IntelliPortalCredentialData> {
	const raw = await this.getCredentials(CREDENTIAL_TYPE);
	const apiKey = typeof raw.apiKey === 'string' ? raw.apiKey.trim() : '';
	const environment = ENVIRONMENTS.includes(raw.environment as Environment)
		? (raw.environment as Environment)
		: 'auto';
	const baseUrl =
		environment === 'custom' && typeof raw.baseUrl === 'string' && raw.baseUrl.trim() !== ''
			? raw.baseUrl.trim()
			: undefined;
	return { apiKey, environment, baseUrl, decrypted: raw };
}

/** The account a client talks to: what its layers may be keyed by (the account's governor). */
export interface ApiAccount {
	baseUrl: string;
	apiKey: string;
}

/**
 * The core's client on n8n's HTTP helpers (n8n adds the bearer header). `layers` wraps every
 * request; by default a single call's retry.
 */
export async function getIntelliPortalClient(
	this: N8nHttpContext,
	options: {
		layers?: (account: ApiAccount, transport: N8nTransport) => Layer[];
		transport?: N8nTransport;
		timeoutMs?: number;
	} = {},
): Promise<{ client: IntelliPortalClient; apiKey: string }> {
	const credentials = await readCredentials.call(this);
	const transport = options.transport ?? new N8nTransport(this);
	transport.reuseCredentials(credentials.decrypted);
	const settings = {
		apiKey: credentials.apiKey,
		environment: credentials.environment,
		baseUrl: credentials.baseUrl,
	};
	const account = { baseUrl: resolveEnvironment(settings).baseUrl, apiKey: credentials.apiKey };
	const layers = options.layers
		? options.layers(account, transport)
		: [withRetry({ wait: async (ms) => await transport.sleep(ms) })];
	const client = new IntelliPortalClient({
		...settings,
		transport,
		layers,
		timeoutMs: options.timeoutMs,
	});
	return { client, apiKey: credentials.apiKey };
}
