/**
 * Which server a key talks to. `ik_test_` keys belong to the sandbox, `ik_live_` keys to
 * production; both URLs come from the contract's `servers`. A base URL (gateway, emulator) is
 * the Custom environment and nothing else: Production, Sandbox and Auto ignore one.
 */
import contract from './openapi.json';
import { ConfigurationError } from './errors';
import { isLoopbackHost, parseHttpUrl } from './url';

export type Environment = 'auto' | 'production' | 'sandbox' | 'custom';
export const ENVIRONMENTS: readonly Environment[] = ['auto', 'production', 'sandbox', 'custom'];

export const SANDBOX_KEY_PREFIX = 'ik_test_';
export const PRODUCTION_KEY_PREFIX = 'ik_live_';

function serverUrl(description: string): string {
	const server = contract.servers.find((s) => s.description === description);
	if (!server) throw new ConfigurationError(`The API contract has no ${description} server`);
	return server.url;
}

/** From the contract: https://api.intelliportal.io/v1 */
export const PRODUCTION_BASE_URL = serverUrl('Production');
/** From the contract: https://sandbox.intelliportal.io/v1 */
export const SANDBOX_BASE_URL = serverUrl('Sandbox');

/** The server a key belongs to by its prefix, or undefined for a key that is not ours. */
export function keyEnvironment(apiKey: unknown): 'sandbox' | 'production' | undefined {
	if (typeof apiKey !== 'string') return undefined;
	const key = apiKey.trim();
	if (key.startsWith(SANDBOX_KEY_PREFIX)) return 'sandbox';
	if (key.startsWith(PRODUCTION_KEY_PREFIX)) return 'production';
	return undefined;
}

/** The server of the production and sandbox environments (custom has the user's Base URL). */
export const BASE_URLS: Readonly<Record<'production' | 'sandbox', string>> = {
	production: PRODUCTION_BASE_URL,
	sandbox: SANDBOX_BASE_URL,
};

export interface EnvironmentOptions {
	apiKey: unknown;
	/** Left out (standalone scripts): a baseUrl then means custom, none means auto. */
	environment?: unknown;
	/** Used only for the custom environment. */
	baseUrl?: unknown;
}

export interface ResolvedEnvironment {
	apiKey: string;
	/** The server the key is used against (no trailing slash). */
	baseUrl: string;
	environment: 'production' | 'sandbox' | 'custom';
}

/**
 * Absolute https URL without trailing slash, or a ConfigurationError naming `baseUrl`. Plain http
 * only to a loopback host (the local emulator): elsewhere the key would cross the network in clear.
 */
export function normaliseBaseUrl(value: unknown): string {
	if (typeof value !== 'string' || value.trim() === '') {
		throw new ConfigurationError('Base URL is required for the custom environment', {
			field: 'baseUrl',
		});
	}
	const url = value.trim();
	const parsed = parseHttpUrl(url);
	if (!parsed || parsed.hash) {
		throw new ConfigurationError(
			'Base URL must be an absolute http(s) URL such as https://api.example.com/v1',
			{ field: 'baseUrl' },
		);
	}
	if (parsed.scheme === 'http' && !isLoopbackHost(parsed.host)) {
		throw new ConfigurationError(
			'Base URL must use https; plain http is only allowed for this machine (localhost, 127.0.0.0/8, [::1])',
			{ field: 'baseUrl' },
		);
	}
	if (parsed.userinfo) {
		throw new ConfigurationError('Base URL must not contain a user name or password', {
			field: 'baseUrl',
		});
	}
	if (parsed.query) {
		throw new ConfigurationError('Base URL must not contain a query string', { field: 'baseUrl' });
	}
	return url.replace(/\/+$/, '');
}

/**
 * A stored connection (n8n credential, Zapier auth fields) as resolveEnvironment takes it: an
 * unknown or missing environment is Auto, a Base URL counts only for Custom.
 */
export function connectionEnvironment(fields: {
	apiKey?: unknown;
	environment?: unknown;
	baseUrl?: unknown;
}): EnvironmentOptions {
	const environment = (ENVIRONMENTS as readonly unknown[]).includes(fields.environment)
		? (fields.environment as Environment)
		: 'auto';
	return {
		apiKey: fields.apiKey,
		environment,
		baseUrl: environment === 'custom' ? fields.baseUrl : undefined,
	};
}

/** Validates the key and picks the server. Never echoes the key in an error. */
export function resolveEnvironment(options: EnvironmentOptions): ResolvedEnvironment {
	const rawKey = options.apiKey;
	if (typeof rawKey !== 'string' || rawKey.trim() === '') {
		throw new ConfigurationError('The API key is empty; paste your IntelliPortal API key', {
			field: 'apiKey',
		});
	}
	const apiKey = rawKey.trim();
	if (/\s/.test(apiKey)) {
		throw new ConfigurationError(
			'The API key contains spaces or line breaks; paste it again without them',
			{
				field: 'apiKey',
			},
		);
	}
	const keyEnv = keyEnvironment(apiKey);
	if (!keyEnv) {
		throw new ConfigurationError(
			`The API key does not look like an IntelliPortal key: it must start with ${SANDBOX_KEY_PREFIX} (sandbox) or ${PRODUCTION_KEY_PREFIX} (production)`,
			{ field: 'apiKey' },
		);
	}
	const hasBaseUrl = typeof options.baseUrl === 'string' && options.baseUrl.trim() !== '';
	const env = options.environment ?? (hasBaseUrl ? 'custom' : 'auto');
	if (typeof env !== 'string' || !(ENVIRONMENTS as readonly string[]).includes(env)) {
		throw new ConfigurationError(`Environment must be one of ${ENVIRONMENTS.join(', ')}`, {
			field: 'environment',
		});
	}
	if (env === 'custom') {
		return { apiKey, baseUrl: normaliseBaseUrl(options.baseUrl), environment: 'custom' };
	}
	if (env !== 'auto' && env !== keyEnv) {
		const prefix = keyEnv === 'sandbox' ? SANDBOX_KEY_PREFIX : PRODUCTION_KEY_PREFIX;
		throw new ConfigurationError(
			`This is a ${keyEnv} key (${prefix}…) but the environment is set to ${env}; use a ${env === 'sandbox' ? SANDBOX_KEY_PREFIX : PRODUCTION_KEY_PREFIX} key or choose ${keyEnv}`,
			{ field: 'environment' },
		);
	}
	const chosen = env === 'auto' ? keyEnv : env;
	return { apiKey, baseUrl: BASE_URLS[chosen], environment: chosen };
}
