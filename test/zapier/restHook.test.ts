/**
 * The message_event REST hook against the emulator's webhook configuration and real deliveries:
 * subscribe (refusing a foreign URL unless replace_existing), perform on the delivered payload,
 * performList samples, unsubscribe restoring the previous configuration only when it is still ours.
 */
import type { RunningEmulator } from '../../emulator';
import { removeOwnershipRecord } from '../../shared/webhookUrl';
import App from '../../zapier/src';
import { startEchoProxy } from '../ownership/echo-proxy';
import {
	appTester,
	authData,
	emulator,
	everythingAbout,
	hookReceiver,
	rejection,
	runWithZapierLog,
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

/** The account's webhook as registered, without the ownership record (`&ip_owner=…`). */
function registered(): { url: string | null; events: string[] } {
	const { url, events } = emu.admin.webhookConfig();
	return { url: url === null ? null : removeOwnershipRecord(url), events };
}

/** The query string of a received request path ('/hooks/…?ip_secret=…' → 'ip_secret=…'). */
function queryOf(url: string): string {
	return url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
}

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
		const secret = String(data.secret);
		expect(secret).toMatch(/^[0-9a-f]{48}$/);
		expect(registered()).toEqual({
			url: `${receiver.url}?ip_secret=${secret}`,
			events: ['message.delivered', 'message.failed'],
		});
		expect(data.target_url).toBe(`${receiver.url}?ip_secret=${secret}`);
		expect(data.id).toBe(receiver.url);
		expect(emu.admin.webhookConfig().url).toContain('&ip_owner=');
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
		// scheme and host only: a receiver's path may be its credential
		expect(String(payload.message)).toContain(
			'in use by another receiver at https://crm.example.com ',
		);
		expect(everythingAbout(error)).not.toContain('/intelliportal/webhook');
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
		expect(registered()).toEqual({
			url: (subscribeData as unknown as Record<string, unknown>).target_url,
			events: ['message.sent'],
		});

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
		await tester(hook.performUnsubscribe, {
			authData: authData(emu),
			targetUrl: receiver.url,
			subscribeData: subscribeData as never,
		});
		// PUT /webhooks takes url only as a URI string, so the core keeps the URL and sends
		// `events: []` (deliveries off).
		expect(registered()).toEqual({
			url: (subscribeData as unknown as Record<string, unknown>).target_url,
			events: [],
		});
	});
});

describe('perform / performList', () => {
	it('turns a real delivery from IntelliPortal into one trigger item', async () => {
		const [client] = emu.admin.seedClients(1);
		const subscription = await tester(hook.performSubscribe, {
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
			subscribeData: subscription as never,
			rawRequest: { method: 'POST', querystring: queryOf(delivered.url) },
			cleanedRequest: delivered.body,
		})) as unknown as Array<Record<string, unknown>>;
		expect(result).toHaveLength(1);
		expect(result[0]).toMatchObject({ type: 'message.queued' });
		expect((result[0].data as Record<string, unknown>).client_ref).toBe(client.id);
		expect(result[0].id).toBe((delivered.body as Record<string, unknown>).id);
	});

	// A delivery carrying its subscription's secret, as IntelliPortal sends it.
	const SECRET = 'b'.repeat(48);
	const signed = {
		subscribeData: { secret: SECRET } as never,
		rawRequest: { method: 'POST' as const, querystring: `ip_secret=${SECRET}` },
	};

	it('returns [] for an event type this Zap did not select', async () => {
		const event = emu.admin.emitEvent('client.onboarded', { client: { id: 'cl_x' } });
		const result = await tester(hook.perform, {
			authData: authData(emu),
			inputData: { events: ['message.failed'] },
			...signed,
			cleanedRequest: event,
		});
		expect(result).toEqual([]);
	});

	it('throws a clear error for a malformed payload', async () => {
		const error = await rejection(
			tester(hook.perform, {
				authData: authData(emu),
				inputData: {},
				...signed,
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
				...signed,
				cleanedRequest: sample,
			})) as unknown[];
			expect(parsed).toHaveLength(1);
		}
		expect(emu.admin.requests()).toHaveLength(0); // no API call: there is no endpoint for past events
	});
});

