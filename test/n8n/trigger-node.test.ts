/**
 * The IntelliPortal Trigger in n8n's real contexts: webhookMethods through n8n-core's HookContext
 * (activation/deactivation against the emulator's single webhook configuration), webhook()
 * through WebhookContext with a recorded HTTP response.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INode } from 'n8n-workflow';
import { HookContext } from 'n8n-core';

import { IntelliPortalTrigger } from '../../nodes/IntelliPortalTrigger/IntelliPortalTrigger.node';
import { appendSecret, removeOwnershipRecord } from '../../shared/webhookUrl';
import { startEchoProxy } from '../ownership/echo-proxy';
import { makeAdditionalData } from './harness';
import { API_KEY, startEnv } from './helpers';
import type { TestEnv } from './helpers';

let env: TestEnv;

beforeAll(async () => {
	env = await startEnv();
});

afterAll(async () => {
	await env?.stop();
});

beforeEach(() => env.emulator.admin.reset());

const FOREIGN = { url: 'https://crm.example.com/intelliportal', events: ['message.failed'] };

/** The URL the trigger registered: n8n's webhook URL plus the secret kept in its static data. */
function withSecret(url: string, staticData: IDataObject): string {
	const { secret } = staticData['node:IntelliPortal Trigger'] as { secret: string };
	expect(secret).toMatch(/^[0-9a-f]{48}$/);
	return appendSecret(url, secret);
}

/** The account's webhook as registered, without the ownership record (`&ip_owner=…`). */
function registeredConfig(): { url: string | null; events: string[] } {
	const { url, events } = env.emulator.admin.webhookConfig();
	return { url: url === null ? null : removeOwnershipRecord(url), events };
}

async function setConfig(config: { url: string; events: string[] }) {
	const node = env.actionNode({ resource: 'webhook', operation: 'update', ...config });
	const { error } = await env.harness.runNode(node, [{}]);
	expect(error).toBeUndefined();
}

describe('activation (webhookMethods.default)', () => {
	it('registers this workflow when nothing is configured, then reports it exists', async () => {
		const node = env.triggerNode({ events: ['message.delivered', 'message.read'] });
		const url = env.harness.webhookUrl(node);
		const staticData: IDataObject = {};

		expect(await env.harness.runWebhookMethod(node, staticData, 'checkExists')).toBe(false);
		expect(await env.harness.runWebhookMethod(node, staticData, 'create')).toBe(true);
		const registered = withSecret(url, staticData);
		expect(registeredConfig()).toEqual({
			url: registered,
			events: ['message.delivered', 'message.read'],
		});
		expect(await env.harness.runWebhookMethod(node, staticData, 'checkExists')).toBe(true);

		// Changing the selected events makes n8n call create again, which updates them.
		const changed = env.triggerNode({ events: ['message.failed'] });
		expect(await env.harness.runWebhookMethod(changed, staticData, 'checkExists')).toBe(false);
		await env.harness.runWebhookMethod(changed, staticData, 'create');
		expect(registeredConfig()).toEqual({
			url: registered,
			events: ['message.failed'],
		});

		// Deactivation with nothing to restore switches deliveries off (the contract's PUT cannot
		// clear the URL; events: [] = off), and a later trigger may take the URL over.
		await env.harness.runWebhookMethod(changed, staticData, 'delete');
		expect(registeredConfig()).toEqual({ url: registered, events: [] });
		const other = env.triggerNode({ events: ['message.read'] });
		expect(await env.harness.runWebhookMethod(other, {}, 'create')).toBe(true);
	});

	it('"All Events" subscribes to every event type', async () => {
		const node = env.triggerNode({ events: ['*'] });
		await env.harness.runWebhookMethod(node, {}, 'create');
		expect(env.emulator.admin.webhookConfig().events).toEqual(
			expect.arrayContaining([
				'message.queued',
				'message.sent',
				'message.delivered',
				'message.read',
				'message.failed',
				'message.received',
				'client.onboarded',
			]),
		);
	});

	it('refuses to take over a URL someone else configured', async () => {
		await setConfig(FOREIGN);
		const node = env.triggerNode({ events: ['message.sent'] });
		const staticData: IDataObject = {};
		expect(await env.harness.runWebhookMethod(node, staticData, 'checkExists')).toBe(false);
		const error = await env.harness
			.runWebhookMethod(node, staticData, 'create')
			.catch((e: unknown) => e);
		expect(error).toMatchObject({
			name: 'NodeOperationError',
			message: expect.stringContaining('in use by another receiver at https://crm.example.com '),
		});
		// scheme and host only: a receiver's path may be its credential
		expect(JSON.stringify(error)).not.toContain('/intelliportal');
		expect(env.emulator.admin.webhookConfig()).toEqual(FOREIGN);
	});

	it('replaces it when allowed and restores it on deactivation', async () => {
		await setConfig(FOREIGN);
		const node = env.triggerNode({ events: ['message.sent'], replaceExisting: true });
		const url = env.harness.webhookUrl(node);
		const staticData: IDataObject = {};
		expect(await env.harness.runWebhookMethod(node, staticData, 'create')).toBe(true);
		expect(registeredConfig()).toEqual({
			url: withSecret(url, staticData),
			events: ['message.sent'],
		});

		// Re-activation (our URL already there) must not forget what to restore.
		await env.harness.runWebhookMethod(node, staticData, 'create');

		await env.harness.runWebhookMethod(node, staticData, 'delete');
		expect(env.emulator.admin.webhookConfig()).toEqual(FOREIGN);
	});

	it('leaves a URL alone that someone else configured after activation', async () => {
		const node = env.triggerNode({ events: ['message.sent'] });
		const staticData: IDataObject = {};
		await env.harness.runWebhookMethod(node, staticData, 'create');
		await setConfig(FOREIGN);
		await env.harness.runWebhookMethod(node, staticData, 'delete');
		expect(env.emulator.admin.webhookConfig()).toEqual(FOREIGN);
		expect(
			env.emulator.admin.requests().filter((r) => r.method === 'PUT' && r.path === '/v1/webhooks'),
		).toHaveLength(2);
	});
});

