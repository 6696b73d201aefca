/**
 * The IntelliPortal action node executed by n8n's real engine (WorkflowExecute → ExecuteContext →
 * httpRequestWithAuthentication with the credential's generic bearer auth) against the sandbox
 * emulator.
 */
import { API_KEY, contractRequests, startEnv } from './helpers';
import type { TestEnv } from './helpers';

let env: TestEnv;

beforeAll(async () => {
	env = await startEnv({ seedClients: 0 });
});

afterAll(async () => {
	await env?.stop();
});

beforeEach(() => {
	env.emulator.admin.reset();
	env.harness.setCredentials({
		intelliPortalApi: { apiKey: API_KEY, environment: 'custom', baseUrl: env.emulator.baseUrl },
	});
});

const clientRef = (value: string) => ({ __rl: true, mode: 'id', value });

function expectNoSecret(value: unknown) {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	expect(text).not.toContain(API_KEY);
	expect(text).not.toContain(API_KEY.slice('ik_test_'.length));
}

describe('Message → Send', () => {
	it('sends a text message per item with the bearer key, output in input order', async () => {
		const node = env.actionNode({
			resource: 'message',
			operation: 'send',
			clientRef: clientRef('={{ $json.client }}'),
			to: '={{ $json.to }}',
			messageType: 'text',
			textBody: '=Hello {{ $json.name }}',
		});
		const input = [
			{ client: 'cl_a', to: '+14155550101', name: 'Ana' },
			{ client: 'cl_b', to: '+14155550102', name: 'Bo' },
			{ client: 'cl_a', to: '+14155550103', name: 'Cy' },
		];
		const { items, error } = await env.harness.runNode(node, input);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);

		const messages = env.emulator.admin.messages();
		expect(messages).toHaveLength(3);
		const byId = new Map(messages.map((m) => [m.id, m]));
		items!.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toMatchObject({ status: 'queued' });
			const sent = byId.get(item.json.id as string)!;
			expect(sent.body).toEqual({
				client_ref: input[i].client,
				to: input[i].to,
				type: 'text',
				text: { body: `Hello ${input[i].name}` },
			});
		});

		const requests = contractRequests(env.emulator);
		expect(requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(
			Array(3).fill('POST /v1/messages/send 200'),
		);
		for (const request of requests) expect(request.headers.authorization).toBe('Bearer [redacted]');
	});

	it('mixed: To is an expression, Text is fixed: To resolves per item, Text is the same', async () => {
		const node = env.actionNode({
			resource: 'message',
			operation: 'send',
			clientRef: clientRef('cl_a'),
			to: '={{ $json.to }}',
			messageType: 'text',
			textBody: 'Same for all',
		});
		const input = ['+14155550101', '+14155550102', '+14155550103'].map((to) => ({ to }));
		const { items, error } = await env.harness.runNode(node, input);
		expect(error).toBeUndefined();
		const byId = new Map(env.emulator.admin.messages().map((m) => [m.id, m.body]));
		expect(items!.map((item) => byId.get(item.json.id as string))).toEqual(
			input.map(({ to }) => ({
				client_ref: 'cl_a',
				to,
				type: 'text',
				text: { body: 'Same for all' },
			})),
		);
	});

	it('sends media with a caption', async () => {
		const node = env.actionNode({
			resource: 'message',
			operation: 'send',
			clientRef: { __rl: true, mode: 'list', value: 'cl_media', cachedResultName: 'Media Co' },
			to: '+14155550111',
			messageType: 'media',
			mediaUrl: 'https://cdn.example.com/brochure.pdf',
			mediaCaption: 'Our brochure',
		});
		const { items, error } = await env.harness.runNode(node, [{}]);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(env.emulator.admin.messages()[0].body).toEqual({
			client_ref: 'cl_media',
			to: '+14155550111',
			type: 'media',
			media: { url: 'https://cdn.example.com/brochure.pdf', caption: 'Our brochure' },
		});
	});

	it('sends many items concurrently through a rate limit: each exactly once, in order', async () => {
		env.emulator.admin.config({ rateLimitRps: 10, rateLimitBurst: 5 });
		const node = env.actionNode({
			resource: 'message',
			operation: 'send',
			clientRef: clientRef('cl_bulk'),
			to: '={{ $json.to }}',
			messageType: 'text',
			textBody: '=Item {{ $json.n }}',
			options: { concurrency: 5 },
		});
		const input = Array.from({ length: 20 }, (_, n) => ({ n, to: `+1415555${String(1000 + n)}` }));
		const { items, error } = await env.harness.runNode(node, input);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(20);
		const messages = env.emulator.admin.messages();
		expect(messages).toHaveLength(20);
		const byId = new Map(messages.map((m) => [m.id, m]));
		items!.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(byId.get(item.json.id as string)?.to).toBe(input[i].to);
		});
		// The limit was hit and absorbed (429s retried after Retry-After), nothing lost or doubled.
		expect(env.emulator.admin.counters().rateLimited).toBeGreaterThan(0);
		expect(new Set(messages.map((m) => m.to)).size).toBe(20);
	}, 30_000);

	it('does not retry a send whose connection broke after the server processed it', async () => {
		env.emulator.admin.config({ faultResetAfter: 1 });
		const node = env.actionNode({
			resource: 'message',
			operation: 'send',
			clientRef: clientRef('cl_a'),
			to: '+14155550199',
			messageType: 'text',
			textBody: 'Only once',
		});
		const { error } = await env.harness.runNode(node, [{}]);
		expect(error).toBeDefined();
		// The server accepted it once; the node did not send it again.
		expect(env.emulator.admin.messages()).toHaveLength(1);
		expect(contractRequests(env.emulator)).toHaveLength(1);
		expect(String(error!.description)).toMatch(/may have reached IntelliPortal/);
		expectNoSecret(error);
	});

	it('Timeout option: a send slower than it is reported as "may have been sent" and not repeated', async () => {
		env.emulator.admin.config({ faultSlow: 1, slowMs: 1500 });
		try {
			const node = env.actionNode({
				resource: 'message',
				operation: 'send',
				clientRef: clientRef('cl_a'),
				to: '+14155550198',
				messageType: 'text',
				textBody: 'Slow',
				options: { timeout: 300 },
			});
			node.onError = 'continueRegularOutput';
			const { items } = await env.harness.runNode(node, [{}]);
			// it gave up at its own timeout (300 ms), not at the server's 1 500 ms answer
			expect(items![0].json.error).toMatchObject({
				mayHaveBeenSent: true,
				message: expect.stringContaining('did not answer within 300 ms'),
			});
			// It was processed (the emulator holds the answer back) and not sent a second time
			// (a second POST would be processed at once, before the node gave up).
			expect(env.emulator.admin.messages()).toHaveLength(1);
		} finally {
			env.emulator.admin.config({ faultSlow: 0 });
		}
	});

	it('Timeout option: a value that is not a whole number of milliseconds >= 1 names the field, nothing sent', async () => {
		for (const timeout of [0, -5, 1.5, '={{ "soon" }}']) {
			const node = env.actionNode({
				resource: 'message',
				operation: 'send',
				clientRef: clientRef('cl_a'),
				to: '+14155550197',
				messageType: 'text',
				textBody: 'Never',
				options: { timeout },
			});
			const { error } = await env.harness.runNode(node, [{}]);
			expect(error?.name).toBe('NodeOperationError');
			expect(error!.message).toMatch(/"Timeout"/);
		}
		expect(contractRequests(env.emulator)).toHaveLength(0);
	});
});