describe('shared secret in the registered URL', () => {
	/** Subscribe, deliver one real event through the emulator, and return what Zapier would hold. */
	async function subscribeAndDeliver() {
		const [client] = emu.admin.seedClients(1);
		const subscription = (await tester(hook.performSubscribe, {
			authData: authData(emu),
			targetUrl: receiver.url,
			inputData: { events: ['message.queued'] },
		})) as unknown as Record<string, unknown>;
		await tester(App.creates.send_message.operation.perform, {
			authData: authData(emu),
			inputData: { client_ref: client.id, to: '+15551234567', type: 'text', text: 'hi' },
		});
		await emu.admin.webhooksIdle();
		expect(receiver.received).toHaveLength(1);
		return { subscription, secret: String(subscription.secret), delivery: receiver.received[0] };
	}

	function deliver(
		subscription: Record<string, unknown>,
		request: { querystring?: string; cleanedRequest: unknown; cleanedQuery?: unknown },
	) {
		return tester(hook.perform, {
			authData: authData(emu),
			inputData: { events: ['message.queued'] },
			subscribeData: subscription as never,
			...(request.querystring !== undefined
				? { rawRequest: { method: 'POST', querystring: request.querystring } }
				: {}),
			cleanedRequest: request.cleanedRequest,
		}) as unknown as Promise<Array<Record<string, unknown>>>;
	}

	it('IntelliPortal delivers to the URL with the secret, and that delivery triggers the Zap', async () => {
		const { subscription, secret, delivery } = await subscribeAndDeliver();
		expect(removeOwnershipRecord(delivery.url)).toBe(
			`/hooks/standard/123456/abcdef?ip_secret=${secret}`,
		);
		const items = await deliver(subscription, {
			querystring: queryOf(delivery.url),
			cleanedRequest: delivery.body,
		});
		expect(items).toHaveLength(1);
		expect(items[0].id).toBe((delivery.body as Record<string, unknown>).id);
		expect(JSON.stringify(items)).not.toContain(secret);
	});

	it('also reads the secret from cleanedRequest (parsed querystring, or merged into the body) and never passes it on', async () => {
		const { subscription, secret, delivery } = await subscribeAndDeliver();
		const body = delivery.body as Record<string, unknown>;
		const viaParsedQuery = await deliver(subscription, {
			cleanedRequest: { method: 'POST', querystring: { ip_secret: secret }, content: body },
		});
		expect(viaParsedQuery).toHaveLength(1);
		expect(viaParsedQuery[0].id).toBe(body.id);
		const viaMergedBody = await deliver(subscription, {
			cleanedRequest: { ...body, ip_secret: secret },
		});
		expect(viaMergedBody).toHaveLength(1);
		expect(JSON.stringify([viaParsedQuery, viaMergedBody])).not.toContain(secret);
	});

	it('a delivery without the secret, or with a wrong one, runs nothing and leaks nothing', async () => {
		const { subscription, secret, delivery } = await subscribeAndDeliver();
		const wrong = `${secret.slice(0, -1)}${secret.endsWith('0') ? '1' : '0'}`;
		for (const querystring of [
			undefined,
			'',
			`ip_secret=${wrong}`,
			`ip_secret=${secret.slice(0, 20)}`,
			`ip_secret=${secret}x`,
			`other=${secret}`,
		]) {
			await expect(
				deliver(subscription, { querystring, cleanedRequest: delivery.body }),
			).resolves.toEqual([]);
		}
		// A forged body merged with a wrong secret, or a malformed body without one: [] and no error
		// (checked before the body is parsed, so a prober learns nothing).
		await expect(
			deliver(subscription, {
				cleanedRequest: { ...(delivery.body as object), ip_secret: wrong },
			}),
		).resolves.toEqual([]);
		await expect(
			deliver(subscription, { querystring: 'x=1', cleanedRequest: 'not json' }),
		).resolves.toEqual([]);
	});

	it('the Zapier log of a refused delivery does not contain the secret', async () => {
		const { subscription, secret, delivery } = await subscribeAndDeliver();
		const run = await runWithZapierLog('triggers.message_event.operation.perform', {
			authData: authData(emu),
			inputData: { events: ['message.queued'] },
			subscribeData: subscription,
			rawRequest: { method: 'POST', querystring: 'ip_secret=guess' },
			cleanedRequest: delivery.body,
		});
		expect(run.error).toBeUndefined();
		expect(run.result).toEqual([]);
		expect(run.text).toContain('ignored a delivery');
		expect(run.text).not.toContain(secret);
		expect(run.text).not.toContain(API_KEY);
	});

	it('a right secret with a malformed body still fails loudly, without the secret in the error', async () => {
		const { subscription, secret } = await subscribeAndDeliver();
		const error = await rejection(
			deliver(subscription, {
				querystring: `ip_secret=${secret}`,
				cleanedRequest: { hello: 'world' },
			}),
		);
		expect(zapierPayload(error).code).toBe('invalid_webhook_payload');
		expect(everythingAbout(error)).not.toContain(secret);
		expect(everythingAbout(error)).not.toContain(API_KEY);
	});

	it('fails closed: a subscription with no secret stored accepts no delivery and tells the user to turn the Zap off and on', async () => {
		const { subscription, delivery } = await subscribeAndDeliver();
		const legacy: Record<string, unknown> = { ...subscription, target_url: receiver.url };
		delete legacy.secret;
		const error = await rejection(
			deliver(legacy, { cleanedRequest: delivery.body, querystring: queryOf(delivery.url) }),
		);
		expect(zapierPayload(error).code).toBe('no_secret_stored');
		expect(error.message).toMatch(/Turn the Zap off and on again/);
		expect(error.message).not.toContain(subscription.secret as string);
		// and with no subscribeData at all (Zapier's default {})
		const bare = await rejection(
			tester(hook.perform, {
				authData: authData(emu),
				inputData: {},
				cleanedRequest: delivery.body,
			}),
		);
		expect(zapierPayload(bare).code).toBe('no_secret_stored');
	});

	it('every subscription gets its own secret; re-subscribing the same hook replaces the old one', async () => {
		const first = (await tester(hook.performSubscribe, {
			authData: authData(emu),
			targetUrl: receiver.url,
			inputData: { events: ['message.sent'] },
		})) as unknown as Record<string, unknown>;
		// Zapier re-subscribes the same hook URL without an unsubscribe in between: not refused as
		// "someone else's webhook", a fresh secret, and the old registration is not "restored" later.
		const second = (await tester(hook.performSubscribe, {
			authData: authData(emu),
			targetUrl: receiver.url,
			inputData: { events: ['message.sent'] },
		})) as unknown as Record<string, unknown>;
		expect(second.secret).not.toBe(first.secret);
		expect(registered().url).toBe(second.target_url);
		await tester(hook.performUnsubscribe, {
			authData: authData(emu),
			targetUrl: receiver.url,
			subscribeData: second as never,
		});
		expect(registered()).toEqual({ url: second.target_url, events: [] });
	});

	it('unsubscribe restores a replaced foreign webhook (the secret URL is recognised as ours)', async () => {
		await putWebhook(FOREIGN);
		const subscription = (await tester(hook.performSubscribe, {
			authData: authData(emu),
			targetUrl: receiver.url,
			inputData: { events: ['message.sent'], replace_existing: true },
		})) as unknown as Record<string, unknown>;
		expect(String(emu.admin.webhookConfig().url)).toContain('ip_secret=');
		await tester(hook.performUnsubscribe, {
			authData: authData(emu),
			targetUrl: receiver.url,
			subscribeData: subscription as never,
		});
		expect(emu.admin.webhookConfig()).toEqual(FOREIGN);
	});
});