describe('ownership of the single webhook across workflows', () => {
	const A_ID = 'a0000000-0000-4000-8000-00000000000a';
	const B_ID = 'b0000000-0000-4000-8000-00000000000b';

	it('A replaces foreign F, B replaces A, A stops, B stops: F is restored (it used to end on A’s dead URL)', async () => {
		await setConfig(FOREIGN);
		const a = env.triggerNode({ events: ['message.sent'], replaceExisting: true }, A_ID);
		const b = env.triggerNode({ events: ['message.read'], replaceExisting: true }, B_ID);
		const aData: IDataObject = {};
		const bData: IDataObject = {};
		expect(await env.harness.runWebhookMethod(a, aData, 'checkExists')).toBe(false);
		await env.harness.runWebhookMethod(a, aData, 'create');
		expect(await env.harness.runWebhookMethod(b, bData, 'checkExists')).toBe(false);
		await env.harness.runWebhookMethod(b, bData, 'create');
		expect(registeredConfig()).toEqual({
			url: withSecret(env.harness.webhookUrl(b), bData),
			events: ['message.read'],
		});
		// A is recorded under B: n8n restarting sees it as registered and does not take it back.
		expect(await env.harness.runWebhookMethod(a, aData, 'checkExists', 'init')).toBe(true);
		await env.harness.runWebhookMethod(a, aData, 'delete');
		expect(registeredConfig().url).toBe(withSecret(env.harness.webhookUrl(b), bData));
		await env.harness.runWebhookMethod(b, bData, 'delete');
		expect(env.emulator.admin.webhookConfig()).toEqual(FOREIGN);
	});

	it('B stopping first gives the webhook back to A with A’s events; A stopping then restores F', async () => {
		await setConfig(FOREIGN);
		const a = env.triggerNode({ events: ['message.sent'], replaceExisting: true }, A_ID);
		const b = env.triggerNode({ events: ['message.read'], replaceExisting: true }, B_ID);
		const aData: IDataObject = {};
		const bData: IDataObject = {};
		await env.harness.runWebhookMethod(a, aData, 'create');
		await env.harness.runWebhookMethod(b, bData, 'create');
		await env.harness.runWebhookMethod(b, bData, 'delete');
		expect(registeredConfig()).toEqual({
			url: withSecret(env.harness.webhookUrl(a), aData),
			events: ['message.sent'],
		});
		await env.harness.runWebhookMethod(a, aData, 'delete');
		expect(env.emulator.admin.webhookConfig()).toEqual(FOREIGN);
	});

	it('a refusal names the other n8n workflow and says what to do', async () => {
		const a = env.triggerNode({ events: ['message.sent'] }, A_ID);
		await env.harness.runWebhookMethod(a, {}, 'create');
		const b = env.triggerNode({ events: ['message.read'] }, B_ID);
		const error = await env.harness.runWebhookMethod(b, {}, 'create').catch((e: unknown) => e);
		const origin = new URL(env.harness.webhookUrl(a)).origin;
		expect(error).toMatchObject({
			name: 'NodeOperationError',
			message: expect.stringContaining(
				`in use by another n8n workflow (an IntelliPortal Trigger) at ${origin} (1 event(s))`,
			),
			description: expect.stringMatching(
				/^Deactivate that workflow first, or turn on "Replace Existing Webhook"/,
			),
		});
		expect(JSON.stringify(error)).not.toMatch(/ip_secret|ip_owner|ip_hook_secret|\/webhook\//);
	});
});

describe('the ownership record in the registered URL', () => {
	const A_ID = 'a0000000-0000-4000-8000-00000000000a';
	const B_ID = 'b0000000-0000-4000-8000-00000000000b';
	const KEY = 'node:IntelliPortal Trigger';
	const a = () => env.triggerNode({ events: ['message.sent'], replaceExisting: true }, A_ID);
	const b = () => env.triggerNode({ events: ['message.read'], replaceExisting: true }, B_ID);
	const webhookPuts = () =>
		env.emulator.admin.requests().filter((r) => r.method === 'PUT' && r.path === '/v1/webhooks');

	/** What the trigger logs through n8n's logger (one instance in n8n-core's container). */
	function captureWarnings(): { lines: string[]; restore(): void } {
		const node = a();
		const workflow = env.harness.makeWorkflow(node, {});
		const { logger } = new HookContext(
			workflow,
			node,
			makeAdditionalData(env.harness.credentialsHelper),
			'trigger',
			'activate',
			env.harness.webhookData(node, workflow),
		);
		const lines: string[] = [];
		const spy = jest.spyOn(logger, 'warn').mockImplementation((m: string) => void lines.push(m));
		return { lines, restore: () => spy.mockRestore() };
	}

	/** A's registration over FOREIGN, then the account's record replaced by `alter(url)`. */
	async function heldByA(alter?: (url: string) => string): Promise<IDataObject> {
		await setConfig(FOREIGN);
		const aData: IDataObject = {};
		await env.harness.runWebhookMethod(a(), aData, 'create');
		if (alter) {
			const { url, events } = env.emulator.admin.webhookConfig();
			await setConfig({ url: alter(String(url)), events });
		}
		return aData;
	}

	it('registrations made before the seal keep working: a chain recorded as ip_hook_secret is given back in order, and sealed at the next write', async () => {
		await setConfig(FOREIGN);
		const secretA = 'a'.repeat(48);
		const secretB = 'b'.repeat(48);
		const urlA = appendSecret(env.harness.webhookUrl(a()), secretA);
		const urlB = appendSecret(env.harness.webhookUrl(b()), secretB);
		const plain = JSON.stringify({
			v: 1,
			k: 'n',
			r: [FOREIGN.url, FOREIGN.events],
			s: [[urlA, ['message.sent'], 'n']],
		});
		await setConfig({
			url: `${urlB}&ip_hook_secret=${Buffer.from(plain).toString('base64url')}`,
			events: ['message.read'],
		});
		const aData: IDataObject = { [KEY]: { secret: secretA, registeredUrl: urlA } };
		const bData: IDataObject = { [KEY]: { secret: secretB, registeredUrl: urlB } };
		expect(await env.harness.runWebhookMethod(a(), aData, 'checkExists', 'init')).toBe(true);
		await env.harness.runWebhookMethod(b(), bData, 'delete');
		const given = String(env.emulator.admin.webhookConfig().url);
		expect(removeOwnershipRecord(given)).toBe(urlA);
		expect(given).toContain('&ip_owner=');
		expect(given).not.toContain('ip_hook_secret');
		expect(env.emulator.admin.webhookConfig().events).toEqual(['message.sent']);
		await env.harness.runWebhookMethod(a(), aData, 'delete');
		expect(env.emulator.admin.webhookConfig()).toEqual(FOREIGN);
	});

	it('an altered record: activation is refused saying so, deactivation leaves the webhook and says so, nothing is written', async () => {
		const aData = await heldByA((url) => {
			const sealed = new URL(url).searchParams.get('ip_owner') as string;
			const bytes = Buffer.from(sealed, 'base64url');
			bytes[bytes.length - 3] ^= 0x40;
			return url.replace(sealed, bytes.toString('base64url'));
		});
		const altered = env.emulator.admin.webhookConfig();
		const puts = webhookPuts().length;
		const error = await env.harness.runWebhookMethod(b(), {}, 'create').catch((e: unknown) => e);
		expect(error).toMatchObject({
			name: 'NodeOperationError',
			message: expect.stringMatching(
				/fails its integrity check \(it was altered\).*left unchanged/,
			),
		});
		const warnings = captureWarnings();
		try {
			await env.harness.runWebhookMethod(a(), aData, 'delete');
		} finally {
			warnings.restore();
		}
		expect(warnings.lines.join('\n')).toMatch(/fails its integrity check.*left as it is/);
		expect(env.emulator.admin.webhookConfig()).toEqual(altered);
		expect(webhookPuts()).toHaveLength(puts);
	});

	it('after the API key is changed the record cannot be read: the messages say so and the webhook is left as it is', async () => {
		const aData = await heldByA();
		const held = env.emulator.admin.webhookConfig();
		const puts = webhookPuts().length;
		env.harness.setCredentials({
			intelliPortalApi: {
				apiKey: 'ik_test_TheRotatedKey4n8nHarness',
				environment: 'custom',
				baseUrl: env.emulator.baseUrl,
			},
		});
		const warnings = captureWarnings();
		try {
			// A itself, registered as it is, keeps receiving: n8n restarting finds it in place.
			expect(await env.harness.runWebhookMethod(a(), aData, 'checkExists', 'init')).toBe(true);
			const error = await env.harness.runWebhookMethod(b(), {}, 'create').catch((e: unknown) => e);
			expect(error).toMatchObject({
				name: 'NodeOperationError',
				message: expect.stringMatching(
					/sealed with a different API key .*\(was the key changed\?\)/,
				),
				description: expect.stringMatching(/Point the account's webhook elsewhere/),
			});
			await env.harness.runWebhookMethod(a(), aData, 'delete');
		} finally {
			warnings.restore();
			env.harness.setCredentials({
				intelliPortalApi: { apiKey: API_KEY, environment: 'custom', baseUrl: env.emulator.baseUrl },
			});
		}
		expect(warnings.lines.join('\n')).toMatch(/sealed with a different API key.*left as it is/);
		expect(env.emulator.admin.webhookConfig()).toEqual(held);
		expect(webhookPuts()).toHaveLength(puts);
	});

	it('a server error that echoes the PUT URL: the activation error and the NodeApiError JSON carry no ip_secret, record or foreign path', async () => {
		const foreign = {
			url: 'https://hooks.slack.example.com/services/T0000/B0000/FOREIGNPATHTOKEN',
			events: ['message.failed'],
		};
		await setConfig(foreign);
		const aData: IDataObject = {};
		await env.harness.runWebhookMethod(a(), aData, 'create');
		const { secret } = aData[KEY] as { secret: string };
		const proxy = await startEchoProxy(env.emulator.baseUrl);
		env.harness.setCredentials({
			intelliPortalApi: { apiKey: API_KEY, environment: 'custom', baseUrl: proxy.baseUrl },
		});
		proxy.armed = true;
		try {
			const changed = env.triggerNode({ events: ['message.read'], replaceExisting: true }, A_ID);
			const activation = await env.harness
				.runWebhookMethod(changed, aData, 'create')
				.catch((e: unknown) => e);
			const echoedOnActivation = proxy.echoed.splice(0);
			const deactivation = await env.harness
				.runWebhookMethod(changed, aData, 'delete')
				.catch((e: unknown) => e);
			// the server did echo them: the secret and record on activation, the foreign path on restore
			expect(echoedOnActivation[0]).toContain(`ip_secret=${secret}`);
			expect(echoedOnActivation[0]).toMatch(/&ip_(owner|hook_secret)=/);
			expect(proxy.echoed[0]).toBe(foreign.url);
			const params = new URL(echoedOnActivation[0]).searchParams;
			const record = (params.get('ip_owner') ?? params.get('ip_hook_secret')) as string;
			const failures = [activation, deactivation];
			for (const error of failures) {
				expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '503' });
				const text = [
					(error as Error).message,
					(error as { description?: string }).description,
					JSON.stringify(error),
				].join('\n');
				expect(text).toContain('Could not save the webhook');
				for (const leak of [secret, record.slice(0, 24), 'FOREIGNPATHTOKEN', '/services/']) {
					expect(text).not.toContain(leak);
				}
			}
		} finally {
			env.harness.setCredentials({
				intelliPortalApi: { apiKey: API_KEY, environment: 'custom', baseUrl: env.emulator.baseUrl },
			});
			await proxy.stop();
		}
	});
});

