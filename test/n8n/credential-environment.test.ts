/**
 * The credential test's server is chosen by an n8n expression (no code runs in a credential
 * test). These cases resolve it with n8n's own expression engine, the way RoutingNode does.
 */
import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { IntelliPortalApi } from '../../credentials/IntelliPortalApi.credentials';
import { resolveEnvironment, SANDBOX_BASE_URL } from '../../shared/environment';
import { TestNodeTypes } from './harness';

const credential = new IntelliPortalApi();
const node: INode = {
	id: 'n',
	name: 'Temp-Node',
	type: 'noop',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const workflow = new Workflow({
	nodes: [node],
	connections: {},
	active: false,
	nodeTypes: new TestNodeTypes({
		noop: {
			description: {
				displayName: 'Temp',
				name: 'noop',
				group: ['transform'],
				version: 1,
				description: '',
				defaults: {},
				inputs: [],
				outputs: [],
				properties: [],
			},
		},
	}),
});

function resolve(expression: string, data: ICredentialDataDecryptedObject): unknown {
	return workflow.expression.getSimpleParameterValue(node, expression, 'internal', {
		$credentials: data,
	});
}

describe('IntelliPortalApi credential', () => {
	const baseURL = credential.test.request.baseURL as string;

	it.each([
		[{ apiKey: 'ik_live_abc', environment: 'auto' }, 'https://api.intelliportal.io/v1'],
		[{ apiKey: '  ik_live_abc ', environment: 'auto' }, 'https://api.intelliportal.io/v1'],
		[{ apiKey: 'ik_test_abc', environment: 'auto' }, 'https://sandbox.intelliportal.io/v1'],
		[{ apiKey: 'sk_unknown', environment: 'auto' }, 'https://sandbox.intelliportal.io/v1'],
		[{ apiKey: 'ik_test_abc', environment: 'production' }, 'https://api.intelliportal.io/v1'],
		[{ apiKey: 'ik_live_abc', environment: 'sandbox' }, 'https://sandbox.intelliportal.io/v1'],
		[
			{ apiKey: 'ik_live_abc', environment: 'custom', baseUrl: 'http://127.0.0.1:4010/v1/' },
			'http://127.0.0.1:4010/v1',
		],
	])('test request for %j goes to %s', (data, expected) => {
		expect(resolve(baseURL, data)).toBe(expected);
	});

	it('tests the key with GET /clients?limit=1 and explains a rejected key', () => {
		expect(credential.test.request).toMatchObject({
			url: '/clients',
			method: 'GET',
			qs: { limit: 1 },
		});
		const rule401 = credential.test.rules?.find(
			(rule) => rule.type === 'responseCode' && rule.properties.value === 401,
		);
		expect(rule401?.properties.message).toMatch(/rejected the API key/);
	});

	it('sends the key as a bearer token resolved by n8n', () => {
		const header = (credential.authenticate.properties.headers as Record<string, string>)
			.Authorization;
		expect(resolve(header, { apiKey: ' ik_test_123 ' })).toBe('Bearer ik_test_123');
	});

	it('keeps the key in a password field and the Base URL only for Custom', () => {
		const apiKey = credential.properties.find((p) => p.name === 'apiKey');
		expect(apiKey?.typeOptions?.password).toBe(true);
		const baseUrl = credential.properties.find((p) => p.name === 'baseUrl');
		expect(baseUrl?.displayOptions?.show?.environment).toEqual(['custom']);
	});

	it.each([
		['ik_live_abc', 'auto'],
		['ik_test_abc', 'auto'],
		[' ik_live_abc ', 'production'],
		['ik_test_abc', 'sandbox'],
		['ik_test_abc', 'custom'],
		['sk_unknown', 'auto'],
		['ik_livex', 'auto'],
	])(
		'the credential test and the core pick the same server for key %j with environment %s',
		(apiKey, environment) => {
			// What the node hands the core: the Base URL only for Custom (transport/apiClient.ts).
			const baseUrl = environment === 'custom' ? 'http://127.0.0.1:4010/v1/' : undefined;
			const testServer = resolve(baseURL, { apiKey, environment, baseUrl: baseUrl ?? '' });
			let coreServer: string | undefined;
			try {
				coreServer = resolveEnvironment({ apiKey, environment, baseUrl }).baseUrl;
			} catch {
				coreServer = undefined;
			}
			// A key the core refuses goes to the sandbox, which refuses it too (401): never production.
			expect(testServer).toBe(coreServer ?? SANDBOX_BASE_URL);
		},
	);
});