describe('the ownership record in the registered URL', () => {
	const N8N_URL = `http://127.0.0.1:5678/webhook/abc/webhook?ip_secret=${'a'.repeat(48)}`;
	const puts = () => emu.admin.requests().filter((r) => r.method === 'PUT').length;

	async function subscribe(apiKey = API_KEY, targetUrl = receiver.url) {
		return (await tester(hook.performSubscribe, {
			authData: authData(emu, apiKey),
			targetUrl,
			inputData: { events: ['message.sent'], replace_existing: 'true' },
		})) as unknown as Record<string, unknown>;
	}

	async function unsubscribe(subscribeData: Record<string, unknown>, apiKey = API_KEY) {
		return (await tester(hook.performUnsubscribe, {
			authData: authData(emu, apiKey),
			targetUrl: receiver.url,
			subscribeData: subscribeData as never,
		})) as unknown as Record<string, unknown>;
	}

	it('a subscription made before the seal (ip_hook_secret) is still read: unsubscribing gives the webhook back to the n8n trigger it recorded, sealed', async () => {
		const subscription = await subscribe();
		const plain = JSON.stringify({
			v: 1,
			k: 'z',
			r: [FOREIGN.url, FOREIGN.events],
			s: [[N8N_URL, ['message.read'], 'n']],
		});
		await putWebhook({
			url: `${subscription.target_url}&ip_hook_secret=${Buffer.from(plain).toString('base64url')}`,
			events: ['message.sent'],
		});
		expect(await unsubscribe(subscription)).toEqual({ restored: true, restores: 'suspended' });
		const given = String(emu.admin.webhookConfig().url);
		expect(removeOwnershipRecord(given)).toBe(N8N_URL);
		expect(given).toContain('&ip_owner=');
		expect(given).not.toContain('ip_hook_secret');
	});

	it('an altered record: subscribing is refused and unsubscribing leaves it, both saying so; nothing is written', async () => {
		const subscription = await subscribe();
		const url = String(emu.admin.webhookConfig().url);
		const sealed = new URL(url).searchParams.get('ip_owner') as string;
		const bytes = Buffer.from(sealed, 'base64url');
		bytes[bytes.length - 1] ^= 0x01;
		await putWebhook({
			url: url.replace(sealed, bytes.toString('base64url')),
			events: ['message.sent'],
		});
		const altered = emu.admin.webhookConfig();
		const before = puts();
		const error = await rejection(
			subscribe(API_KEY, 'https://hooks.zapier.com/hooks/standard/9/9/'),
		);
		expect(zapierPayload(error)).toMatchObject({
			code: 'webhook_record_tampered',
			message: expect.stringMatching(/fails its integrity check \(it was altered\)/),
		});
		expect(await unsubscribe(subscription)).toMatchObject({
			restored: false,
			reason: 'record_tampered',
			message: expect.stringMatching(
				/left as it is: its ownership record fails its integrity check/,
			),
		});
		expect(emu.admin.webhookConfig()).toEqual(altered);
		expect(puts()).toBe(before);
	});

	it('after the API key is changed the record cannot be read: subscribe and unsubscribe say so and leave the webhook as it is', async () => {
		const subscription = await subscribe();
		const held = emu.admin.webhookConfig();
		const before = puts();
		const rotated = 'ik_test_rotated_0123456789abcdef';
		const error = await rejection(
			subscribe(rotated, 'https://hooks.zapier.com/hooks/standard/9/9/'),
		);
		expect(zapierPayload(error)).toMatchObject({
			code: 'webhook_record_other_key',
			message: expect.stringMatching(/sealed with another API key .*\(was the key changed\?\)/),
		});
		expect(await unsubscribe(subscription, rotated)).toMatchObject({
			restored: false,
			reason: 'record_other_key',
		});
		expect(emu.admin.webhookConfig()).toEqual(held);
		expect(puts()).toBe(before);
	});

	it('a server error that echoes the PUT URL: the Zapier errors carry no ip_secret, record or foreign path', async () => {
		const foreign = {
			url: 'https://hooks.slack.example.com/services/T0000/B0000/FOREIGNPATHTOKEN',
			events: ['message.failed'],
		};
		await putWebhook(foreign);
		const subscription = await subscribe();
		const proxy = await startEchoProxy(emu.baseUrl);
		proxy.armed = true;
		const viaProxy = { ...authData(emu), baseUrl: proxy.baseUrl };
		try {
			const activation = await rejection(
				tester(hook.performSubscribe, {
					authData: viaProxy,
					targetUrl: receiver.url,
					inputData: { events: ['message.sent'], replace_existing: 'true' },
				}),
			);
			const echoedOnSubscribe = proxy.echoed.splice(0);
			const deactivation = await rejection(
				tester(hook.performUnsubscribe, {
					authData: viaProxy,
					targetUrl: receiver.url,
					subscribeData: subscription as never,
				}),
			);
			// the server did echo them: secret and record on subscribe, the foreign path on restore
			expect(echoedOnSubscribe[0]).toMatch(/\?ip_secret=[0-9a-f]{48}&ip_(owner|hook_secret)=/);
			expect(proxy.echoed[0]).toBe(foreign.url);
			const params = new URL(echoedOnSubscribe[0]).searchParams;
			const secret = params.get('ip_secret') as string;
			const record = (params.get('ip_owner') ?? params.get('ip_hook_secret')) as string;
			for (const error of [activation, deactivation]) {
				const text = everythingAbout(error);
				expect(text).toContain('Could not save the webhook');
				for (const leak of [secret, record.slice(0, 24), 'FOREIGNPATHTOKEN', '/services/']) {
					expect(text).not.toContain(leak);
				}
			}
		} finally {
			await proxy.stop();
		}
	});
});