describe('the warning before a take-over', () => {
	it('with Replace Existing on, the node says what taking over does and its limit before activation', () => {
		const { properties } = new IntelliPortalTrigger().description;
		const notice = properties.find((p) => p.name === 'replaceExistingNotice');
		expect(notice).toMatchObject({
			type: 'notice',
			displayOptions: { show: { replaceExisting: [true] } },
		});
		expect(notice?.displayName).toMatch(/gets back what it had before/);
		expect(notice?.displayName).toMatch(/Limit: .*at the very same moment.*activate one at a time/);
		// The existing parameters keep their names and defaults (saved workflows are unversioned).
		expect(properties.find((p) => p.name === 'replaceExisting')).toMatchObject({ default: false });
		expect(properties.find((p) => p.name === 'verifySecret')).toMatchObject({ default: true });
	});
});

describe('delivery secret', () => {
	const delivered = {
		id: 'evt_9',
		type: 'message.read',
		created_at: '2026-11-25T06:00:00Z',
		data: { message_id: 'msg_9', client_ref: 'c', to: '+1', channel: 'sms', status: 'read' },
	};

	it('rejects a delivery without the registered secret (401, no run) and accepts one with it', async () => {
		const node = env.triggerNode({ events: ['*'] });
		const staticData: IDataObject = {};
		await env.harness.runWebhookMethod(node, staticData, 'create');
		const { secret } = staticData['node:IntelliPortal Trigger'] as { secret: string };

		const forgeries: Record<string, string>[] = [
			{},
			{ ip_secret: 'guess' },
			{ ip_secret: secret.slice(1) },
		];
		for (const query of forgeries) {
			const forged = await env.harness.runWebhook(node, { body: delivered, query }, staticData);
			expect(forged.result.workflowData).toBeUndefined();
			expect(forged.result.noWebhookResponse).toBe(true);
			expect(forged.response.statusCode).toBe(401);
		}
		const real = await env.harness.runWebhook(
			node,
			{ body: delivered, query: { ip_secret: secret } },
			staticData,
		);
		expect(real.result.workflowData![0][0].json).toMatchObject(delivered);
	});

	it('fails closed: with Verify Delivery Secret on and no stored secret, every delivery gets 401 and starts nothing, and the log says to deactivate and activate', async () => {
		const node = env.triggerNode({ events: ['*'] });
		const warnings: string[] = [];
		const lost = await env.harness.runWebhook(
			node,
			{ body: delivered, query: { ip_secret: 'anything' } },
			{},
			{ warn: (message: string) => warnings.push(message) },
		);
		expect(lost.result.workflowData).toBeUndefined();
		expect(lost.result.noWebhookResponse).toBe(true);
		expect(lost.response.statusCode).toBe(401);
		expect(lost.response.body).toMatchObject({ error: { code: 'no_secret_stored' } });
		expect(warnings.join('\n')).toMatch(/Deactivate the workflow and activate it again/);
		const bare = await env.harness.runWebhook(node, { body: delivered }, {});
		expect(bare.response.statusCode).toBe(401);
		expect(bare.result.workflowData).toBeUndefined();
	});

	it('each activation gets a new secret; with the option off the plain URL is registered', async () => {
		const node = env.triggerNode({ events: ['*'] });
		const first: IDataObject = {};
		await env.harness.runWebhookMethod(node, first, 'create');
		const url1 = env.emulator.admin.webhookConfig().url;
		await env.harness.runWebhookMethod(node, first, 'delete');
		const second: IDataObject = {};
		await env.harness.runWebhookMethod(node, second, 'create');
		expect(env.emulator.admin.webhookConfig().url).not.toBe(url1);
		await env.harness.runWebhookMethod(node, second, 'delete');

		const plain = env.triggerNode({ events: ['*'], verifySecret: false });
		await env.harness.runWebhookMethod(plain, {}, 'create');
		expect(registeredConfig().url).toBe(env.harness.webhookUrl(plain));
	});
});