describe('Message → Send Template', () => {
	it('sends the template with its ordered parameters and language', async () => {
		const node = env.actionNode({
			resource: 'message',
			operation: 'sendTemplate',
			clientRef: clientRef('cl_t'),
			to: '+14155550120',
			templateName: 'order_update',
			languageCode: 'es',
			templateParameters: { parameter: [{ value: '#1042' }, { value: '={{ $json.state }}' }] },
		});
		const { items, error } = await env.harness.runNode(node, [{ state: 'enviado' }]);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(env.emulator.admin.messages()[0].body).toEqual({
			client_ref: 'cl_t',
			to: '+14155550120',
			template: {
				name: 'order_update',
				language: { code: 'es' },
				parameters: ['#1042', 'enviado'],
			},
		});
		expect(contractRequests(env.emulator)[0]).toMatchObject({
			method: 'POST',
			path: '/v1/messages/send-template',
			status: 200,
		});
	});
});

describe('Client', () => {
	it('onboards a client', async () => {
		const node = env.actionNode({
			resource: 'client',
			operation: 'onboard',
			businessName: 'Acme Coffee',
			phoneNumberId: '106540352242922',
			additionalFields: { wabaId: 'waba_77', callbackUrl: 'https://acme.example.com/cb' },
		});
		const { items, error } = await env.harness.runNode(node, [{}]);
		expect(error).toBeUndefined();
		expect(items![0].json).toMatchObject({
			business_name: 'Acme Coffee',
			phone_number_id: '106540352242922',
			waba_id: 'waba_77',
			callback_url: 'https://acme.example.com/cb',
		});
		expect(env.emulator.admin.clients().map((c) => c.phone_number_id)).toEqual(['106540352242922']);
		expect(contractRequests(env.emulator)[0]).toMatchObject({
			method: 'POST',
			path: '/v1/clients/signup',
			status: 201,
		});
	});

	it('Get Many with Return All pages through every client', async () => {
		env.emulator.admin.seedClients(130);
		const node = env.actionNode({ resource: 'client', operation: 'getAll', returnAll: true });
		const { items, error } = await env.harness.runNode(node, [{}]);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(130);
		expect(new Set(items!.map((i) => i.json.id)).size).toBe(130);
		expect(items!.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
		const pages = contractRequests(env.emulator).filter((r) => r.path === '/v1/clients');
		expect(pages.length).toBeGreaterThan(1);
		const offsets = pages.map((r) => new URLSearchParams(r.query).get('offset') ?? '0');
		expect(new Set(offsets).size).toBe(pages.length);
	});

	it('Get Many with a limit returns exactly that many', async () => {
		env.emulator.admin.seedClients(30);
		const node = env.actionNode({
			resource: 'client',
			operation: 'getAll',
			returnAll: false,
			limit: 7,
		});
		const { items, error } = await env.harness.runNode(node, [{}]);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(7);
	});
});

describe('Webhook', () => {
	it('updates and reads the configuration', async () => {
		const update = env.actionNode({
			resource: 'webhook',
			operation: 'update',
			url: 'https://hooks.example.com/ip',
			events: ['message.delivered', 'message.failed'],
		});
		const updated = await env.harness.runNode(update, [{}]);
		expect(updated.error).toBeUndefined();
		expect(env.emulator.admin.webhookConfig()).toEqual({
			url: 'https://hooks.example.com/ip',
			events: ['message.delivered', 'message.failed'],
		});
		const get = env.actionNode({ resource: 'webhook', operation: 'get' });
		const read = await env.harness.runNode(get, [{}]);
		expect(read.items![0].json).toEqual({
			url: 'https://hooks.example.com/ip',
			events: ['message.delivered', 'message.failed'],
			secretSet: false,
		});
		expect(contractRequests(env.emulator).map((r) => `${r.method} ${r.path}`)).toEqual([
			'PUT /v1/webhooks',
			'GET /v1/webhooks',
		]);
	});

	it.each([1, 2])(
		'v%i: Get and Update Configuration show that a delivery secret is set, never its value',
		async (typeVersion) => {
			const secret = 'c0ffee'.repeat(8);
			const url = `https://n8n.example.com/webhook/abc/webhook?ip_secret=${secret}`;
			const update = env.actionNode({
				resource: 'webhook',
				operation: 'update',
				url,
				events: ['message.read'],
			});
			update.typeVersion = typeVersion;
			const updated = await env.harness.runNode(update, [{}]);
			const get = env.actionNode({ resource: 'webhook', operation: 'get' });
			get.typeVersion = typeVersion;
			const read = await env.harness.runNode(get, [{}]);
			for (const output of [updated.items![0].json, read.items![0].json]) {
				expect(output).toEqual({
					url: 'https://n8n.example.com/webhook/abc/webhook',
					events: ['message.read'],
					secretSet: true,
				});
				expect(JSON.stringify(output)).not.toContain(secret);
			}
			expect(env.emulator.admin.webhookConfig().url).toBe(url);
		},
	);
});

describe('errors', () => {
	const templateNode = (overrides: Record<string, unknown> = {}) =>
		env.actionNode({
			resource: 'message',
			operation: 'sendTemplate',
			clientRef: clientRef('cl_e'),
			to: '+14155550130',
			templateName: '={{ $json.template }}',
			languageCode: 'en',
			templateParameters: { parameter: [{ value: 'Ana' }] },
			...overrides,
		});

	it('continueOnFail: one error item per failed item, the others go through', async () => {
		const node = templateNode();
		node.onError = 'continueRegularOutput';
		const { items, error } = await env.harness.runNode(node, [
			{ template: 'welcome' },
			{ template: 'no_such_template' },
			{ template: '' },
			{ template: 'welcome' },
		]);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(4);
		expect(items!.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(items![0].json.id).toBeDefined();
		expect(items![3].json.id).toBeDefined();
		expect(items![1].json.error).toMatchObject({
			message: "Template 'no_such_template' not found",
			retryable: false,
			mayHaveBeenSent: false,
		});
		expect(items![2].json.error).toMatchObject({ retryable: false, mayHaveBeenSent: false });
		expect((items![2].json.error as { message: string }).message).toBe(
			'"Template Name" must not be empty',
		);
		expect(items![2].json.error).toMatchObject({ field: 'template.name' });
		expect(env.emulator.admin.messages()).toHaveLength(2);
		expectNoSecret(items);
	});

	it('404: NodeApiError on the failing item with the server message', async () => {
		const { items, error } = await env.harness.runNode(templateNode(), [
			{ template: 'welcome' },
			{ template: 'no_such_template' },
		]);
		expect(items).toBeUndefined();
		expect(error).toBeDefined();
		expect(error!.name).toBe('NodeApiError');
		expect(error!.message).toBe("Template 'no_such_template' not found");
		expect(error!.httpCode).toBe('404');
		expect((error!.context as { itemIndex?: number }).itemIndex).toBe(1);
		expect(String(error!.description)).toMatch(/1 of 2 messages of this run were sent/);
		expectNoSecret(error);
		expectNoSecret(error!.description);
	});

	it('400 from the server: NodeApiError naming the field', async () => {
		const node = templateNode({ templateParameters: {} });
		const { error } = await env.harness.runNode(node, [{ template: 'welcome' }]);
		expect(error!.name).toBe('NodeApiError');
		expect(error!.httpCode).toBe('400');
		expect(error!.message).toMatch(/template\.parameters/);
		expect((error!.context as { itemIndex?: number }).itemIndex).toBe(0);
	});

	it('client-side validation: NodeOperationError naming the field, nothing sent', async () => {
		const node = env.actionNode({
			resource: 'message',
			operation: 'send',
			clientRef: clientRef('cl_v'),
			to: '+14155550140',
			messageType: 'text',
			textBody: '={{ $json.text }}',
		});
		const { error } = await env.harness.runNode(node, [{ text: 'fine' }, { text: '' }]);
		expect(error!.name).toBe('NodeOperationError');
		// Named as the editor shows the field; the API's path is in the description.
		expect(error!.message).toBe('"Text" must not be empty');
		expect(String(error!.description)).toMatch(/API field: text\.body/);
		expect((error!.context as { itemIndex?: number }).itemIndex).toBe(1);
		expect(env.emulator.admin.messages()).toHaveLength(1);
	});

	it('409: duplicate onboarding', async () => {
		const node = env.actionNode({
			resource: 'client',
			operation: 'onboard',
			businessName: 'Dup',
			phoneNumberId: '555000111',
		});
		await env.harness.runNode(node, [{}]);
		const { error } = await env.harness.runNode(node, [{}]);
		expect(error!.name).toBe('NodeApiError');
		expect(error!.httpCode).toBe('409');
		expect(error!.message).toBe("A client with phone_number_id '555000111' already exists");
	});

	it('401: a wrong key is reported without revealing it', async () => {
		const wrongKey = 'ik_test_x';
		env.harness.setCredentials({
			intelliPortalApi: { apiKey: wrongKey, environment: 'custom', baseUrl: env.emulator.baseUrl },
		});
		const node = env.actionNode({ resource: 'webhook', operation: 'get' });
		const { error, run } = await env.harness.runNode(node, [{}]);
		expect(error!.name).toBe('NodeApiError');
		expect(error!.httpCode).toBe('401');
		expect(String(error!.description)).toMatch(/API key/);
		const serialized = JSON.stringify(run);
		expect(serialized).not.toContain(`Bearer ${wrongKey}`);
		expect(JSON.stringify(error)).not.toContain(wrongKey);
	});

	it('never puts the key into the run data, errors or error items', async () => {
		env.emulator.admin.config({ fault500: 1 });
		const node = env.actionNode({
			resource: 'client',
			operation: 'getAll',
			returnAll: false,
			limit: 5,
		});
		const failed = await env.harness.runNode(node, [{}]);
		expect(failed.error).toBeDefined();
		expectNoSecret(failed.run);
		expectNoSecret(failed.error);
		expectNoSecret(failed.error!.stack);
		node.onError = 'continueRegularOutput';
		const continued = await env.harness.runNode(node, [{}, {}]);
		expect(continued.items).toHaveLength(2);
		expectNoSecret(continued.items);
	});
});

describe('resource locator: searchClients', () => {
	it('pages with the offset as token and filters by name or phone number ID', async () => {
		env.emulator.admin.seedClients(60);
		const clients = env.emulator.admin.clients();
		const node = env.actionNode({ resource: 'message', operation: 'send' });

		const first = await env.harness.listSearch(node, 'searchClients');
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toBe('50');
		expect(first.results[0]).toEqual({
			name: `${clients[0].business_name} (${clients[0].phone_number_id})`,
			value: clients[0].id,
		});
		const second = await env.harness.listSearch(
			node,
			'searchClients',
			undefined,
			first.paginationToken as string,
		);
		expect(second.results).toHaveLength(10);
		expect(second.paginationToken).toBeUndefined();
		expect(new Set([...first.results, ...second.results].map((r) => r.value)).size).toBe(60);

		const target = clients[57];
		const byPhone = await env.harness.listSearch(node, 'searchClients', target.phone_number_id);
		expect(byPhone.results.map((r) => r.value)).toContain(target.id);
		const byName = await env.harness.listSearch(
			node,
			'searchClients',
			target.business_name.toUpperCase(),
		);
		expect(byName.results.map((r) => r.value)).toContain(target.id);
	});
});

describe('credential test', () => {
	it('passes with a good key and explains a wrong key', async () => {
		const good = await env.harness.testCredential('intelliPortalApi', {
			apiKey: API_KEY,
			environment: 'custom',
			baseUrl: env.emulator.baseUrl,
		});
		expect(good).toEqual({ status: 'OK', message: 'Connection successful!' });
		const request = contractRequests(env.emulator).at(-1)!;
		expect(request).toMatchObject({ method: 'GET', path: '/v1/clients', status: 200 });
		expect(new URLSearchParams(request.query).get('limit')).toBe('1');
		expect(request.headers.authorization).toBe('Bearer [redacted]');

		const wrong = await env.harness.testCredential('intelliPortalApi', {
			apiKey: 'ik_test_nope',
			environment: 'custom',
			baseUrl: env.emulator.baseUrl,
		});
		expect(wrong.status).toBe('Error');
		expect(wrong.message).toMatch(/rejected the API key \(401\)/);
	});
});
