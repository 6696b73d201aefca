/**
 * The message_event REST hook against the emulator's webhook configuration and real deliveries:
 * subscribe (refusing a foreign URL unless replace_existing), perform on the delivered payload,
 * performList samples, unsubscribe restoring the previous configuration only when it is still ours.
 */
import type { RunningEmulator } from '../../emulator';
import App from '../../zapier/src';
import {
	appTester,
	authData,
	emulator,
	everythingAbout,
	hookReceiver,
	rejection,
	zapierPayload,
	API_KEY,
} from './helpers';
import type { HookReceiver } from './helpers';

const tester = appTester();
const hook = App.triggers.message_event.operation;
let emu: RunningEmulator;
let receiver: HookReceiver;

const FOREIGN = {
	url: 'https://crm.example.com/intelliportal/webhook',
	events: ['message.delivered'],
};

beforeAll(async () => {
	emu = await emulator();
});
afterAll(async () => {
	await emu.stop();
});
beforeEach(async () => {
	emu.admin.reset();
	receiver = await hookReceiver();
});
afterEach(async () => {
	await receiver.stop();
});

async function putWebhook(config: { url: string; events: string[] }): Promise<void> {
	const res = await fetch(`${emu.baseUrl}/webhooks`, {
		method: 'PUT',
		headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
		body: JSON.stringify(config),
	});
	expect(res.status).toBe(200);
}

describe('performSubscribe', () => {
	it('points the webhook at Zapier with the selected events when none is configured', async () => {
		const data = (await tester(hook.performSubscribe, {
			authData: authData(emu),
			targetUrl: receiver.url,
			inputData: { events: ['message.delivered', 'message.failed'] },
		})) as unknown as Record<string, unknown>;
		expect(emu.admin.webhookConfig()).toEqual({
			url: receiver.url,
			events: ['message.delivered', 'message.failed'],
		});
		expect(data.target_url).toBe(receiver.url);
		expect(data.previous).toEqual({ url: null, events: [] });
	});

	it('subscribes to every event when none is selected', async () => {
		await tester(hook.performSubscribe, {
			authData: authData(emu),
			targetUrl: receiver.url,
			inputData: {},
		});
		expect(emu.admin.webhookConfig().events).toEqual([
			'message.queued',
			'message.sent',
			'message.delivered',
			'message.read',
			'message.failed',
			'message.received',
			'client.onboarded',
		]);
	});

	it('refuses to overwrite a foreign URL, leaving it untouched', async () => {
		await putWebhook(FOREIGN);
		const error = await rejection(
			tester(hook.performSubscribe, {
				authData: authData(emu),
				targetUrl: receiver.url,
				inputData: { events: ['message.sent'] },
			}),
		);
		expect(error.name).toBe('AppError');
		const payload = zapierPayload(error);
		expect(payload.code).toBe('webhook_in_use');
		expect(String(payload.message)).toContain('Replace Existing Webhook');
		expect(emu.admin.webhookConfig()).toEqual(FOREIGN);
		expect(
			emu.admin.requests().filter((r) => r.method === 'PUT' && r.path === '/v1/webhooks'),
		).toHaveLength(1); // ours above only
		expect(everythingAbout(error)).not.toContain(API_KEY);
	});

	it('replaces a foreign URL when replace_existing is true, and restores it on unsubscribe', async () => {
		await putWebhook(FOREIGN);
		const subscribeData = await tester(hook.performSubscribe, {
			authData: authData(emu),
			targetUrl: receiver.url,
			inputData: { events: ['message.sent'], replace_existing: 'true' },
		});
		expect(emu.admin.webhookConfig()).toEqual({ url: receiver.url, events: ['message.sent'] });
		expect((subscribeData as unknown as Record<string, unknown>).previous).toEqual(FOREIGN);

		await tester(hook.performUnsubscribe, {
			authData: authData(emu),
			targetUrl: receiver.url,
			subscribeData: subscribeData as never,
			inputData: { events: ['message.sent'], replace_existing: 'true' },
		});
		expect(emu.admin.webhookConfig()).toEqual(FOREIGN);
	});
});