describe('webhook()', () => {
	// Deliveries carrying the secret the activation stored, as IntelliPortal sends them.
	const SECRET = 'a'.repeat(48);
	const deliver = (node: INode, request: Parameters<typeof env.harness.runWebhook>[1]) =>
		env.harness.runWebhook(
			node,
			{ ...request, query: { ip_secret: SECRET } },
			{ [`node:${node.name}`]: { secret: SECRET } },
		);

	const event = {
		id: 'evt_1',
		type: 'message.delivered',
		created_at: '2026-11-25T06:00:00Z',
		data: {
			message_id: 'msg_1',
			client_ref: 'cl_1',
			to: '+14155550101',
			channel: 'whatsapp',
			status: 'delivered',
		},
	};

	it('emits one item for a selected event', async () => {
		const node = env.triggerNode({ events: ['message.delivered'] });
		const { result, response } = await deliver(node, { body: event });
		expect(result.workflowData).toHaveLength(1);
		expect(result.workflowData![0]).toHaveLength(1);
		expect(result.workflowData![0][0].json).toMatchObject(event);
		expect(response.ended).toBe(false);
	});

	it('answers 200 without starting the workflow for an event that is not selected', async () => {
		const node = env.triggerNode({ events: ['message.failed'] });
		const { result, response } = await deliver(node, { body: event });
		expect(result.workflowData).toBeUndefined();
		expect(result.webhookResponse).toBeDefined();
		expect(result.noWebhookResponse).toBeFalsy();
		expect(response.ended).toBe(false);
	});

	it.each([
		['a non-object body', { body: 'hello', rawBody: 'hello' }],
		['an array', { body: [event] }],
		['an event without a type', { body: { ...event, type: undefined } }],
		['an unknown event type', { body: { ...event, type: 'message.exploded' } }],
		[
			'an oversized payload',
			{ body: { ...event, data: { ...event.data, pad: 'x'.repeat(2_000_000) } } },
		],
	])('answers 400 and does not start the workflow for %s', async (_label, request) => {
		const node = env.triggerNode({ events: ['*'] });
		const { result, response } = await deliver(node, request);
		expect(result.workflowData).toBeUndefined();
		expect(result.noWebhookResponse).toBe(true);
		expect(response.statusCode).toBe(400);
		expect(response.body).toMatchObject({ error: expect.anything() });
	});

	it('turns a real emulator delivery to the configured URL into one item (URL set directly, not by activation)', async () => {
		// A loopback receiver standing in for n8n's webhook endpoint: it hands the request to the
		// trigger's webhook() and answers what n8n would answer.
		const node = env.triggerNode({ events: ['client.onboarded'] });
		const received: IDataObject[] = [];
		const server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				deliver(node, { body: JSON.parse(raw), rawBody: raw })
					.then(({ result, response }) => {
						for (const item of result.workflowData?.[0] ?? []) received.push(item.json);
						res.writeHead(result.noWebhookResponse ? response.statusCode : 200);
						res.end();
					})
					.catch(() => {
						res.writeHead(500);
						res.end();
					});
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const port = (server.address() as AddressInfo).port;
			await setConfig({ url: `http://127.0.0.1:${port}/webhook`, events: ['client.onboarded'] });
			const onboard = env.actionNode({
				resource: 'client',
				operation: 'onboard',
				businessName: 'Webhook Bakery',
				phoneNumberId: '777000111',
			});
			await env.harness.runNode(onboard, [{}]);
			await env.emulator.admin.webhooksIdle();
			expect(received).toHaveLength(1);
			expect(received[0]).toMatchObject({
				type: 'client.onboarded',
				data: { client: { business_name: 'Webhook Bakery' } },
			});
		} finally {
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});
});

