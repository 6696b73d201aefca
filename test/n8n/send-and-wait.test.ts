/**
 * Message → Send and Wait for Response (node version 2) in n8n's real engine: the description n8n
 * reads (operation, parameters, restart webhooks; version 1 untouched), the execution that sends
 * through the core to the emulator and goes to waiting with n8n's signed resume URLs in the
 * message, and the node's webhook answering the recipient through n8n-core's WebhookContext.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { InstanceSettings, WebhookContext, validateUrlSignature } from 'n8n-core';
import type { IDataObject, INode, IWebhookData, IWebhookResponseData } from 'n8n-workflow';
import { NodeHelpers, WAIT_INDEFINITELY, createRunExecutionData } from 'n8n-workflow';

// The node's entry first: it loads the version modules in the order n8n does.
import { IntelliPortal } from '../../nodes/IntelliPortal/IntelliPortal.node';
import { properties as v1Properties } from '../../nodes/IntelliPortal/v1/properties';
import { FakeResponse, makeAdditionalData } from './harness';
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

const NODE_ID = '5f0c6a1e-2b7d-4c41-9a3e-0d8f4e6b7a21';
const WAITING_BASE = 'http://127.0.0.1:5678/webhook-waiting';
const BROWSER =
	'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

function sendAndWaitNode(parameters: IDataObject = {}): INode {
	return env.actionNode(
		{
			resource: 'message',
			operation: 'sendAndWait',
			clientRef: { __rl: true, mode: 'id', value: 'cl_approvals' },
			to: '+14155550123',
			message: 'Can we confirm your appointment on Friday at 10:00?',
			...parameters,
		},
		{ id: NODE_ID, typeVersion: 2, name: 'Ask Confirmation' },
	);
}

function sentBodies(): string[] {
	return env.emulator.admin
		.messages()
		.map((m) => (m.body as { text?: { body?: string } }).text?.body ?? '');
}

/** "Label: URL" lines of a sent message. */
function linksOf(body: string): Array<{ label: string; url: URL }> {
	return [...body.matchAll(/^(.+): (http\S+)$/gm)].map((m) => ({
		label: m[1],
		url: new URL(m[2]),
	}));
}

/** n8n-core's own DI container (its nested @n8n/di), where the engine got its InstanceSettings. */
function hmacSecret(): string {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const di = require(require.resolve('@n8n/di', { paths: [require.resolve('n8n-core')] })) as {
		Container: { get<T>(type: new (...args: never[]) => T): T };
	};
	return di.Container.get(InstanceSettings).hmacSignatureSecret;
}

