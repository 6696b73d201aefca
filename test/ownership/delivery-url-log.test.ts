/**
 * What a reader of the holder's access log learns (issue 21, point 2): foreign receiver F with a
 * token in its URL, n8n workflow A takes the webhook over, Zap B takes it over from A. B's
 * delivery URL, decoded the way a log reader would (URL parse, every parameter base64url- and
 * base64-decoded), must show neither A's secret nor F's token or address, and nothing in it may
 * start A's workflow.
 */
import type { IDataObject } from 'n8n-workflow';

import { API_KEY, startEnv } from '../n8n/helpers';
import type { TestEnv } from '../n8n/helpers';
import { appTester, hookReceiver } from '../zapier/helpers';
import type { HookReceiver } from '../zapier/helpers';
import App from '../../zapier/src';

const FOREIGN_TOKEN = 'tok_FOREIGN_9f8e7d6c5b4a';
const FOREIGN = {
	url: `https://crm.example.com/hooks/in?token=${FOREIGN_TOKEN}`,
	events: ['client.onboarded'],
};
const A_ID = 'a0000000-0000-4000-8000-00000000000a';

let env: TestEnv;
let receiver: HookReceiver;

beforeAll(async () => {
	env = await startEnv({ webhookBackoffMs: 10 });
	receiver = await hookReceiver();
});

afterAll(async () => {
	await receiver?.stop();
	await env?.stop();
});

/** Every text a log reader can get out of a logged request URL. */
function decodedByALogReader(logged: string, base: string): string {
	const url = new URL(logged, base);
	const seen = [url.href, decodeURIComponent(url.pathname)];
	for (const [name, value] of url.searchParams) {
		seen.push(name, value);
		seen.push(Buffer.from(value, 'base64url').toString('utf8'));
		seen.push(Buffer.from(value, 'base64').toString('utf8'));
	}
	return seen.join('\n');
}

it('the Zap’s delivery URL, decoded, shows no secret of the suspended workflow and no foreign token or address', async () => {
	const put = await fetch(`${env.emulator.baseUrl}/webhooks`, {
		method: 'PUT',
		headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
		body: JSON.stringify(FOREIGN),
	});
	expect(put.status).toBe(200);
	const a = env.triggerNode({ events: ['client.onboarded'], replaceExisting: true }, A_ID);
	const aData: IDataObject = {};
	await env.harness.runWebhookMethod(a, aData, 'create');
	const { secret: secretA } = aData['node:IntelliPortal Trigger'] as { secret: string };
	await appTester()(App.triggers.message_event.operation.performSubscribe, {
		authData: { apiKey: API_KEY, environment: 'custom', baseUrl: env.emulator.baseUrl },
		targetUrl: receiver.url,
		inputData: { events: ['client.onboarded'], replace_existing: 'true' },
	});
	// A is suspended under B, and gets the webhook back when B stops.
	expect(await env.harness.runWebhookMethod(a, aData, 'checkExists', 'init')).toBe(true);

	const event = env.emulator.admin.emitEvent('client.onboarded', { client: { id: 'cl_log' } });
	await env.emulator.admin.webhooksIdle();
	expect(receiver.received).toHaveLength(1);
	const logged = receiver.received[0].url;
	const seen = decodedByALogReader(logged, receiver.url);

	expect(seen).not.toContain(secretA);
	expect(seen).not.toContain(FOREIGN_TOKEN);
	expect(seen).not.toContain('crm.example.com');
	expect(seen).not.toContain(A_ID);
	// Nothing that looks like a delivery secret in it starts A's workflow.
	const candidates = [...new Set(seen.match(/[0-9a-f]{48}/g) ?? [])];
	expect(candidates.length).toBeGreaterThan(0); // B's own secret, in plain sight by design
	for (const candidate of candidates) {
		const forged = await env.harness.runWebhook(
			a,
			{ body: { ...event, id: 'evt_forged' }, query: { ip_secret: candidate } },
			aData,
		);
		expect(forged.response.statusCode).toBe(401);
		expect(forged.result.workflowData).toBeUndefined();
	}
});
