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

	it('an explicit base URL overrides, normalised', () => {
		expect(
			resolveEnvironment({ apiKey: 'ik_test_abc', baseUrl: 'http://127.0.0.1:4010/v1/' }).baseUrl,
		).toBe('http://127.0.0.1:4010/v1');
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