describe('description', () => {
	const v2 = new IntelliPortal().nodeVersions[2].description;
	const v1 = new IntelliPortal().nodeVersions[1].description;

	it('version 2 offers Send and Wait for Response (value sendAndWait) on Message; version 1 does not', () => {
		const operations = (version: typeof v2) =>
			version.properties
				.filter(
					(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.[0] === 'message',
				)
				.flatMap((p) => (p.options ?? []).map((o) => (o as { value: string }).value));
		expect(operations(v2)).toEqual(['send', 'sendTemplate', 'sendAndWait']);
		expect(operations(v1)).toEqual(['send', 'sendTemplate']);
		expect(v1.properties).toBe(v1Properties);
	});

	it('version 2 declares the restart webhooks n8n resumes waiting executions with (GET and POST at the node id); version 1 has none', () => {
		expect(v2.webhooks).toEqual([
			expect.objectContaining({
				httpMethod: 'GET',
				path: '={{ $nodeId }}',
				restartWebhook: true,
				isFullPath: true,
			}),
			expect.objectContaining({
				httpMethod: 'POST',
				path: '={{ $nodeId }}',
				restartWebhook: true,
				isFullPath: true,
			}),
		]);
		expect(v1.webhooks).toBeUndefined();
		expect(new IntelliPortal().nodeVersions[1].webhook).toBeUndefined();
		expect(typeof new IntelliPortal().nodeVersions[2].webhook).toBe('function');
	});

	it("shows Client, To, Message, Response Type, Approval Options and Limit Wait Time for sendAndWait, with the built-in nodes' parameter names", () => {
		const shown = v2.properties.filter((p) =>
			(p.displayOptions?.show?.operation as string[] | undefined)?.includes('sendAndWait'),
		);
		expect([...new Set(shown.map((p) => p.name))]).toEqual([
			'retryNotice',
			'clientRef',
			'to',
			'message',
			'responseType',
			'approvalOptions',
			'options',
		]);
		const approval = shown.find((p) => p.name === 'approvalOptions') as unknown as {
			options: Array<{ values: Array<{ name: string; default: unknown }> }>;
		};
		expect(approval.options[0].values.map((v) => [v.name, v.default])).toEqual([
			['approvalType', 'single'],
			['approveLabel', 'Approve'],
			['disapproveLabel', 'Decline'],
		]);
		for (const options of shown.filter((p) => p.name === 'options')) {
			const names = (options.options ?? []).map((o) => (o as { name: string }).name);
			expect(names).toContain('limitWaitTime');
		}
		// The sends' Client and To are shared, not duplicated: one property each.
		expect(v2.properties.filter((p) => p.name === 'clientRef')).toHaveLength(1);
		expect(v2.properties.filter((p) => p.name === 'to')).toHaveLength(1);
	});
});

describe('execution: sends through the core, then waits', () => {
	it('Approval (one link): one message with the text and an "Approve: <signed URL>" line, execution waiting indefinitely, nothing output yet', async () => {
		const { run, error } = await env.harness.runNode(sendAndWaitNode(), [{ id: 1 }]);
		expect(error).toBeUndefined();
		expect(run.status).toBe('waiting');
		expect(run.waitTill).toEqual(WAIT_INDEFINITELY);

		const requests = contractRequests(env.emulator);
		expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/messages/send']);
		const [message] = env.emulator.admin.messages();
		expect(message).toMatchObject({ client_ref: 'cl_approvals', to: '+14155550123', type: 'text' });
		const body = sentBodies()[0];
		const links = linksOf(body);
		expect(body).toBe(
			`Can we confirm your appointment on Friday at 10:00?\n\nApprove: ${links[0].url.toString()}`,
		);
		expect(links.map((l) => l.label)).toEqual(['Approve']);
		const url = links[0].url;
		expect(`${url.origin}${url.pathname}`).toBe(`${WAITING_BASE}/1/${NODE_ID}`);
		expect(url.searchParams.get('approved')).toBe('true');
		// n8n's own check of the link (n8n-core validateUrlSignature with the instance secret).
		expect(validateUrlSignature(url.searchParams.get('signature')!, url, hmacSecret())).toBe(true);
		const tampered = new URL(url);
		tampered.searchParams.set('approved', 'false');
		expect(validateUrlSignature(url.searchParams.get('signature')!, tampered, hmacSecret())).toBe(
			false,
		);
	});

	it('Approval (two links, custom labels): "Yes, confirm" approves and "No, cancel" declines, each signed', async () => {
		const { run } = await env.harness.runNode(
			sendAndWaitNode({
				approvalOptions: {
					values: {
						approvalType: 'double',
						approveLabel: 'Yes, confirm',
						disapproveLabel: 'No,\ncancel',
					},
				},
			}),
			[{}],
		);
		expect(run.status).toBe('waiting');
		const links = linksOf(sentBodies()[0]);
		expect(links.map((l) => [l.label, l.url.searchParams.get('approved')])).toEqual([
			['Yes, confirm', 'true'],
			['No, cancel', 'false'],
		]);
		for (const { url } of links) {
			expect(validateUrlSignature(url.searchParams.get('signature')!, url, hmacSecret())).toBe(
				true,
			);
		}
	});

	it('Free Text: one "Respond" link (label configurable) to the node\'s waiting webhook, signed, without an approved parameter', async () => {
		await env.harness.runNode(
			sendAndWaitNode({ responseType: 'freeText', options: { messageButtonLabel: 'Reply here' } }),
			[{}],
		);
		const links = linksOf(sentBodies()[0]);
		expect(links.map((l) => l.label)).toEqual(['Reply here']);
		const url = links[0].url;
		expect([...url.searchParams.keys()]).toEqual(['signature']);
		expect(validateUrlSignature(url.searchParams.get('signature')!, url, hmacSecret())).toBe(true);
	});

	it('Limit Wait Time after an interval: waits until now + 45 minutes (the built-in default when the option is added)', async () => {
		const before = Date.now();
		const { run } = await env.harness.runNode(
			sendAndWaitNode({
				options: {
					limitWaitTime: {
						values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' },
					},
				},
			}),
			[{}],
		);
		const until = new Date(run.waitTill!).getTime();
		expect(until).toBeGreaterThanOrEqual(before + 45 * 60_000);
		expect(until).toBeLessThanOrEqual(Date.now() + 45 * 60_000);
	});

	it('Limit Wait Time at a date and time: waits until exactly then', async () => {
		const at = new Date(Date.now() + 3 * 86_400_000);
		at.setMilliseconds(0);
		const { run } = await env.harness.runNode(
			sendAndWaitNode({
				options: {
					limitWaitTime: {
						values: { limitType: 'atSpecifiedTime', maxDateAndTime: at.toISOString() },
					},
				},
			}),
			[{}],
		);
		expect(new Date(run.waitTill!).toISOString()).toBe(at.toISOString());
	});

	it.each([
		[
			'a date and time in the past',
			{ limitType: 'atSpecifiedTime', maxDateAndTime: '2020-01-01T00:00:00Z' },
			/"Limit Wait Time" has a "Max Date and Time" in the past/,
		],
		[
			'an unreadable date',
			{ limitType: 'atSpecifiedTime', maxDateAndTime: 'next friday' },
			/"Limit Wait Time" must have a valid "Max Date and Time"/,
		],
		[
			'an amount of 0',
			{ limitType: 'afterTimeInterval', resumeAmount: 0, resumeUnit: 'hours' },
			/"Limit Wait Time" must have an amount greater than 0/,
		],
	])('a limit with %s fails the node before anything is sent', async (_, values, message) => {
		const { run, error } = await env.harness.runNode(
			sendAndWaitNode({ options: { limitWaitTime: { values } } }),
			[{}],
		);
		expect(error?.message).toMatch(message);
		expect(run.status).not.toBe('waiting');
		expect(contractRequests(env.emulator)).toHaveLength(0);
	});

	it.each([
		['an empty Message', { message: '  ' }, /^"Message" must not be empty$/],
		[
			'a Message too long once the links are added',
			{ message: 'x'.repeat(4000) },
			/^"Message" is too long: with the response links added the message has \d+ characters, at most 4096 can be sent$/,
		],
		['a To expression that resolves to nothing (checked by the core)', { to: '={{ "" }}' }, /"To"/],
		[
			'a Client expression that resolves to nothing (checked by the core)',
			{ clientRef: { __rl: true, mode: 'id', value: '={{ "" }}' } },
			/"Client"/,
		],
	])('%s fails the node naming the field, before any request', async (_, parameters, message) => {
		const { run, error } = await env.harness.runNode(sendAndWaitNode(parameters), [{}]);
		expect(error?.message).toMatch(message);
		expect(run.status).not.toBe('waiting');
		expect(contractRequests(env.emulator)).toHaveLength(0);
	});

	it('more than one input item fails the node (one recipient per execution) before anything is sent', async () => {
		const { error } = await env.harness.runNode(sendAndWaitNode(), [{ a: 1 }, { a: 2 }]);
		expect(error?.message).toBe(
			'Send and Wait for Response asks one recipient per execution, but 2 items came in',
		);
		expect(contractRequests(env.emulator)).toHaveLength(0);
	});

	it('a 429 (rate limit) is waited out and the message goes once; the execution then waits', async () => {
		env.emulator.admin.config({ rateLimitRps: 1, rateLimitBurst: 1 });
		// Another send of the account takes the only token: Send and Wait's send gets a 429 first.
		await env.harness.runNode(
			env.actionNode({
				resource: 'message',
				operation: 'send',
				clientRef: { __rl: true, mode: 'id', value: 'cl_other' },
				to: '+14155550999',
				messageType: 'text',
				textBody: 'first',
			}),
			[{}],
		);
		const { run, error } = await env.harness.runNode(sendAndWaitNode(), [{}]);
		expect(error).toBeUndefined();
		expect(run.status).toBe('waiting');
		const statuses = contractRequests(env.emulator).map((r) => r.status);
		expect(statuses).toContain(429);
		expect(env.emulator.admin.messages().map((m) => m.client_ref)).toEqual([
			'cl_other',
			'cl_approvals',
		]);
	});

	it('a 500 after the send is "may have been sent": not retried, no wait, the key nowhere in the error', async () => {
		env.emulator.admin.config({ fault500: 1 });
		const { run, error } = await env.harness.runNode(sendAndWaitNode(), [{}]);
		expect(run.status).not.toBe('waiting');
		expect(contractRequests(env.emulator)).toHaveLength(1);
		expect(error?.description).toMatch(/may have reached IntelliPortal/);
		const text = JSON.stringify({
			message: error?.message,
			description: error?.description,
			run: run.data,
		});
		expect(text).not.toContain(API_KEY);
	});

	it('with "Continue On Fail" a failed send becomes an error item and the execution does not wait', async () => {
		env.emulator.admin.config({ fault500: 1 });
		const node = sendAndWaitNode();
		node.onError = 'continueRegularOutput';
		const { run, items } = await env.harness.runNode(node, [{}]);
		expect(run.status).not.toBe('waiting');
		expect(items?.[0].json.error).toMatchObject({ mayHaveBeenSent: true });
	});
});

/** Calls the node's webhook as n8n's waiting-webhook handler does after checking the signature. */
async function callWebhook(
	node: INode,
	request: {
		method: 'GET' | 'POST';
		query?: Record<string, string>;
		body?: unknown;
		userAgent?: string | null;
		/** The waiting node's input items (what its expressions see), as n8n keeps them. */
		input?: IDataObject[];
	},
): Promise<{ result: IWebhookResponseData; response: FakeResponse; html: string }> {
	const workflow = env.harness.makeWorkflow(node);
	const nodeType = env.harness.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const description = nodeType.description.webhooks!.find((w) => w.httpMethod === request.method)!;
	const headers: Record<string, string> = {};
	if (request.userAgent !== null) headers['user-agent'] = request.userAgent ?? BROWSER;
	if (request.method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded';
	const req = {
		method: request.method,
		headers,
		query: request.query ?? {},
		body: request.body ?? {},
		params: {},
	};
	const response = new FakeResponse();
	const additionalData = makeAdditionalData(env.harness.credentialsHelper, {
		httpRequest: req as never,
		httpResponse: response as never,
	});
	const webhookData = {
		httpMethod: request.method,
		node: node.name,
		path: node.id,
		webhookDescription: description,
		workflowId: workflow.id,
		isTest: false,
		workflowExecuteAdditionalData: additionalData,
	} as IWebhookData;
	// The waiting execution: this node first on the stack with its input (n8n's WaitingWebhooks).
	const waiting = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node,
					data: { main: [(request.input ?? [{}]).map((json) => ({ json }))] },
					source: null,
				},
			],
		},
	});
	const context = new WebhookContext(
		workflow,
		node,
		additionalData,
		'webhook',
		webhookData,
		[],
		waiting,
	);
	const result = await nodeType.webhook!.call(context);
	// A page that resumes is handed to n8n (result.webhookResponse), the others are sent at once.
	expect(response.ended).toBe(result.webhookResponse === undefined);
	const html = String(result.webhookResponse ?? response.body ?? '');
	return { result, response, html };
}

