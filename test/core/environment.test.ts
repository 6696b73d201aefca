import {
	PRODUCTION_BASE_URL,
	resolveEnvironment,
	SANDBOX_BASE_URL,
} from '../../shared/environment';
import { ConfigurationError } from '../../shared/errors';
import contract from '../../shared/openapi.json';

function configError(fn: () => unknown): ConfigurationError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(ConfigurationError);
		return error as ConfigurationError;
	}
	throw new Error('expected a ConfigurationError');
}

describe('environments', () => {
	it('takes both server URLs from the contract', () => {
		expect(contract.servers.map((s) => s.url)).toEqual([PRODUCTION_BASE_URL, SANDBOX_BASE_URL]);
	});

	it('picks the server from the key prefix', () => {
		expect(resolveEnvironment({ apiKey: 'ik_test_abc' })).toEqual({
			apiKey: 'ik_test_abc',
			baseUrl: SANDBOX_BASE_URL,
			environment: 'sandbox',
		});
		expect(resolveEnvironment({ apiKey: ' ik_live_abc\n' })).toEqual({
			apiKey: 'ik_live_abc',
			baseUrl: PRODUCTION_BASE_URL,
			environment: 'production',
		});
		expect(resolveEnvironment({ apiKey: 'ik_live_abc', environment: 'production' }).baseUrl).toBe(
			PRODUCTION_BASE_URL,
		);
	});

	it('a base URL is the custom environment, normalised (given without an environment, by standalone scripts, it means custom)', () => {
		expect(
			resolveEnvironment({ apiKey: 'ik_test_abc', baseUrl: 'http://127.0.0.1:4010/v1/' }),
		).toEqual({
			apiKey: 'ik_test_abc',
			baseUrl: 'http://127.0.0.1:4010/v1',
			environment: 'custom',
		});
		expect(
			resolveEnvironment({
				apiKey: 'ik_test_abc',
				environment: 'custom',
				baseUrl: ' https://gw.example.com/ip/v1// ',
			}),
		).toEqual({
			apiKey: 'ik_test_abc',
			baseUrl: 'https://gw.example.com/ip/v1',
			environment: 'custom',
		});
	});

	it.each([
		['ik_live_abc', 'production', PRODUCTION_BASE_URL],
		['ik_live_abc', 'auto', PRODUCTION_BASE_URL],
		['ik_test_abc', 'sandbox', SANDBOX_BASE_URL],
		['ik_test_abc', 'auto', SANDBOX_BASE_URL],
	])(
		'a base URL is ignored outside Custom: key %s with %s goes to %s',
		(apiKey, environment, server) => {
			for (const baseUrl of ['https://collector.example/v1', 'http://127.0.0.1:4010/v1']) {
				expect(resolveEnvironment({ apiKey, environment, baseUrl })).toEqual({
					apiKey,
					baseUrl: server,
					environment: server === PRODUCTION_BASE_URL ? 'production' : 'sandbox',
				});
			}
		},
	);

	it.each([
		'http://localhost:4010/v1',
		'http://LOCALHOST/v1',
		'http://127.0.0.1:4010/v1',
		'http://127.5.6.7/v1',
		'http://127.255.255.255/v1',
		'http://[::1]:4010/v1',
		'http://[0:0:0:0:0:0:0:1]/v1',
		'http://[0::1]/v1',
		'https://gw.example.com/v1',
		'https://10.0.0.5:8443/v1',
	])('custom accepts %s (https, or plain http to this machine)', (baseUrl) => {
		expect(
			resolveEnvironment({ apiKey: 'ik_test_x', environment: 'custom', baseUrl }).baseUrl,
		).toBe(baseUrl.replace(/\/+$/, ''));
	});

	it.each([
		'http://gw.example.com/v1',
		'http://10.0.0.5:4010/v1',
		'http://192.168.1.20/v1',
		'http://0.0.0.0:4010/v1',
		'http://128.0.0.1/v1',
		'http://127.0.0.1.nip.io/v1',
		'http://localhost.example.com/v1',
		'http://[::2]/v1',
		'http://[::ffff:7f00:1]/v1',
		'http://[1::1]/v1',
	])('custom refuses plain http to %s: the key would cross the network in clear', (baseUrl) => {
		const error = configError(() =>
			resolveEnvironment({ apiKey: 'ik_test_SECRETx', environment: 'custom', baseUrl }),
		);
		expect(error.field).toBe('baseUrl');
		expect(error.message).toBe(
			'Base URL must use https; plain http is only allowed for this machine (localhost, 127.0.0.0/8, [::1])',
		);
		expect(JSON.stringify(error)).not.toContain('SECRET');
	});

	it('rejects keys with neither prefix without echoing them', () => {
		const error = configError(() => resolveEnvironment({ apiKey: 'sk_SECRETVALUE123' }));
		expect(error.message).toMatch(/ik_test_.*ik_live_/);
		expect(error.message).not.toContain('SECRETVALUE');
		expect(JSON.stringify(error)).not.toContain('SECRETVALUE');
		expect(error.field).toBe('apiKey');
	});

	it.each(['', '   ', undefined, 42])('rejects an empty key %p', (apiKey) => {
		expect(configError(() => resolveEnvironment({ apiKey })).message).toMatch(/empty/);
	});

	it('rejects a key for the other environment', () => {
		expect(
			configError(() => resolveEnvironment({ apiKey: 'ik_live_x1', environment: 'sandbox' }))
				.message,
		).toMatch(/production key.*sandbox/);
		expect(
			configError(() => resolveEnvironment({ apiKey: 'ik_test_x1', environment: 'production' }))
				.message,
		).toMatch(/sandbox key.*production/);
	});

	it.each([
		undefined,
		'',
		'localhost:4010',
		'ftp://x.com',
		'https://user:pw@x.com',
		'https://x.com/v1?x=1',
		'/v1',
	])('custom needs an absolute http(s) base URL: %p', (baseUrl) => {
		expect(
			configError(() => resolveEnvironment({ apiKey: 'ik_test_x', environment: 'custom', baseUrl }))
				.field,
		).toBe('baseUrl');
	});

	it('rejects unknown environments', () => {
		expect(
			configError(() => resolveEnvironment({ apiKey: 'ik_test_x', environment: 'staging' })).field,
		).toBe('environment');
	});
});
