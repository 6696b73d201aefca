/**
 * End to end: the built package (`npm run build` → dist/, packed with `npm pack` as a user would
 * install it) loaded in a REAL n8n (scripts/n8n/version, installed by scripts/n8n/install.sh),
 * talking to the sandbox emulator through a recording proxy.
 *
 * The n8n install (~2.7 GB, ~7 min the first time) is done here when missing. Set IP_SKIP_E2E=1
 * to skip this suite on a machine without the install; with the install present it always runs.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startEmulator, type RunningEmulator } from '../../emulator';
import {
	installN8n,
	REPO_ROOT,
	startN8n,
	type Execution,
	type N8nInstance,
	type WorkflowJson,
} from '../../scripts/n8n/start';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy';
import { describeE2e, packageDirUnderTest } from './stack';

const API_KEY = `ik_test_e2e_${randomBytes(12).toString('hex')}`;
const CREDENTIAL_TYPE = 'intelliPortalApi';
const ACTION_TYPE = 'n8n-nodes-intelliportal.intelliPortal';

function loadExample(file: string): WorkflowJson {
	return JSON.parse(readFileSync(join(REPO_ROOT, 'examples', file), 'utf8')) as WorkflowJson;
}

/** The URL without its query (the trigger may add a secret parameter to the URL it registers). */
function withoutQuery(url: string): string {
	const parsed = new URL(url);
	return `${parsed.origin}${parsed.pathname}`;
}

function nodeOutput(execution: Execution, nodeName: string): Array<Record<string, unknown>> {
	const runs = execution.data?.resultData.runData[nodeName];
	if (!runs || runs.length === 0) {
		throw new Error(
			`node "${nodeName}" did not run; execution ${execution.id} ended ${execution.status}: ${JSON.stringify(execution.data?.resultData.error ?? null)}`,
		);
	}
	return (runs[0].data?.main[0] ?? []).map((item) => item.json);
}

