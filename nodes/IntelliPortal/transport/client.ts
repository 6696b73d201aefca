import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { ENVIRONMENTS, IntelliPortalClient, resolveEnvironment } from '../../../shared';
import type { Environment, RateGovernor, RunControl } from '../../../shared';
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

/**
 * Builds the API core's client on n8n's HTTP helpers. The core resolves the server from the
 * environment (or key prefix) and validates the configuration; n8n adds the bearer header.
 */
export async function getIntelliPortalClient(
	this: N8nHttpContext,
	options: {
		governor?: RateGovernor;
		/** The account's governor (shared pacing), from the resolved server and the key. */
		governorFor?: (account: { baseUrl: string; apiKey: string }) => RateGovernor;
		run?: RunControl;
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
	const governor =
		options.governor ??
		(options.governorFor
			? options.governorFor({
					baseUrl: resolveEnvironment(settings).baseUrl,
					apiKey: credentials.apiKey,
				})
			: undefined);
	const client = new IntelliPortalClient({
		...settings,
		transport,
		governor,
		run: options.run,
		timeoutMs: options.timeoutMs,
	});
	return { client, apiKey: credentials.apiKey };
}
