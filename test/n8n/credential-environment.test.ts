/**
 * The credential: its test's server is chosen by an n8n expression (a declarative test request),
 * resolved here with n8n's own expression engine, the way RoutingNode does; its `authenticate`
 * adds the key only to requests for the server the core resolves, and refuses settings the core
 * refuses before any request (the credential test as n8n's CredentialsTester runs it).
 */
import { Socket } from 'node:net';

import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { IntelliPortalApi } from '../../credentials/IntelliPortalApi.credentials';
import {
	PRODUCTION_BASE_URL,
	resolveEnvironment,
	SANDBOX_BASE_URL,
} from '../../shared/environment';
import { TestNodeTypes } from './harness';
import { API_KEY, contractRequests, startEnv, type TestEnv } from './helpers';

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

	it('adds the key (trimmed) as a bearer token to requests for its own server only', async () => {
		const sent = await credential.authenticate(
			{ apiKey: ' ik_test_123 ', environment: 'auto' },
			{ url: `${SANDBOX_BASE_URL}/clients?limit=1`, headers: { Accept: 'application/json' } },
		);
		expect(sent.headers).toEqual({
			Accept: 'application/json',
			Authorization: 'Bearer ik_test_123',
		});
		// The credential test's shape: baseURL + a relative url.
		const tested = await credential.authenticate(
			{ apiKey: 'ik_test_123', environment: 'custom', baseUrl: 'http://127.0.0.1:4010/v1/' },
			{ baseURL: 'http://127.0.0.1:4010/v1', url: '/clients' },
		);
		expect(tested.headers?.Authorization).toBe('Bearer ik_test_123');
		// An environment the node does not know is Auto for both (transport/client.ts reads it so).
		const unknown = await credential.authenticate(
			{ apiKey: 'ik_test_123', environment: 'staging', baseUrl: 'https://gw.example.com/v1' },
			{ url: `${SANDBOX_BASE_URL}/clients` },
		);
		expect(unknown.headers?.Authorization).toBe('Bearer ik_test_123');
	});

	it.each([
		[
			'another host (the HTTP Request node with this credential)',
			'https://collector.example/v1/clients?token=t0k',
		],
		['a path beside the base URL', 'https://api.intelliportal.io/v10/clients'],
		['plain http to the production host', 'http://api.intelliportal.io/v1/clients'],
		[
			'a Base URL left over from Custom while Production is chosen',
			'https://gw.example.com/v1/clients',
		],
	])(
		'refuses to add the key to a request for %s, naming its scheme and host only',
		async (_, url) => {
			const attempt = credential.authenticate(
				{
					apiKey: 'ik_live_SECRETabc',
					environment: 'production',
					baseUrl: 'https://gw.example.com/v1',
				},
				{ url },
			);
			await expect(attempt).rejects.toThrow(
				`The IntelliPortal API key is only sent to ${PRODUCTION_BASE_URL}/…; this request goes elsewhere (${new URL(url).protocol}//${new URL(url).host})`,
			);
			const message = await attempt.catch((error: Error) => error.message);
			expect(message).not.toContain('SECRET');
			expect(message).not.toContain('t0k');
		},
	);

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
			// A key the core refuses is refused by `authenticate` before any request (see below).
			expect(testServer).toBe(coreServer ?? SANDBOX_BASE_URL);
		},
	);
});

/**
 * A refused setting: n8n's credential test (CredentialsTester's request test, in the harness)
 * fails with the message the node fails with at runtime, and opens no connection anywhere.
 */
describe('credential test of settings the runtime refuses', () => {
	let env: TestEnv;
	let connects: jest.SpyInstance;

	beforeAll(async () => {
		env = await startEnv({ seedClients: 1 });
	});
	afterAll(async () => {
		await env?.stop();
	});
	beforeEach(() => {
		env.emulator.admin.reset();
		// Every TCP connection this process opens (n8n's HTTP client included) goes through here.
		connects = jest.spyOn(Socket.prototype, 'connect');
	});
	afterEach(() => connects.mockRestore());

	async function runtimeMessage(data: ICredentialDataDecryptedObject): Promise<string | undefined> {
		env.harness.setCredentials({ intelliPortalApi: data });
		const { error } = await env.harness.runNode(
			env.actionNode({
				resource: 'message',
				operation: 'send',
				clientRef: { __rl: true, mode: 'id', value: 'cl_1' },
				to: '+14155550123',
				messageType: 'text',
				textBody: 'hello',
			}),
			[{}],
		);
		return error?.message;
	}

	it('control: a good Custom setting passes the test with one request, through a counted connection', async () => {
		const result = await env.harness.testCredential('intelliPortalApi', {
			apiKey: API_KEY,
			environment: 'custom',
			baseUrl: env.emulator.baseUrl,
		});
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(contractRequests(env.emulator)).toHaveLength(1);
		expect(connects).toHaveBeenCalled();
	});

	it.each([
		[
			'a production key with Sandbox',
			{ apiKey: 'ik_live_SECRETabc123', environment: 'sandbox' },
			/^This is a production key \(ik_live_…\) but the environment is set to sandbox/,
		],
		[
			'a sandbox key with Production',
			{ apiKey: 'ik_test_SECRETabc123', environment: 'production' },
			/^This is a sandbox key \(ik_test_…\) but the environment is set to production/,
		],
		[
			'a key that is not an IntelliPortal key',
			{ apiKey: 'sk_SECRETabc123', environment: 'auto' },
			/^The API key does not look like an IntelliPortal key/,
		],
		[
			'a key that is not an IntelliPortal key, Custom',
			{ apiKey: 'sk_SECRETabc123', environment: 'custom', baseUrl: 'http://127.0.0.1:9/v1' },
			/^The API key does not look like an IntelliPortal key/,
		],
		[
			'a Custom Base URL over plain http to another host',
			{
				apiKey: 'ik_test_SECRETabc123',
				environment: 'custom',
				baseUrl: 'http://gateway.example.com/v1',
			},
			/^Base URL must use https/,
		],
	])("%s: fails with the runtime's message and sends nothing", async (_, data, message) => {
		const result = await env.harness.testCredential('intelliPortalApi', data);
		expect(connects).not.toHaveBeenCalled();
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
		expect(result.message).toBe(await runtimeMessage(data));
		expect(result.message).not.toContain('SECRET');
		expect(connects).not.toHaveBeenCalled();
		expect(env.emulator.admin.requests()).toHaveLength(0);
	});
});
