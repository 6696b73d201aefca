import type { Bundle, ZObject } from 'zapier-platform-core';

import { keyEnvironment, PRODUCTION_KEY_PREFIX, SANDBOX_KEY_PREFIX } from '../../shared';
import { createClient } from './apiClient';
import { handled } from './errors';

const ENVIRONMENT_LABELS: Record<string, string> = {
	auto: 'Auto',
	production: 'Production',
	sandbox: 'Sandbox',
	custom: 'Custom',
};

/** What the connection is called in Zapier: environment + last 4 characters of the key, never the key. */
export function connectionLabel(authData: Record<string, unknown>): string {
	const key = typeof authData.apiKey === 'string' ? authData.apiKey.trim() : '';
	const env = typeof authData.environment === 'string' ? authData.environment : 'auto';
	let envLabel = ENVIRONMENT_LABELS[env] ?? 'Auto';
	if (env === 'auto' || !ENVIRONMENT_LABELS[env]) {
		const fromKey = keyEnvironment(key);
		if (fromKey) envLabel = ENVIRONMENT_LABELS[fromKey];
	}
	// Only the tail of a key long enough that 4 characters reveal nothing useful.
	const tail = key.length >= 12 ? key.slice(-4) : '';
	return tail ? `${envLabel} · ••••${tail}` : envLabel;
}

/** Connection test: the cheapest authenticated call in the contract, GET /clients?limit=1. */
const test = handled(async (z: ZObject, bundle: Bundle) => {
	const client = createClient(z, bundle);
	const page = await client.listClients({ limit: 1 });
	return { ok: true, clients_visible: page.items.length > 0 };
});

export default {
	type: 'custom' as const,
	fields: [
		{
			key: 'apiKey',
			label: 'API Key',
			type: 'password' as const,
			required: true,
			helpText: `Your IntelliPortal partner API key. Keys starting with \`${SANDBOX_KEY_PREFIX}\` use the sandbox, keys starting with \`${PRODUCTION_KEY_PREFIX}\` use production. Find it in the IntelliPortal dashboard under **Settings → API keys**.`,
		},
		{
			key: 'environment',
			label: 'Environment',
			type: 'string' as const,
			required: false,
			default: 'auto',
			choices: [
				{ value: 'auto', label: 'Automatic (from the API key prefix)', sample: 'auto' },
				{ value: 'production', label: 'Production', sample: 'production' },
				{ value: 'sandbox', label: 'Sandbox', sample: 'sandbox' },
				{ value: 'custom', label: 'Custom base URL', sample: 'custom' },
			],
			helpText:
				'Which IntelliPortal server to use. **Automatic** picks sandbox or production from the key prefix. Choose **Custom base URL** only for a gateway or a local sandbox emulator.',
		},
		{
			key: 'baseUrl',
			label: 'Base URL',
			type: 'string' as const,
			required: false,
			helpText:
				'Only for **Custom base URL** (ignored for the other environments): the full API base URL including `/v1`, for example `https://gateway.example.com/intelliportal/v1`. Must be https; plain http only for this machine (`localhost`, `127.0.0.1`).',
		},
	],
	test,
	connectionLabel: (_z: ZObject, bundle: Bundle) => connectionLabel(bundle.authData ?? {}),
};