describe('webhook(): exactly once per event', () => {
	const SECRET = 'b'.repeat(48);
	const KEY = 'node:IntelliPortal Trigger';
	// Static data as n8n loads it for every delivery: the activation's secret.
	const loaded = (): IDataObject => ({ [KEY]: { secret: SECRET } });

	const eventWithId = (id: string) => ({
		id,
		type: 'message.delivered',
		created_at: '2026-11-25T06:00:00Z',
		data: { message_id: `msg_${id}`, client_ref: 'cl_1', to: '+14155550101', channel: 'sms' },
	});
	const uniqueId = () => `evt_${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;

	const receive = async (node: INode, body: unknown) =>
		await env.harness.runWebhook(node, { body, query: { ip_secret: SECRET } }, loaded());

	it('a redelivered event (same id) is acknowledged with 200 and starts nothing; another id starts the workflow', async () => {
		const node = env.triggerNode({ events: ['*'] });
		const event = eventWithId(uniqueId());
		const first = await receive(node, event);
		expect(first.result.workflowData?.[0].map((item) => item.json.id)).toEqual([event.id]);

		const again = await receive(node, event);
		expect(again.result.workflowData).toBeUndefined();
		expect(again.result.noWebhookResponse).toBeFalsy();
		expect(again.result.webhookResponse).toEqual({ received: true, duplicate: 1 });

		const other = eventWithId(uniqueId());
		const next = await receive(node, other);
		expect(next.result.workflowData?.[0].map((item) => item.json.id)).toEqual([other.id]);
	});

	it('two copies arriving together start the workflow once', async () => {
		const node = env.triggerNode({ events: ['*'] });
		const event = eventWithId(uniqueId());
		const [a, b] = await Promise.all([receive(node, event), receive(node, event)]);
		const started = [a, b].filter((r) => r.result.workflowData !== undefined);
		expect(started).toHaveLength(1);
		const acknowledged = [a, b].find((r) => r.result.workflowData === undefined);
		expect(acknowledged?.result.webhookResponse).toEqual({ received: true, duplicate: 1 });
	});

	it('the same event for another workflow starts that workflow too', async () => {
		const node = env.triggerNode({ events: ['*'] });
		const other = { ...node, id: 'another-trigger-node' };
		const event = eventWithId(uniqueId());
		expect((await receive(node, event)).result.workflowData).toHaveLength(1);
		expect((await receive(other, event)).result.workflowData).toHaveLength(1);
	});

	it('nothing is written to the static data (n8n would not save it, and an execution saving it could restore a stale secret)', async () => {
		const node = env.triggerNode({ events: ['*'] });
		const first = await receive(node, eventWithId(uniqueId()));
		expect(first.workflow.staticData.__dataChanged).toBe(false);
	});

	it('a copy with a wrong secret is refused (401) before its id is remembered, so the real delivery still starts the workflow', async () => {
		const node = env.triggerNode({ events: ['*'] });
		const event = eventWithId(uniqueId());
		const forged = await env.harness.runWebhook(
			node,
			{ body: event, query: { ip_secret: 'c'.repeat(48) } },
			loaded(),
		);
		expect(forged.response.statusCode).toBe(401);
		const real = await receive(node, event);
		expect(real.result.workflowData).toHaveLength(1);
	});
});