function expectSafePage(response: FakeResponse, html: string) {
	expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
	expect(response.headers['content-security-policy']).toContain("default-src 'none'");
	expect(response.headers['referrer-policy']).toBe('no-referrer');
	expect(response.headers['cache-control']).toBe('no-store');
	expect(html).not.toContain(API_KEY);
	// Nothing of the workflow beyond the message: no node, workflow, client, recipient or n8n name.
	for (const word of [
		'Ask Confirmation',
		'Harness workflow',
		'cl_approvals',
		'+14155550123',
		'n8n',
		'IntelliPortal',
	]) {
		expect(html).not.toContain(word);
	}
	expect(html).not.toMatch(/<script|https?:\/\//i);
}

describe('webhook: the recipient follows a link', () => {
	const double = {
		approvalOptions: {
			values: { approvalType: 'double', approveLabel: 'Yes <b>please</b>', disapproveLabel: 'No' },
		},
	};

	// Programs that open every link they see: previews, mail/SMS scanners with a browser's agent
	// (Microsoft Defender Safe Links sends Chrome's), HTTP libraries; and a person's browser.
	const GETTERS: Array<[string, string | null]> = [
		[
			"a scanner with Chrome's user agent",
			'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
		],
		["a person's Safari", BROWSER],
		['curl', 'curl/8.5.0'],
		['okhttp', 'okhttp/4.12.0'],
		['python-requests', 'python-requests/2.32.3'],
		['WhatsApp', 'WhatsApp/2.23.20.0 A'],
		['Slack', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)'],
		['no user agent', null],
	];

	it.each(GETTERS)(
		'GET of the Approve link by %s resumes nothing: a page with the message and the answer, and a button that POSTs to the same link',
		async (_, userAgent) => {
			const node = sendAndWaitNode({
				...double,
				message: 'Refund <b>€120</b> to "Ana"?\nReply soon',
			});
			const { result, response, html } = await callWebhook(node, {
				method: 'GET',
				query: { approved: 'true', signature: 'checked-by-n8n' },
				userAgent,
			});
			expect(result.workflowData).toBeUndefined();
			expect(result.noWebhookResponse).toBe(true);
			expect(response.statusCode).toBe(200);
			expect(html).toContain('<h1>Confirm your answer</h1>');
			expect(html).toContain(
				'<p>Refund &lt;b&gt;€120&lt;/b&gt; to &quot;Ana&quot;?<br>Reply soon</p>',
			);
			expect(html).toContain('Your answer: <strong>Yes &lt;b&gt;please&lt;/b&gt;</strong>');
			// No action: the browser posts to the page's own URL, the signed link.
			expect(html).toContain(
				'<form method="post"><button type="submit">Yes &lt;b&gt;please&lt;/b&gt;</button></form>',
			);
			expect(html).not.toContain('<b>');
			expectSafePage(response, html);
		},
	);

	it('GET of the Decline link: the page names the decline label, resumes nothing', async () => {
		const { result, html } = await callWebhook(sendAndWaitNode(double), {
			method: 'GET',
			query: { approved: 'false', signature: 'checked-by-n8n' },
		});
		expect(result.workflowData).toBeUndefined();
		expect(html).toContain('Your answer: <strong>No</strong>');
		expect(html).toContain('<button type="submit">No</button>');
	});

	it("POST of the Approve link (the page's button): resumes with { data: { approved: true, respondedAt } } and a page naming the answer (label escaped)", async () => {
		const { result, response, html } = await callWebhook(sendAndWaitNode(double), {
			method: 'POST',
			query: { approved: 'true', signature: 'checked-by-n8n' },
		});
		expect(result.workflowData).toEqual([
			[{ json: { data: { approved: true, respondedAt: expect.any(String) } } }],
		]);
		const respondedAt = (result.workflowData![0][0].json.data as { respondedAt: string })
			.respondedAt;
		expect(Math.abs(Date.parse(respondedAt) - Date.now())).toBeLessThan(60_000);
		// The page goes to n8n, which sends it once it has resumed the execution (not before).
		expect(result.noWebhookResponse).toBeUndefined();
		expect(response.ended).toBe(false);
		expect(html).toContain('Got it, thanks');
		expect(html).toContain('Yes &lt;b&gt;please&lt;/b&gt;');
		expect(html).not.toContain('<b>please');
		expectSafePage(response, html);
	});

	it('POST of the Decline link: resumes with { data: { approved: false, respondedAt } }', async () => {
		const { result, html } = await callWebhook(sendAndWaitNode(double), {
			method: 'POST',
			query: { approved: 'false', signature: 'checked-by-n8n' },
			userAgent: null,
		});
		expect(result.workflowData).toEqual([
			[{ json: { data: { approved: false, respondedAt: expect.any(String) } } }],
		]);
		expect(html).toContain('<p class="answer">No</p>');
	});

	it('Free Text, GET: the form page shows the message (escaped) and a text box, resumes nothing', async () => {
		const node = sendAndWaitNode({
			responseType: 'freeText',
			message: 'Any <script>alert(1)</script> wishes for "Friday"?',
			options: { responseFormTitle: 'Your wishes', responseFormButtonLabel: 'Send it' },
		});
		const { result, response, html } = await callWebhook(node, { method: 'GET' });
		expect(result.workflowData).toBeUndefined();
		expect(response.statusCode).toBe(200);
		expect(html).toContain(
			'Any &lt;script&gt;alert(1)&lt;/script&gt; wishes for &quot;Friday&quot;?',
		);
		expect(html).toContain('<h1>Your wishes</h1>');
		expect(html).toContain('<form method="post">');
		expect(html).toContain('<textarea id="response" name="response" required>');
		expect(html).toContain('>Send it</button>');
		expectSafePage(response, html.replace('<script>', ''));
		expect(html).not.toContain('<script>');
	});

	it("Free Text, GET: a Message with an expression shows what was sent, resolved against the node's input item", async () => {
		const node = sendAndWaitNode({
			responseType: 'freeText',
			message: '=Hi {{ $json.name }}, any wishes for {{ $json.day }}?',
		});
		const { html } = await callWebhook(node, {
			method: 'GET',
			input: [{ name: 'Ana <3', day: 'Friday' }],
		});
		expect(html).toContain('Hi Ana &lt;3, any wishes for Friday?');
	});

	it('Free Text, POST: resumes with { data: { text, respondedAt } } exactly as typed; the page shows it escaped', async () => {
		const text = 'Window seat <img src=x onerror=alert(1)> & "quiet" please\nThanks';
		const { result, response, html } = await callWebhook(
			sendAndWaitNode({ responseType: 'freeText' }),
			{
				method: 'POST',
				body: { response: text },
			},
		);
		expect(result.workflowData).toEqual([
			[{ json: { data: { text, respondedAt: expect.any(String) } } }],
		]);
		expect(html).toContain(
			'Window seat &lt;img src=x onerror=alert(1)&gt; &amp; &quot;quiet&quot; please<br>Thanks',
		);
		expect(html).not.toContain('<img');
		expectSafePage(response, html);
	});

	it.each([
		['empty', '   ', 'Please write a response'],
		[
			'longer than 4096 characters',
			'y'.repeat(5000),
			'The response is too long: at most 4096 characters, this one has 5000.',
		],
	])(
		'Free Text, POST %s: the form again with the problem (400), resumes nothing',
		async (_, text, problem) => {
			const { result, response, html } = await callWebhook(
				sendAndWaitNode({ responseType: 'freeText' }),
				{
					method: 'POST',
					body: { response: text },
				},
			);
			expect(result.workflowData).toBeUndefined();
			expect(response.statusCode).toBe(400);
			expect(html).toContain(problem);
			expect(html).toContain('<form method="post">');
		},
	);

	it.each(['GET', 'POST'] as const)(
		'an approval link without an approved value resumes nothing (%s)',
		async (method) => {
			const { result, response } = await callWebhook(sendAndWaitNode(), { method, query: {} });
			expect(result.workflowData).toBeUndefined();
			expect(response.statusCode).toBe(404);
		},
	);
});

describe('examples/intelliportal-send-and-wait.json', () => {
	it('uses version 2 of our node, and every saved parameter loads as saved (nothing unknown or hidden)', () => {
		const example = JSON.parse(
			readFileSync(
				join(__dirname, '..', '..', 'examples', 'intelliportal-send-and-wait.json'),
				'utf8',
			),
		) as { nodes: INode[] };
		const ours = example.nodes.filter((n) => n.type.startsWith('n8n-nodes-intelliportal.'));
		expect(ours.map((n) => [n.name, n.typeVersion, n.parameters.operation])).toEqual([
			['Ask for confirmation', 2, 'sendAndWait'],
			['Send confirmation', 2, 'send'],
			['Release the table', 2, 'send'],
		]);
		for (const saved of ours) {
			const type = env.harness.nodeTypes.getByNameAndVersion(saved.type, saved.typeVersion);
			const resolved = NodeHelpers.getNodeParameters(
				type.description.properties,
				saved.parameters,
				true,
				false,
				saved,
				type.description,
			);
			for (const [name, value] of Object.entries(saved.parameters)) {
				expect({ node: saved.name, name, value: resolved?.[name] }).toEqual({
					node: saved.name,
					name,
					value,
				});
			}
		}
	});
});