describeE2e('IntelliPortal package in a real n8n', () => {
	let emulator: RunningEmulator;
	let proxy: RecordingProxy;
	let n8n: N8nInstance;
	let credential: { id: string; name: string };

	beforeAll(async () => {
		installN8n();
		const packageDir = packageDirUnderTest();
		emulator = await startEmulator({ statusStepMs: 0, seedClients: 0 });
		proxy = await startRecordingProxy(emulator.url);
		n8n = await startN8n({ packageDir });
		await n8n.setupOwner();
		const created = await n8n.createCredential({
			name: 'IntelliPortal sandbox (emulator)',
			type: CREDENTIAL_TYPE,
			data: { apiKey: API_KEY, environment: 'custom', baseUrl: `${proxy.url}/v1` },
		});
		credential = { id: created.id, name: created.name };
	}, 20 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await proxy?.stop();
		await emulator?.stop();
	}, 60_000);

	beforeEach(() => {
		proxy.calls.length = 0;
	});

	// The example is saved with version 1: version 1's real-n8n smoke run.
	test('version 1 (the example workflow): sends a message and a template, onboards a client and lists all clients across pages', async () => {
		emulator.admin.seedClients(230); // Return All must page: 3 pages of up to 100
		const workflow = await n8n.importWorkflow(loadExample('intelliportal-tour.json'), {
			credentials: { [CREDENTIAL_TYPE]: credential },
		});

		const execution = await n8n.runManually(workflow.id, { timeoutMs: 90_000 });
		expect(execution.data?.resultData.error ?? null).toBeNull();
		expect(execution.status).toBe('success');

		// What n8n really sent: the key on every call, the contract's bodies.
		expect(proxy.calls.length).toBeGreaterThanOrEqual(5);
		for (const call of proxy.calls) {
			expect({ call: `${call.method} ${call.path}`, authorization: call.authorization }).toEqual({
				call: `${call.method} ${call.path}`,
				authorization: `Bearer ${API_KEY}`,
			});
		}
		const posts = proxy.calls.filter((c) => c.method === 'POST');
		expect(posts.map((c) => `${c.path} ${c.status}`)).toEqual([
			'/v1/messages/send 200',
			'/v1/messages/send-template 200',
			'/v1/clients/signup 201',
		]);
		for (const post of posts) expect(post.contentType).toMatch(/^application\/json/);
		expect(posts[0].body).toEqual({
			client_ref: 'acme-bakery',
			to: '+14155550123',
			type: 'text',
			text: { body: 'Hi Ada, your order #1042 is ready for pickup.' },
		});
		expect(posts[1].body).toEqual({
			client_ref: 'acme-bakery',
			to: '+14155550123',
			template: {
				name: 'order_update',
				language: { code: 'en' },
				parameters: ['#1042', 'ready for pickup'],
			},
		});
		expect(posts[2].body).toEqual({
			business_name: 'Acme Bakery',
			phone_number_id: `pn_${execution.id}`,
			waba_id: 'waba_1042',
		});

		// Node outputs.
		const [sent] = nodeOutput(execution, 'Send WhatsApp message');
		expect(sent).toMatchObject({ id: expect.stringMatching(/^msg_/), status: 'queued' });
		const [template] = nodeOutput(execution, 'Send order update template');
		expect(template).toMatchObject({ id: expect.stringMatching(/^msg_/), status: 'queued' });
		const accepted = emulator.admin.messages().map((m) => m.id);
		expect(accepted).toEqual(expect.arrayContaining([sent.id, template.id]));
		const [onboarded] = nodeOutput(execution, 'Onboard client');
		expect(onboarded).toMatchObject({
			id: expect.any(String),
			business_name: 'Acme Bakery',
			phone_number_id: `pn_${execution.id}`,
		});

		// Return All: every client, in order, fetched page by page.
		const listed = nodeOutput(execution, 'List all clients');
		const all = emulator.admin.clients();
		expect(all.length).toBe(231);
		expect(listed.map((c) => c.id)).toEqual(all.map((c) => c.id));
		const pages = proxy.calls.filter((c) => c.method === 'GET' && c.path === '/v1/clients');
		expect(pages.length).toBeGreaterThanOrEqual(3);

		// The key is nowhere in what n8n stored or printed.
		expect(JSON.stringify(execution)).not.toContain(API_KEY);
		expect(n8n.logs()).not.toContain(API_KEY);
	}, 180_000);

	test("an API error shows the server's message on the item that failed, the other items go through", async () => {
		const serverAnswer = await fetch(`${emulator.baseUrl}/messages/send-template`, {
			method: 'POST',
			headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				client_ref: 'acme-bakery',
				to: '+14155550102',
				template: { name: 'no_such_template', parameters: ['Grace'] },
			}),
		});
		expect(serverAnswer.status).toBe(404);
		const serverMessage = ((await serverAnswer.json()) as { error: { message: string } }).error
			.message;
		expect(serverMessage.length).toBeGreaterThan(0);

		const build = (onError: string | undefined): WorkflowJson => ({
			name: `Per-item errors (${onError ?? 'stop'})`,
			nodes: [
				{
					id: 'e2e-manual',
					name: 'Manual',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'e2e-rows',
					name: 'Recipients',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					position: [200, 0],
					parameters: {
						jsCode: [
							'return [',
							"  { json: { to: '+14155550101', name: 'Ada', template: 'welcome' } },",
							"  { json: { to: '+14155550102', name: 'Grace', template: 'no_such_template' } },",
							"  { json: { to: '+14155550103', name: 'Linus', template: 'welcome' } },",
							'];',
						].join('\n'),
					},
				},
				{
					id: 'e2e-send',
					name: 'Send welcome',
					type: ACTION_TYPE,
					typeVersion: 2,
					position: [400, 0],
					...(onError ? { onError } : {}),
					parameters: {
						resource: 'message',
						operation: 'sendTemplate',
						clientRef: { __rl: true, mode: 'id', value: 'acme-bakery' },
						to: '={{ $json.to }}',
						templateName: '={{ $json.template }}',
						languageCode: 'en',
						templateParameters: { parameter: [{ value: '={{ $json.name }}' }] },
						options: { concurrency: 1 },
					},
					credentials: { [CREDENTIAL_TYPE]: credential },
				},
			],
			connections: {
				Manual: { main: [[{ node: 'Recipients', type: 'main', index: 0 }]] },
				Recipients: { main: [[{ node: 'Send welcome', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
		});

		// "Continue (using regular output)": one output item per input item, the failed one carries
		// the server's message; the others were sent.
		const tolerant = await n8n.importWorkflow(build('continueRegularOutput'));
		const execution = await n8n.runManually(tolerant.id, { timeoutMs: 90_000 });
		expect(execution.status).toBe('success');
		const items = nodeOutput(execution, 'Send welcome');
		expect(items).toHaveLength(3);
		expect(items[0]).toMatchObject({ id: expect.stringMatching(/^msg_/) });
		expect(items[2]).toMatchObject({ id: expect.stringMatching(/^msg_/) });
		expect(items[1]).toMatchObject({ error: { httpStatus: 404 } });
		expect(String((items[1].error as { message: string }).message)).toContain(serverMessage);
		const templatePosts = proxy.calls.filter((c) => c.path === '/v1/messages/send-template');
		expect(templatePosts.map((c) => (c.body as { to: string }).to)).toEqual([
			'+14155550101',
			'+14155550102',
			'+14155550103',
		]);
		expect(templatePosts.map((c) => c.status)).toEqual([200, 404, 200]);

		// Default error handling: the execution fails with the server's message on the node.
		const strict = await n8n.importWorkflow(build(undefined));
		const failed = await n8n.runManually(strict.id, { timeoutMs: 90_000 });
		expect(failed.status).toBe('error');
		const run = failed.data?.resultData.runData['Send welcome']?.[0];
		const nodeError = run?.error ?? failed.data?.resultData.error;
		expect(`${nodeError?.message ?? ''} ${nodeError?.description ?? ''}`).toContain(serverMessage);
		expect(JSON.stringify(failed)).not.toContain(API_KEY);
	}, 180_000);

	/** Manual → Code (one item per recipient) → IntelliPortal Send, continuing on per-item errors. */
	function bulkSendWorkflow(name: string, recipients: string[]): WorkflowJson {
		return {
			name,
			nodes: [
				{
					id: 'bulk-manual',
					name: 'Manual',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'bulk-rows',
					name: 'Recipients',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					position: [200, 0],
					parameters: {
						jsCode: `return ${JSON.stringify(recipients)}.map((to) => ({ json: { to } }));`,
					},
				},
				{
					id: 'bulk-send',
					name: 'Send',
					type: ACTION_TYPE,
					typeVersion: 2,
					position: [400, 0],
					onError: 'continueRegularOutput',
					parameters: {
						resource: 'message',
						operation: 'send',
						clientRef: { __rl: true, mode: 'id', value: 'acme-bakery' },
						to: '={{ $json.to }}',
						messageType: 'text',
						textBody: 'Your appointment is tomorrow at 10:00.',
						options: { concurrency: 5 },
					},
					credentials: { [CREDENTIAL_TYPE]: credential },
				},
			],
			connections: {
				Manual: { main: [[{ node: 'Recipients', type: 'main', index: 0 }]] },
				Recipients: { main: [[{ node: 'Send', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
		};
	}

	function acceptedCount(to: string): number {
		return emulator.admin.messages().filter((m) => m.to === to).length;
	}

	test('rate limited (429 + Retry-After): every message of a bulk send goes out exactly once', async () => {
		const recipients = Array.from({ length: 24 }, (_, i) => `+1415556${1000 + i}`);
		// The bucket alone needs n8n to send faster than 8/s, which a loaded machine may not: seeded
		// injected 429s (30% of requests) make the refusals certain whatever the machine's speed.
		emulator.admin.config({ rateLimitRps: 8, rateLimitBurst: 4, fault429: 0.3 });
		try {
			const workflow = await n8n.importWorkflow(bulkSendWorkflow('Bulk send (429)', recipients));
			const execution = await n8n.runManually(workflow.id, { timeoutMs: 120_000 });
			expect(execution.status).toBe('success');
			const items = nodeOutput(execution, 'Send');
			expect(items).toHaveLength(recipients.length);
			for (const item of items) expect(item).toMatchObject({ id: expect.stringMatching(/^msg_/) });
			// The limit was really hit, and no message was lost or doubled.
			const sends = proxy.calls.filter((c) => c.path === '/v1/messages/send');
			expect(sends.filter((c) => c.status === 429).length).toBeGreaterThan(0);
			expect(recipients.map(acceptedCount)).toEqual(recipients.map(() => 1));
		} finally {
			emulator.admin.config({ rateLimitRps: 0, rateLimitBurst: 0, fault429: 0 });
		}
	}, 180_000);

	test('a send whose connection drops after the API accepted it is reported, not sent twice', async () => {
		const recipients = ['+14155557001', '+14155557002', '+14155557003'];
		emulator.admin.config({ faultResetAfter: 1 }); // every send is processed, then the socket dies
		try {
			const workflow = await n8n.importWorkflow(bulkSendWorkflow('Bulk send (reset)', recipients));
			const execution = await n8n.runManually(workflow.id, { timeoutMs: 120_000 });
			const items = nodeOutput(execution, 'Send');
			expect(items).toHaveLength(recipients.length);
			for (const item of items) {
				expect(item).toMatchObject({ error: { mayHaveBeenSent: true } });
			}
			// Each POST left n8n once: the API accepted each message exactly once.
			const sends = proxy.calls.filter((c) => c.path === '/v1/messages/send');
			expect(sends).toHaveLength(recipients.length);
			expect(recipients.map(acceptedCount)).toEqual([1, 1, 1]);
		} finally {
			emulator.admin.config({ faultResetAfter: 0 });
		}
	}, 180_000);

	describe('version 2, the version every new node gets: each operation with a good and a bad input', () => {
		const GOOD = {
			to: '+14155550201',
			text: 'v2 good send',
			template: 'order_update',
			business: 'V2 Good Co',
			phone: 'pn_v2_good',
			limit: 2,
			url: 'http://127.0.0.1:9/v2-good-hook',
		};
		// Each field empty or out of range: refused by the node before any request.
		const BAD = { ...GOOD, to: '', template: '', business: '', phone: 'pn_v2_bad', limit: 0 };
		const BAD_URL = 'ftp://v2-bad-hook.example.com/';
		const ops: Array<[string, Record<string, unknown>]> = [
			[
				'Send',
				{
					resource: 'message',
					operation: 'send',
					clientRef: { __rl: true, mode: 'id', value: 'acme-bakery' },
					to: '={{ $json.to }}',
					messageType: 'text',
					textBody: '={{ $json.text }}',
					options: {},
				},
			],
			[
				'Send Template',
				{
					resource: 'message',
					operation: 'sendTemplate',
					clientRef: { __rl: true, mode: 'id', value: 'acme-bakery' },
					to: '={{ $json.to }}',
					templateName: '={{ $json.template }}',
					languageCode: 'en',
					templateParameters: { parameter: [{ value: '#2001' }, { value: 'shipped' }] },
					options: {},
				},
			],
			[
				'Onboard',
				{
					resource: 'client',
					operation: 'onboard',
					businessName: '={{ $json.business }}',
					phoneNumberId: '={{ $json.phone }}',
					additionalFields: {},
				},
			],
			[
				'Get Many',
				{ resource: 'client', operation: 'getAll', returnAll: false, limit: '={{ $json.limit }}' },
			],
			[
				'Update Webhook',
				{
					resource: 'webhook',
					operation: 'update',
					url: `={{ $json.limit > 0 ? $json.url : ${JSON.stringify(BAD_URL)} }}`,
					events: ['message.read'],
				},
			],
		];

		function v2Workflow(badCredential: { id: string; name: string }): WorkflowJson {
			const opNode = ([name, parameters]: [string, Record<string, unknown>], i: number) => ({
				id: `v2-${i}`,
				name,
				type: ACTION_TYPE,
				typeVersion: 2,
				position: [400, i * 160] as [number, number],
				onError: 'continueRegularOutput',
				parameters,
				credentials: { [CREDENTIAL_TYPE]: credential },
			});
			const getWebhook = (name: string, cred: { id: string; name: string }, y: number) => ({
				id: `v2-${name}`,
				name,
				type: ACTION_TYPE,
				typeVersion: 2,
				position: [400, y] as [number, number],
				onError: 'continueRegularOutput',
				parameters: { resource: 'webhook', operation: 'get' },
				credentials: { [CREDENTIAL_TYPE]: cred },
			});
			const nodes = [
				...ops.map(opNode),
				getWebhook('Get Webhook', credential, 900),
				// Get Configuration has no input: its bad case is a key the API refuses.
				getWebhook('Get Webhook (wrong key)', badCredential, 1060),
			];
			return {
				name: 'Version 2: every operation, good and bad input',
				nodes: [
					{
						id: 'v2-manual',
						name: 'Manual',
						type: 'n8n-nodes-base.manualTrigger',
						typeVersion: 1,
						position: [0, 0],
						parameters: {},
					},
					{
						id: 'v2-rows',
						name: 'Inputs',
						type: 'n8n-nodes-base.code',
						typeVersion: 2,
						position: [200, 0],
						parameters: {
							jsCode: `return ${JSON.stringify([GOOD, BAD])}.map((json) => ({ json }));`,
						},
					},
					...nodes,
				],
				connections: {
					Manual: { main: [[{ node: 'Inputs', type: 'main', index: 0 }]] },
					Inputs: { main: [nodes.map((n) => ({ node: n.name, type: 'main', index: 0 }))] },
				},
				settings: { executionOrder: 'v1' },
			};
		}

		test('send, send template, onboard, get many, webhook get and update: the good input arrives, the bad one sends nothing', async () => {
			emulator.admin.seedClients(3);
			const before = {
				messages: emulator.admin.messages().length,
				clients: emulator.admin.clients().length,
			};
			const wrongKey = await n8n.createCredential({
				name: 'IntelliPortal (wrong key)',
				type: CREDENTIAL_TYPE,
				// Too short after its prefix: the API answers 401.
				data: { apiKey: 'ik_test_short', environment: 'custom', baseUrl: `${proxy.url}/v1` },
			});
			{
				const workflow = await n8n.importWorkflow(
					v2Workflow({ id: wrongKey.id, name: wrongKey.name }),
				);
				const execution = await n8n.runManually(workflow.id, { timeoutMs: 120_000 });
				expect(execution.status).toBe('success');
				const out = (node: string) => nodeOutput(execution, node);
				const failedOn = (node: string) =>
					(out(node)[1]?.error ?? null) as { message?: string } | null;

				// At the emulator: exactly what the good inputs asked for, nothing from the bad ones.
				const calls = proxy.calls.map((c) => `${c.method} ${c.path} ${c.status}`);
				expect(calls.filter((c) => !c.startsWith('GET /v1/webhooks'))).toEqual([
					'POST /v1/messages/send 200',
					'POST /v1/messages/send-template 200',
					'POST /v1/clients/signup 201',
					'GET /v1/clients 200',
					'PUT /v1/webhooks 200',
				]);
				const messages = emulator.admin.messages().slice(before.messages);
				expect(messages.map((m) => [m.type, m.to])).toEqual([
					['text', GOOD.to],
					['template', GOOD.to],
				]);
				expect(messages[0].body).toMatchObject({ text: { body: GOOD.text } });
				expect(messages[1].body).toMatchObject({
					template: { name: GOOD.template, parameters: ['#2001', 'shipped'] },
				});
				expect(
					emulator.admin
						.clients()
						.slice(before.clients)
						.map((c) => c.phone_number_id),
				).toEqual([GOOD.phone]);
				expect(emulator.admin.webhookConfig()).toEqual({ url: GOOD.url, events: ['message.read'] });
				const putBodies = proxy.calls.filter((c) => c.method === 'PUT').map((c) => c.body);
				expect(JSON.stringify(putBodies)).not.toContain(BAD_URL);
				// Webhook Get: the good key's GET answered 200, the wrong key's refused with 401.
				expect(
					proxy.calls
						.filter((c) => c.method === 'GET' && c.path === '/v1/webhooks')
						.map((c) => c.status)
						.sort(),
				).toEqual([200, 200, 401, 401]);

				// In n8n: the good item's result, the bad item's error naming the field.
				expect(out('Send')[0]).toMatchObject({ id: expect.stringMatching(/^msg_/) });
				expect(out('Send Template')[0]).toMatchObject({ id: expect.stringMatching(/^msg_/) });
				expect(out('Onboard')[0]).toMatchObject({ phone_number_id: GOOD.phone });
				expect(out('Get Many').length).toBeGreaterThanOrEqual(GOOD.limit);
				expect(out('Get Webhook')[0]).toMatchObject({ events: expect.any(Array) });
				expect(failedOn('Send')?.message).toMatch(/\bto\b.*must not be empty/i);
				expect(failedOn('Send Template')?.message).toMatch(/template/i);
				expect(failedOn('Onboard')?.message).toMatch(/business/i);
				expect(failedOn('Update Webhook')?.message).toMatch(/url/i);
				expect(JSON.stringify(out('Get Many'))).toMatch(/limit/i);
				expect(JSON.stringify(out('Get Webhook (wrong key)'))).toMatch(/401|key/i);
				expect(JSON.stringify(execution)).not.toContain(API_KEY);
			}
		}, 180_000);
	});

	// Each test imports and activates its own copy of the example (a fresh webhook id) and
	// deactivates it, so none depends on another's state or order.
	describe('trigger', () => {
		const PREVIOUS = { url: 'http://127.0.0.1:9/previous-receiver', events: ['message.delivered'] };

		const putWebhook = async (config: { url: string; events: string[] }) => {
			const put = await fetch(`${emulator.baseUrl}/webhooks`, {
				method: 'PUT',
				headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
				body: JSON.stringify(config),
			});
			expect(put.status).toBe(200);
		};
		const importCopy = async (label: string, parameters: object = {}) => {
			const example = loadExample('intelliportal-status-trigger.json');
			const webhookId = randomUUID();
			let events: string[] = [];
			for (const node of example.nodes) {
				if (!node.type.endsWith('.intelliPortalTrigger')) continue;
				node.webhookId = webhookId;
				node.parameters = { ...(node.parameters as object), ...parameters };
				events = (node.parameters as { events: string[] }).events;
			}
			const workflow = await n8n.importWorkflow(
				{ ...example, name: `${example.name} ${label}` },
				{ credentials: { [CREDENTIAL_TYPE]: credential } },
			);
			return { id: workflow.id, url: `${n8n.webhookBaseUrl}webhook/${webhookId}/webhook`, events };
		};
		/** Someone else's configuration first, then a fresh copy of the example activated. */
		const activatedAfterPrevious = async (label: string) => {
			await putWebhook(PREVIOUS);
			const copy = await importCopy(label);
			proxy.calls.length = 0;
			await n8n.activate(copy.id);
			return copy;
		};
		const webhookPuts = () =>
			proxy.calls.filter((c) => c.method === 'PUT' && c.path === '/v1/webhooks');

		test('activation points the account webhook at n8n (after saving the previous configuration)', async () => {
			const trigger = await activatedAfterPrevious('activation');
			try {
				const puts = webhookPuts();
				expect(puts).toHaveLength(1);
				expect(puts[0].authorization).toBe(`Bearer ${API_KEY}`);
				const registered = (puts[0].body as { url: string }).url;
				expect([...((puts[0].body as { events?: string[] }).events ?? [])].sort()).toEqual(
					[...trigger.events].sort(),
				);
				expect(withoutQuery(registered)).toBe(trigger.url);
				expect(emulator.admin.webhookConfig().url).toBe(registered);
			} finally {
				await n8n.deactivate(trigger.id);
			}
		}, 60_000);

		test('a status event from the API starts an execution carrying the event', async () => {
			const trigger = await activatedAfterPrevious('status event');
			try {
				const registered = String(emulator.admin.webhookConfig().url);
				const event = emulator.admin.emitEvent('message.delivered', {
					message_id: 'msg_e2e_1',
					client_ref: 'acme-bakery',
					to: '+14155550123',
					channel: 'whatsapp',
					status: 'delivered',
				});
				// The emulator delivered it to n8n's webhook URL and n8n answered 2xx.
				await emulator.admin.webhooksIdle();
				const delivery = emulator.admin.webhookDeliveries().find((d) => d.event.id === event.id);
				expect({
					url: delivery?.url,
					state: delivery?.state,
					attempts: delivery?.attempts.map((a) => a.status ?? a.error),
				}).toEqual({ url: registered, state: 'delivered', attempts: [200] });

				const executions = await n8n.waitForExecutions(
					trigger.id,
					(list) => list.length >= 1,
					30_000,
				);
				expect(executions[0].status).toBe('success');
				const [received] = nodeOutput(executions[0], 'IntelliPortal Trigger');
				expect(received).toMatchObject({ id: event.id, type: 'message.delivered' });
				const [mapped] = nodeOutput(executions[0], 'Status update');
				expect(mapped).toEqual({
					event: 'message.delivered',
					message_id: 'msg_e2e_1',
					to: '+14155550123',
					status: 'delivered',
				});
			} finally {
				await n8n.deactivate(trigger.id);
			}
		}, 60_000);

		test('deactivation restores the previous webhook configuration', async () => {
			const trigger = await activatedAfterPrevious('deactivation');
			proxy.calls.length = 0;
			await n8n.deactivate(trigger.id);
			expect(emulator.admin.webhookConfig()).toEqual(PREVIOUS);
			const puts = webhookPuts();
			expect(puts).toHaveLength(1);
			expect(puts[0].body).toMatchObject({ url: PREVIOUS.url });
		}, 60_000);

		test('deactivation never touches a URL that is not ours', async () => {
			const trigger = await activatedAfterPrevious('foreign');
			expect(withoutQuery(String(emulator.admin.webhookConfig().url))).toBe(trigger.url);
			// Another integration takes the account webhook over while the workflow is active.
			const foreign = { url: 'http://127.0.0.1:9/another-integration', events: ['message.read'] };
			await putWebhook(foreign);
			proxy.calls.length = 0;

			await n8n.deactivate(trigger.id);
			expect(emulator.admin.webhookConfig()).toEqual(foreign);
			expect(proxy.calls.filter((c) => c.method === 'PUT')).toHaveLength(0);
			expect(n8n.logs()).not.toContain(API_KEY);
		}, 60_000);

		test('a chain of take-overs: A replaces foreign F, B replaces A, A stops, B stops → F is back', async () => {
			// Before the one ownership rule this ended on A's dead URL with every event on.
			const F = { url: 'http://127.0.0.1:9/chain-foreign', events: ['message.failed'] };
			await putWebhook(F);
			const a = await importCopy('chain A', { replaceExisting: true });
			const b = await importCopy('chain B', { replaceExisting: true });
			const holder = () => withoutQuery(String(emulator.admin.webhookConfig().url));

			await n8n.activate(a.id);
			expect(holder()).toBe(a.url);
			await n8n.activate(b.id);
			expect(holder()).toBe(b.url);
			await n8n.deactivate(a.id);
			expect(holder()).toBe(b.url);
			await n8n.deactivate(b.id);
			expect(emulator.admin.webhookConfig()).toEqual(F);
		}, 120_000);
	});
});
