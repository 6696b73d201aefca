/**
 * Where the Zapier connection sends the key: Base URL only for "Custom base URL" (Production,
 * Sandbox and Automatic go to their own server whatever Base URL holds), and a custom Base URL
 * only over https (plain http for this machine only). The connection test runs with a `z` whose
 * request records the URL it was given: no network, and a refusal is seen as "no request".
 */
import zapier from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';

import { PRODUCTION_BASE_URL, SANDBOX_BASE_URL } from '../../shared/environment';
import App from '../../zapier/src';
import { connectionLabel } from '../../zapier/src/authentication';
import { createClient } from '../../zapier/src/apiClient';

/** A `z` whose request records the URL and answers an empty client list. */
function recordingZ(): { z: ZObject; urls: string[] } {
	const urls: string[] = [];
	const z = {
		errors: zapier.errors,
		console,
		request: async (options: { url: string }) => {
			urls.push(options.url);
			return {
				status: 200,
				headers: { 'content-type': 'application/json' },
				content: JSON.stringify({ data: [], total: 0 }),
			};
		},
	};
	return { z: z as unknown as ZObject, urls };
}

async function testConnection(authData: Record<string, string>) {
	const { z, urls } = recordingZ();
	const bundle = { authData } as unknown as Bundle;
	const outcome = await App.authentication
		.test(z, bundle)
		.then((result) => ({ result, error: undefined }))
		.catch((error: Error) => ({ result: undefined, error }));
	return { ...outcome, urls };
}

describe('Zapier connection: Base URL only for Custom', () => {
	it.each([
		['ik_live_abcdefgh9876', 'production', PRODUCTION_BASE_URL, 'Production · ••••9876'],
		['ik_live_abcdefgh9876', 'auto', PRODUCTION_BASE_URL, 'Production · ••••9876'],
		['ik_test_abcdefgh1234', 'sandbox', SANDBOX_BASE_URL, 'Sandbox · ••••1234'],
		['ik_test_abcdefgh1234', 'auto', SANDBOX_BASE_URL, 'Sandbox · ••••1234'],
	])(
		'key %s with %s and a Base URL filled in: the test goes to %s (as the label says), never to the Base URL',
		async (apiKey, environment, server, label) => {
			const authData = { apiKey, environment, baseUrl: 'https://collector.example/v1' };
			const { result, urls } = await testConnection(authData);
			expect(result).toMatchObject({ ok: true });
			expect(urls).toEqual([`${server}/clients?limit=1&offset=0`]);
			expect(connectionLabel(authData)).toBe(label);
			const { z } = recordingZ();
			expect(createClient(z, { authData } as unknown as Bundle).baseUrl).toBe(server);
		},
	);

	it('Custom base URL uses the Base URL', async () => {
		const { result, urls } = await testConnection({
			apiKey: 'ik_test_abcdefgh1234',
			environment: 'custom',
			baseUrl: 'https://gw.example.com/ip/v1/',
		});
		expect(result).toMatchObject({ ok: true });
		expect(urls).toEqual(['https://gw.example.com/ip/v1/clients?limit=1&offset=0']);
	});

	it.each(['http://127.0.0.1:4010/v1', 'http://localhost:4010/v1', 'http://[::1]:4010/v1'])(
		'Custom base URL over plain http to this machine (%s, the emulator) is allowed',
		async (baseUrl) => {
			const { result, urls } = await testConnection({
				apiKey: 'ik_test_abcdefgh1234',
				environment: 'custom',
				baseUrl,
			});
			expect(result).toMatchObject({ ok: true });
			expect(urls).toEqual([`${baseUrl}/clients?limit=1&offset=0`]);
		},
	);

	it.each(['http://gw.example.com/v1', 'http://192.168.1.20:4010/v1'])(
		'Custom base URL over plain http to another host (%s) fails the connection test naming Base URL, before any request',
		async (baseUrl) => {
			const apiKey = 'ik_live_SECRETabcdefgh9876';
			const { error, urls } = await testConnection({ apiKey, environment: 'custom', baseUrl });
			expect(urls).toEqual([]);
			expect(error?.name).toBe('AppError');
			expect(error?.message).toContain('Base URL');
			expect(error?.message).toContain('must use https');
			expect(error?.message).not.toContain('SECRET');
		},
	);

	it('a key for the other environment fails the connection test before any request', async () => {
		const { error, urls } = await testConnection({
			apiKey: 'ik_live_SECRETabcdefgh9876',
			environment: 'sandbox',
			baseUrl: 'http://127.0.0.1:4010/v1',
		});
		expect(urls).toEqual([]);
		expect(error?.message).toContain('This is a production key (ik_live_…)');
		expect(error?.message).not.toContain('SECRET');
	});
});