describe('performUnsubscribe', () => {
	it('leaves the configuration alone when the URL is no longer Zapier’s', async () => {
		const subscribeData = await tester(hook.performSubscribe, {
			authData: authData(emu),
			targetUrl: receiver.url,
			inputData: { events: ['message.read'] },
		});
		const someoneElse = { url: 'https://other.example.com/hook', events: ['client.onboarded'] };
		await putWebhook(someoneElse);
		const putsBefore = emu.admin.requests().filter((r) => r.method === 'PUT').length;
		await tester(hook.performUnsubscribe, {
			authData: authData(emu),
			targetUrl: receiver.url,
			subscribeData: subscribeData as never,
		});
		expect(emu.admin.webhookConfig()).toEqual(someoneElse);
		expect(emu.admin.requests().filter((r) => r.method === 'PUT').length).toBe(putsBefore);
	});

	it('with no previous configuration, turns the events off (the contract cannot clear the URL)', async () => {
		const subscribeData = await tester(hook.performSubscribe, {
			authData: authData(emu),
			targetUrl: receiver.url,
			inputData: { events: ['message.read'] },
		});
		expect((subscribeData as unknown as Record<string, unknown>).previous).toEqual({
			url: null,
			events: [],
		});
		await tester(hook.performUnsubscribe, {
			authData: authData(emu),
			targetUrl: receiver.url,
			subscribeData: subscribeData as never,
		});
		// PUT /webhooks takes url only as a URI string, so the core's plan keeps the URL and sends
		// `events: []`. (The emulator reads an empty list as "all events"; see the report.)
		expect(emu.admin.webhookConfig()).toEqual({ url: receiver.url, events: [] });
	});
});

describe('perform / performList', () => {
	it('turns a real delivery from IntelliPortal into one trigger item', async () => {
		const [client] = emu.admin.seedClients(1);
		await tester(hook.performSubscribe, {
			authData: authData(emu),
			targetUrl: receiver.url,
			inputData: { events: ['message.queued'] },
		});
		await tester(App.creates.send_message.operation.perform, {
			authData: authData(emu),
			inputData: { client_ref: client.id, to: '+15551234567', type: 'text', text: 'hi' },
		});
		await emu.admin.webhooksIdle();
		expect(receiver.received).toHaveLength(1);
		const delivered = receiver.received[0];

		const result = (await tester(hook.perform, {
			authData: authData(emu),
			inputData: { events: ['message.queued'] },
			cleanedRequest: delivered.body,
		})) as unknown as Array<Record<string, unknown>>;
		expect(result).toHaveLength(1);
		expect(result[0]).toMatchObject({ type: 'message.queued' });
		expect((result[0].data as Record<string, unknown>).client_ref).toBe(client.id);
		expect(result[0].id).toBe((delivered.body as Record<string, unknown>).id);
	});

	it('returns [] for an event type this Zap did not select', async () => {
		const event = emu.admin.emitEvent('client.onboarded', { client: { id: 'cl_x' } });
		const result = await tester(hook.perform, {
			authData: authData(emu),
			inputData: { events: ['message.failed'] },
			cleanedRequest: event,
		});
		expect(result).toEqual([]);
	});

	it('throws a clear error for a malformed payload', async () => {
		const error = await rejection(
			tester(hook.perform, {
				authData: authData(emu),
				inputData: {},
				cleanedRequest: { hello: 'world' },
			}),
		);
		expect(error.name).toBe('AppError');
		expect(zapierPayload(error).code).toBe('invalid_webhook_payload');
	});

	it('performList returns one documented sample per selected event type, shaped like deliveries', async () => {
		const result = (await tester(hook.performList, {
			authData: authData(emu),
			inputData: { events: ['message.failed', 'client.onboarded'] },
		})) as unknown as Array<Record<string, unknown>>;
		expect(result.map((e) => e.type)).toEqual(['message.failed', 'client.onboarded']);
		expect(result.every((e) => String(e.id).startsWith('evt_sample_'))).toBe(true);
		// a sample passes the same parser a real delivery goes through
		for (const sample of result) {
			const parsed = (await tester(hook.perform, {
				authData: authData(emu),
				inputData: {},
				cleanedRequest: sample,
			})) as unknown[];
			expect(parsed).toHaveLength(1);
		}
		expect(emu.admin.requests()).toHaveLength(0); // no API call: there is no endpoint for past events
	});
});
