import { startEmulator, FAILING_RECIPIENT } from '../../emulator';
import { WEBHOOK_EVENT_TYPES } from '../../shared/types';
import type { RunningEmulator } from '../../emulator';
import { KEY, call, startReceiver } from './helpers';
import type { Reply } from './helpers';

let emu: RunningEmulator;

beforeAll(async () => {
	emu = await startEmulator({ statusStepMs: 0, webhookBackoffMs: 20 });
}, 30000);
afterAll(async () => {
	await emu.stop();
});
beforeEach(() => emu.admin.reset());

const text = { client_ref: 'acme', to: '+15551234567', type: 'text', text: { body: 'Hello' } };

describe('routes: happy paths', () => {
	test('POST /messages/send (text) answers a MessageResponse and stores the message', async () => {
		const r = await call(emu.baseUrl, 'POST', '/messages/send', text);
		expect(r.status).toBe(200);
		expect(Object.keys(r.body).sort()).toEqual(['channel', 'created_at', 'id', 'status']);
		expect(r.body).toMatchObject({ status: 'queued', channel: 'whatsapp' });
		expect(r.body.id).toMatch(/^msg_[0-9a-f]{24}$/);
		expect(Number.isNaN(Date.parse(r.body.created_at))).toBe(false);
		const stored = emu.admin.messages();
		expect(stored).toHaveLength(1);
		expect(stored[0]).toMatchObject({
			id: r.body.id,
			to: '+15551234567',
			body: text,
			kind: 'message',
		});
		expect(emu.admin.counters().messagesAccepted).toBe(1);
	});

	test('POST /messages/send (media) and an email recipient', async () => {
		const r = await call(emu.baseUrl, 'POST', '/messages/send', {
			client_ref: 'acme',
			to: 'ana@example.com',
			type: 'media',
			media: { url: 'https://cdn.example.com/a.png', caption: 'hi' },
		});
		expect(r.status).toBe(200);
		expect(r.body.channel).toBe('email');
	});

	test('POST /messages/send-template with the right parameter count', async () => {
		const r = await call(emu.baseUrl, 'POST', '/messages/send-template', {
			client_ref: 'acme',
			to: '+15551234567',
			template: { name: 'order_update', language: { code: 'es' }, parameters: ['#42', 'shipped'] },
		});
		expect(r.status).toBe(200);
		expect(r.body.status).toBe('queued');
		expect(emu.admin.counters().templatesAccepted).toBe(1);
		expect(emu.admin.messages()[0].type).toBe('template');
	});

	test('POST /clients/signup → 201 Client, GET /clients pages oldest first', async () => {
		const created = [];
		for (let i = 0; i < 5; i++) {
			const r = await call(emu.baseUrl, 'POST', '/clients/signup', {
				business_name: `Biz ${i}`,
				phone_number_id: `pn_${i}`,
				...(i === 0 ? { waba_id: 'waba_0', callback_url: 'https://example.com/cb' } : {}),
			});
			expect(r.status).toBe(201);
			created.push(r.body);
		}
		expect(created[0]).toMatchObject({
			business_name: 'Biz 0',
			phone_number_id: 'pn_0',
			waba_id: 'waba_0',
			callback_url: 'https://example.com/cb',
			status: 'active',
		});
		expect(created[0].id).toMatch(/^cl_/);
		const all = await call(emu.baseUrl, 'GET', '/clients');
		expect(all.status).toBe(200);
		expect(all.body).toMatchObject({ limit: 20, offset: 0, total: 5 });
		expect(all.body.data.map((c: { id: string }) => c.id)).toEqual(created.map((c) => c.id));
		const page = await call(emu.baseUrl, 'GET', '/clients?limit=2&offset=3');
		expect(page.body).toMatchObject({ limit: 2, offset: 3, total: 5 });
		expect(page.body.data.map((c: { phone_number_id: string }) => c.phone_number_id)).toEqual([
			'pn_3',
			'pn_4',
		]);
		const beyond = await call(emu.baseUrl, 'GET', '/clients?offset=10');
		expect(beyond.body.data).toEqual([]);
	});

	test('paging over seeded clients visits each exactly once; limit max 100', async () => {
		emu.admin.seedClients(250);
		const seen: string[] = [];
		for (let offset = 0; ; offset += 100) {
			const r = await call(emu.baseUrl, 'GET', `/clients?limit=100&offset=${offset}`);
			expect(r.status).toBe(200);
			seen.push(...r.body.data.map((c: { id: string }) => c.id));
			if (r.body.data.length < 100) break;
		}
		expect(seen).toHaveLength(250);
		expect(new Set(seen).size).toBe(250);
		const tooBig = await call(emu.baseUrl, 'GET', '/clients?limit=101');
		expect(tooBig.status).toBe(400);
		expect(tooBig.body.error.details.errors[0].field).toBe('limit');
	});

	test('clients are listed oldest first, each created strictly after the one before', async () => {
		// Seeding thousands takes less than a millisecond each: equal dates would hide the order.
		emu.admin.seedClients(5_000);
		await call(emu.baseUrl, 'POST', '/clients/signup', {
			business_name: 'Newcomer',
			phone_number_id: '15550001111',
		});
		const dates = emu.admin.clients().map((c) => Date.parse(c.created_at));
		expect(dates).toHaveLength(5_001);
		const notIncreasing = dates.filter((t, i) => i > 0 && t <= dates[i - 1]);
		expect(notIncreasing).toEqual([]);
	});

	test('GET/PUT /webhooks', async () => {
		expect((await call(emu.baseUrl, 'GET', '/webhooks')).body).toEqual({ url: null, events: [] });
		const put = await call(emu.baseUrl, 'PUT', '/webhooks', {
			url: 'http://127.0.0.1:9/hook',
			events: ['message.read', 'message.read', 'client.onboarded'],
		});
		expect(put.status).toBe(200);
		expect(put.body).toEqual({
			url: 'http://127.0.0.1:9/hook',
			events: ['message.read', 'client.onboarded'],
		});
		expect((await call(emu.baseUrl, 'GET', '/webhooks')).body).toEqual(put.body);
		// the URL left out keeps its value; `events: []` switches deliveries off
		const eventsOnly = await call(emu.baseUrl, 'PUT', '/webhooks', { events: [] });
		expect(eventsOnly.body).toEqual({ url: 'http://127.0.0.1:9/hook', events: [] });
		// a URL without `events` subscribes to every event
		const urlOnly = await call(emu.baseUrl, 'PUT', '/webhooks', { url: 'http://127.0.0.1:9/h2' });
		expect(urlOnly.body.events).toEqual([...WEBHOOK_EVENT_TYPES]);
	});
});

describe('routes: errors', () => {
	test('schema violations → 400 validation_error naming every field', async () => {
		const r = await call(emu.baseUrl, 'POST', '/messages/send', {
			to: 5,
			type: 'fax',
			media: { url: 'not a uri' },
		});
		expect(r.status).toBe(400);
		expect(r.body.error.code).toBe('validation_error');
		const fields = r.body.error.details.errors.map((e: { field: string }) => e.field).sort();
		expect(fields).toEqual(['client_ref', 'media.url', 'to', 'type']);
		expect(r.body.error.message).toContain('client_ref');
		expect(emu.admin.messages()).toHaveLength(0);
	});

	test.each([
		['text.body', 'missing', { ...text, text: undefined }],
		['text.body', 'blank', { ...text, text: { body: '  ' } }],
		[
			'media.url',
			'missing',
			{ client_ref: 'a', to: '+1555', type: 'media', media: { caption: 'x' } },
		],
		[
			'media.url',
			'not http(s)',
			{ client_ref: 'a', to: '+1555', type: 'media', media: { url: 'ftp://x/y' } },
		],
		['client_ref', 'empty', { ...text, client_ref: '' }],
		['type', "'template' on /messages/send", { client_ref: 'a', to: '+1555', type: 'template' }],
	])('semantic rule → 400 naming %s (%s)', async (field, _why, body) => {
		const r = await call(emu.baseUrl, 'POST', '/messages/send', body);
		expect(r.status).toBe(400);
		expect(r.body.error.details.errors.map((e: { field: string }) => e.field)).toEqual([field]);
		expect(r.body.error.message).toContain(field);
	});

	test('missing body, invalid JSON, wrong content type', async () => {
		const none = await call(emu.baseUrl, 'POST', '/clients/signup');
		expect(none.status).toBe(400);
		expect(none.body.error.details.errors[0].field).toBe('body');
		const bad = await call(emu.baseUrl, 'POST', '/clients/signup', '{"business_name": ');
		expect(bad.status).toBe(400);
		expect(bad.body.error.message).toMatch(/not valid JSON/);
		const form = await call(emu.baseUrl, 'POST', '/clients/signup', 'a=b', {
			Authorization: `Bearer ${KEY}`,
			'Content-Type': 'application/x-www-form-urlencoded',
		});
		expect(form.status).toBe(415);
	});

	test('401 for a missing or malformed key, never echoing it', async () => {
		const missing = await call(emu.baseUrl, 'POST', '/messages/send', text, {});
		expect(missing.status).toBe(401);
		expect(missing.body.error.code).toBe('unauthorized');
		for (const header of [
			'Bearer sk_live_SECRETabcdefghijkl',
			'Bearer ik_test_SECRET',
			'ik_test_SECRETabcdefghijkl',
			'Basic SECRETaWs6dGVzdA==',
		]) {
			const r = await call(emu.baseUrl, 'GET', '/clients', undefined, { Authorization: header });
			expect(r.status).toBe(401);
			expect(r.body.error.code).toBe('unauthorized');
			expect(JSON.stringify(r.body)).not.toContain('SECRET');
		}
		expect(JSON.stringify(emu.admin.requests())).not.toContain('SECRET');
		const live = await call(emu.baseUrl, 'GET', '/clients', undefined, {
			Authorization: 'Bearer ik_live_abcdefgh1234',
		});
		expect(live.status).toBe(200);
		expect(emu.admin.messages()).toHaveLength(0);
	});

	test('404 unknown route, 405 wrong method', async () => {
		const r = await call(emu.baseUrl, 'GET', '/nope');
		expect(r.status).toBe(404);
		expect(r.body.error.code).toBe('not_found');
		const m = await call(emu.baseUrl, 'DELETE', '/clients');
		expect(m.status).toBe(405);
		expect(m.headers.get('allow')).toBe('GET');
	});

	test('404 template_not_found, 400 on wrong parameter count / language / empty parameter', async () => {
		const base = { client_ref: 'acme', to: '+15551234567' };
		const unknown = await call(emu.baseUrl, 'POST', '/messages/send-template', {
			...base,
			template: { name: 'nope' },
		});
		expect(unknown.status).toBe(404);
		expect(unknown.body.error.code).toBe('template_not_found');
		const count = await call(emu.baseUrl, 'POST', '/messages/send-template', {
			...base,
			template: { name: 'order_update', parameters: ['only one'] },
		});
		expect(count.status).toBe(400);
		expect(count.body.error.details.errors[0]).toMatchObject({ field: 'template.parameters' });
		expect(count.body.error.message).toContain('takes 2');
		const lang = await call(emu.baseUrl, 'POST', '/messages/send-template', {
			...base,
			template: {
				name: 'appointment_reminder',
				language: { code: 'fr' },
				parameters: ['a', 'b', 'c'],
			},
		});
		expect(lang.body.error.details.errors[0].field).toBe('template.language.code');
		const empty = await call(emu.baseUrl, 'POST', '/messages/send-template', {
			...base,
			template: { name: 'order_update', parameters: ['x', ' '] },
		});
		expect(empty.body.error.details.errors[0].field).toBe('template.parameters[1]');
		const typed = await call(emu.baseUrl, 'POST', '/messages/send-template', {
			...base,
			template: { name: 'order_update', parameters: ['x', 2] },
		});
		expect(typed.body.error.details.errors[0].field).toBe('template.parameters[1]');
		expect(emu.admin.messages()).toHaveLength(0);
	});

	test('409 client_exists on a duplicate phone_number_id', async () => {
		const first = await call(emu.baseUrl, 'POST', '/clients/signup', {
			business_name: 'A',
			phone_number_id: 'pn_dup',
		});
		const second = await call(emu.baseUrl, 'POST', '/clients/signup', {
			business_name: 'B',
			phone_number_id: 'pn_dup',
		});
		expect(second.status).toBe(409);
		expect(second.body.error).toMatchObject({
			code: 'client_exists',
			details: { field: 'phone_number_id', client_id: first.body.id },
		});
		expect(emu.admin.clients()).toHaveLength(1);
	});

	test('PUT /webhooks rejects a non-URL and unknown events', async () => {
		const bad = await call(emu.baseUrl, 'PUT', '/webhooks', {
			url: 'not-a-url',
			events: ['message.sent'],
		});
		expect(bad.status).toBe(400);
		expect(bad.body.error.details.errors.map((e: { field: string }) => e.field)).toEqual(['url']);
		const events = await call(emu.baseUrl, 'PUT', '/webhooks', {
			url: 'http://127.0.0.1:9/x',
			events: ['message.sent', 'message.exploded'],
		});
		expect(events.status).toBe(400);
		expect(events.body.error.details.errors[0].field).toBe('events[1]');
		expect(events.body.error.message).toContain('message.exploded');
		const ftp = await call(emu.baseUrl, 'PUT', '/webhooks', { url: 'ftp://127.0.0.1/x' });
		expect(ftp.body.error.details.errors[0].field).toBe('url');
		expect(emu.admin.webhookConfig()).toEqual({ url: null, events: [] });
	});
});

/**
 * Runs `body` with the emulator's clock (Date) held at a fixed instant that only `at` moves, so a
 * token bucket's refill is counted, not raced: timers and I/O stay real.
 */
async function onHeldClock(body: (at: (ms: number) => void) => Promise<void>): Promise<void> {
	const start = Date.parse('2026-01-01T00:00:00Z');
	jest.useFakeTimers({
		now: start,
		doNotFake: [
			'hrtime',
			'nextTick',
			'performance',
			'queueMicrotask',
			'setImmediate',
			'clearImmediate',
			'setInterval',
			'clearInterval',
			'setTimeout',
			'clearTimeout',
		],
	});
	try {
		await body((ms) => jest.setSystemTime(start + ms));
	} finally {
		jest.useRealTimers();
	}
}

/** Resolves once `condition` holds (a positive signal), polling the emulator's state. */
async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

describe('rate limit and faults', () => {
	test('429 with integer Retry-After under a tiny rate, counted', () =>
		onHeldClock(async () => {
			emu.admin.config({ rateLimitRps: 0.5, rateLimitBurst: 1 });
			const ok = await call(emu.baseUrl, 'POST', '/messages/send', text);
			const limited = await call(emu.baseUrl, 'POST', '/messages/send', text);
			expect(ok.status).toBe(200);
			expect(limited.status).toBe(429);
			expect(limited.headers.get('retry-after')).toBe('2');
			expect(limited.body.error.code).toBe('rate_limited');
			const c = emu.admin.counters();
			expect(c.rateLimited).toBe(1);
			expect(c.messagesAccepted).toBe(1);
			expect(c.byRoute['POST /v1/messages/send']).toEqual({ '200': 1, '429': 1 });
		}));

	test('the bucket refills: one token per 1/rate seconds', () =>
		onHeldClock(async (at) => {
			emu.admin.config({ rateLimitRps: 20, rateLimitBurst: 1 });
			const status = async () => (await call(emu.baseUrl, 'GET', '/webhooks')).status;
			expect(await status()).toBe(200);
			expect(await status()).toBe(429);
			at(49); // 0.98 of a token
			expect(await status()).toBe(429);
			at(99); // one token since the last refill at 49 ms
			expect(await status()).toBe(200);
			expect(await status()).toBe(429);
		}));

	test('fault500: 500 and nothing processed', async () => {
		emu.admin.config({ fault500: 1 });
		const r = await call(emu.baseUrl, 'POST', '/messages/send', text);
		expect(r.status).toBe(500);
		expect(r.body.error.code).toBe('internal_error');
		expect(emu.admin.messages()).toHaveLength(0);
		expect(emu.admin.counters().faults.error500).toBe(1);
	});

	test('fault503: 503 + Retry-After and nothing processed', async () => {
		emu.admin.config({ fault503: 1, retryAfterSeconds: 3 });
		const r = await call(emu.baseUrl, 'POST', '/messages/send', text);
		expect(r.status).toBe(503);
		expect(r.headers.get('retry-after')).toBe('3');
		expect(emu.admin.messages()).toHaveLength(0);
	});

	test('fault429: 429 + Retry-After, nothing processed, counted as a fault (not as the bucket)', async () => {
		emu.admin.config({ fault429: 1, retryAfterSeconds: 4 });
		const r = await call(emu.baseUrl, 'POST', '/messages/send', text);
		expect(r.status).toBe(429);
		expect(r.headers.get('retry-after')).toBe('4');
		expect(r.body.error.code).toBe('rate_limited');
		expect(r.body.error.details).toEqual({ retry_after: 4 });
		expect(emu.admin.messages()).toHaveLength(0);
		const c = emu.admin.counters();
		expect(c.faults.error429).toBe(1);
		expect(c.rateLimited).toBe(0);
		expect(c.messagesAccepted).toBe(0);
		expect(c.byRoute['POST /v1/messages/send']).toEqual({ '429': 1 });
		expect(emu.admin.requests().at(-1)).toMatchObject({ status: 429, fault: 'error429' });
	});

	test('fault429 at 10 %: roughly one request in ten is refused, the rest processed', async () => {
		emu.admin.config({ fault429: 0.1 });
		let refused = 0;
		for (let i = 0; i < 200; i++) {
			const r = await call(emu.baseUrl, 'POST', '/messages/send', text);
			if (r.status === 429) refused++;
			else expect(r.status).toBe(200);
		}
		expect(refused).toBeGreaterThan(8);
		expect(refused).toBeLessThan(40);
		expect(emu.admin.counters().faults.error429).toBe(refused);
		expect(emu.admin.messages()).toHaveLength(200 - refused);
	});

	test('resetBefore: socket destroyed, message NOT accepted', async () => {
		emu.admin.config({ faultResetBefore: 1 });
		await expect(call(emu.baseUrl, 'POST', '/messages/send', text)).rejects.toThrow();
		expect(emu.admin.messages()).toHaveLength(0);
		expect(emu.admin.counters().faults.resetBefore).toBe(1);
		expect(emu.admin.requests().at(-1)).toMatchObject({ status: 'reset', fault: 'resetBefore' });
	});

	test('resetAfter: socket destroyed, message WAS accepted (the ambiguous case)', async () => {
		emu.admin.config({ faultResetAfter: 1 });
		await expect(call(emu.baseUrl, 'POST', '/messages/send', text)).rejects.toThrow();
		expect(emu.admin.messages()).toHaveLength(1);
		expect(emu.admin.counters().faults.resetAfter).toBe(1);
	});

	test('slow: processed, response held past the client timeout', async () => {
		// The client gives up (timeout abort) while the emulator holds an answer it has processed.
		// It gives up once the emulator has stored the message (a signal, not a race with 100 ms).
		emu.admin.config({ faultSlow: 1, slowMs: 60_000 });
		const giveUp = new AbortController();
		const pending = call(emu.baseUrl, 'POST', '/messages/send', text, undefined, giveUp.signal);
		await until(() => emu.admin.messages().length === 1);
		giveUp.abort();
		await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
		expect(emu.admin.counters().faults.slow).toBeGreaterThanOrEqual(1);
		// A client that waits long enough gets the held answer.
		emu.admin.config({ faultSlow: 1, slowMs: 50 });
		const r = await call(
			emu.baseUrl,
			'GET',
			'/webhooks',
			undefined,
			undefined,
			AbortSignal.timeout(5000),
		);
		expect(r.status).toBe(200);
	});

	test('latency is added', async () => {
		// a client that gives up before the added latency gets no answer; without latency it does
		emu.admin.config({ latencyMs: 2000 });
		await expect(
			call(emu.baseUrl, 'GET', '/webhooks', undefined, undefined, AbortSignal.timeout(100)),
		).rejects.toMatchObject({ name: 'TimeoutError' });
		emu.admin.config({ latencyMs: 0 });
		const r = await call(
			emu.baseUrl,
			'GET',
			'/webhooks',
			undefined,
			undefined,
			AbortSignal.timeout(2000),
		);
		expect(r.status).toBe(200);
	});

	test('fault sequence is deterministic for a seed', async () => {
		const run = async () => {
			emu.admin.reset();
			emu.admin.config({ fault500: 0.3, fault503: 0.3 });
			const statuses: number[] = [];
			for (let i = 0; i < 20; i++)
				statuses.push((await call(emu.baseUrl, 'GET', '/webhooks')).status);
			return statuses;
		};
		const a = await run();
		expect(new Set(a).size).toBeGreaterThan(1);
		expect(await run()).toEqual(a);
	});

	test('config is validated', () => {
		expect(() => emu.admin.config({ fault500: 2 })).toThrow(/probability/);
		expect(() => emu.admin.config({ fault500: 0.6, fault503: 0.6 })).toThrow(/add up/);
		expect(() => emu.admin.config({ nope: 1 } as never)).toThrow(/unknown config key/);
		expect(emu.admin.config().fault500).toBe(0);
		expect(() => emu.admin.config({ fault429: 1.5 })).toThrow(/probability/);
		expect(() => emu.admin.config({ fault429: 0.5, fault503: 0.6 })).toThrow(/add up/);
	});
});

describe('webhooks and status progression', () => {
	test('events: [] delivers nothing (how a trigger that stops switches deliveries off)', async () => {
		const rx = await startReceiver();
		try {
			emu.admin.config({ statusStepMs: 5 });
			await call(emu.baseUrl, 'PUT', '/webhooks', { url: rx.url, events: [] });
			await call(emu.baseUrl, 'POST', '/messages/send', text);
			emu.admin.emitEvent('message.received', {});
			// Positive signal first: every event of the message was emitted, every delivery settled.
			await until(() => emu.admin.messages()[0]?.status === 'read');
			await emu.admin.webhooksIdle();
			expect(
				emu.admin
					.events()
					.map((e) => e.type)
					.sort(),
			).toEqual([
				'message.delivered',
				'message.queued',
				'message.read',
				'message.received',
				'message.sent',
			]);
			expect(rx.received).toEqual([]);
			expect(emu.admin.counters().webhooks.delivered).toBe(0);
		} finally {
			await rx.close();
		}
	});

	test('status progression queued → sent → delivered → read, delivered as one POST per event (arrival order not guaranteed)', async () => {
		const rx = await startReceiver();
		try {
			emu.admin.config({ statusStepMs: 15 });
			await call(emu.baseUrl, 'PUT', '/webhooks', { url: rx.url });
			const sent = await call(emu.baseUrl, 'POST', '/messages/send', text);
			await rx.waitFor((r) => r.some((x) => x.body.type === 'message.read'));
			// Each event is its own POST, so a busy receiver can see two of them swapped (as from a
			// real server); the progression itself is the message's history, checked below.
			const types = rx.received.map((r) => r.body.type);
			expect([...types].sort()).toEqual(
				['message.queued', 'message.sent', 'message.delivered', 'message.read'].sort(),
			);
			const ev = rx.received.find((r) => r.body.type === 'message.sent')!;
			expect(ev.headers['content-type']).toBe('application/json');
			expect(ev.headers['x-intelliportal-event']).toBe('message.sent');
			expect(ev.headers['x-intelliportal-delivery']).toMatch(/^dlv_/);
			expect(ev.headers.authorization).toBeUndefined();
			expect(ev.body).toMatchObject({
				type: 'message.sent',
				data: {
					message_id: sent.body.id,
					client_ref: 'acme',
					to: '+15551234567',
					channel: 'whatsapp',
					status: 'sent',
				},
			});
			expect(ev.body.id).toMatch(/^evt_/);
			expect(emu.admin.messages()[0].history.map((h) => h.status)).toEqual([
				'queued',
				'sent',
				'delivered',
				'read',
			]);
		} finally {
			await rx.close();
		}
	});

	test(`recipients matching ${FAILING_RECIPIENT} fail; events are filtered by the configuration`, async () => {
		const rx = await startReceiver();
		try {
			emu.admin.config({ statusStepMs: 10 });
			await call(emu.baseUrl, 'PUT', '/webhooks', {
				url: rx.url,
				events: ['message.failed', 'client.onboarded'],
			});
			await call(emu.baseUrl, 'POST', '/messages/send', { ...text, to: '+15550000' });
			await call(emu.baseUrl, 'POST', '/messages/send', text);
			await call(emu.baseUrl, 'POST', '/clients/signup', {
				business_name: 'A',
				phone_number_id: 'pn_a',
			});
			// Positive signal: both messages reached their last status, every delivery settled.
			await until(() =>
				emu.admin.messages().every((m) => m.status === 'read' || m.status === 'failed'),
			);
			await emu.admin.webhooksIdle();
			expect(rx.received.map((r) => r.body.type).sort()).toEqual([
				'client.onboarded',
				'message.failed',
			]);
			const failed = rx.received.find((r) => r.body.type === 'message.failed');
			expect(failed?.body.data).toMatchObject({
				to: '+15550000',
				status: 'failed',
				error: { code: 'undeliverable' },
			});
			const onboarded = rx.received.find((r) => r.body.type === 'client.onboarded');
			expect(onboarded?.body.data.client).toMatchObject({
				business_name: 'A',
				phone_number_id: 'pn_a',
			});
		} finally {
			await rx.close();
		}
	});

	test('failed deliveries are retried with backoff and the same delivery id', async () => {
		const rx = await startReceiver(2);
		try {
			await call(emu.baseUrl, 'PUT', '/webhooks', { url: rx.url });
			emu.admin.emitEvent('message.received', { from: '+1555', text: 'hi' });
			await rx.waitFor((r) => r.length === 1);
			await emu.admin.webhooksIdle();
			const [d] = emu.admin.webhookDeliveries();
			expect(d.state).toBe('delivered');
			expect(d.attempts.map((a) => a.status)).toEqual([500, 500, 204]);
			expect(rx.hits).toBe(3);
			expect(rx.received[0].headers['x-intelliportal-delivery']).toBe(d.id);
			expect(rx.received[0].headers['x-intelliportal-attempt']).toBe('3');
			expect(emu.admin.counters().webhooks).toMatchObject({ delivered: 1, attempts: 3 });
		} finally {
			await rx.close();
		}
	});

	test('a receiver that never answers 2xx: delivery fails after webhookMaxAttempts', async () => {
		const rx = await startReceiver(100);
		try {
			emu.admin.config({ webhookMaxAttempts: 3, webhookBackoffMs: 5 });
			await call(emu.baseUrl, 'PUT', '/webhooks', { url: rx.url });
			emu.admin.emitEvent('message.received', {});
			await new Promise((r) => setTimeout(r, 10));
			await emu.admin.webhooksIdle();
			const [d] = emu.admin.webhookDeliveries();
			expect(d.state).toBe('failed');
			expect(d.attempts).toHaveLength(3);
			expect(rx.hits).toBe(3);
		} finally {
			await rx.close();
		}
	});

	test('network errors are retried too; non-loopback URLs are blocked, never contacted', async () => {
		emu.admin.config({ webhookMaxAttempts: 2, webhookBackoffMs: 5 });
		await call(emu.baseUrl, 'PUT', '/webhooks', { url: 'http://127.0.0.1:1/closed' });
		emu.admin.emitEvent('message.received', {});
		await new Promise((r) => setTimeout(r, 10));
		await emu.admin.webhooksIdle();
		const [refused] = emu.admin.webhookDeliveries();
		expect(refused.state).toBe('failed');
		expect(refused.attempts).toHaveLength(2);
		expect(refused.attempts[0].error).toBeTruthy();

		await call(emu.baseUrl, 'PUT', '/webhooks', { url: 'https://hooks.example.com/x' });
		emu.admin.emitEvent('message.received', {});
		const blocked = emu.admin.webhookDeliveries()[1];
		expect(blocked.state).toBe('blocked');
		expect(blocked.attempts).toHaveLength(0);
	});

	test('admin setMessageStatus advances a message now and emits its event', async () => {
		const rx = await startReceiver();
		try {
			await call(emu.baseUrl, 'PUT', '/webhooks', { url: rx.url, events: ['message.delivered'] });
			const sent = await call(emu.baseUrl, 'POST', '/messages/send', text);
			const r = await fetch(`${emu.url}/__admin/messages/${sent.body.id}/status`, {
				method: 'POST',
				headers: emu.adminHeaders,
				body: JSON.stringify({ status: 'delivered' }),
			});
			expect(r.status).toBe(200);
			await rx.waitFor((x) => x.length === 1);
			expect(rx.received[0].body.data).toMatchObject({
				message_id: sent.body.id,
				status: 'delivered',
			});
			const missing = await fetch(`${emu.url}/__admin/messages/msg_nope/status`, {
				method: 'POST',
				headers: emu.adminHeaders,
				body: JSON.stringify({ status: 'read' }),
			});
			expect(missing.status).toBe(404);
		} finally {
			await rx.close();
		}
	});
});

describe('admin HTTP API', () => {
	const admin = async (method: string, path: string, body?: unknown) => {
		const r = await fetch(`${emu.url}/__admin${path}`, {
			method,
			headers: emu.adminHeaders,
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: r.status, body: (await r.json()) as Reply['body'] };
	};

	test('counters, messages (dedupe view), requests with the key redacted', async () => {
		await call(emu.baseUrl, 'POST', '/messages/send', text);
		await call(emu.baseUrl, 'POST', '/messages/send', text);
		await call(emu.baseUrl, 'POST', '/messages/send', { ...text, text: { body: 'Other' } });
		const msgs = await admin('GET', '/messages');
		const perBody = new Map<string, number>();
		for (const m of msgs.body.data)
			perBody.set(
				`${m.to}|${m.body.text.body}`,
				(perBody.get(`${m.to}|${m.body.text.body}`) ?? 0) + 1,
			);
		expect(Object.fromEntries(perBody)).toEqual({
			'+15551234567|Hello': 2,
			'+15551234567|Other': 1,
		});
		const counters = await admin('GET', '/counters');
		expect(counters.body).toMatchObject({ requests: 3, messagesAccepted: 3 });
		const reqs = await admin('GET', '/requests?limit=2');
		expect(reqs.body.data).toHaveLength(2);
		expect(reqs.body.data[0].headers.authorization).toBe('Bearer [redacted]');
		expect(JSON.stringify(reqs.body)).not.toContain(KEY);
		expect(JSON.stringify(emu.admin.requests())).not.toContain(KEY);
	});

	test('config, seed, events, reset', async () => {
		expect((await admin('POST', '/config', { latencyMs: 1 })).body.latencyMs).toBe(1);
		expect((await admin('POST', '/config', { fault500: 5 })).status).toBe(400);
		expect((await admin('POST', '/config', { fault429: 1 })).body.fault429).toBe(1);
		expect((await call(emu.baseUrl, 'GET', '/webhooks')).status).toBe(429);
		expect(((await admin('GET', '/counters')).body.faults as Record<string, number>).error429).toBe(
			1,
		);
		expect((await admin('POST', '/config', { fault429: 0 })).body.fault429).toBe(0);
		expect((await admin('POST', '/clients/seed', { count: 3 })).body.data).toHaveLength(3);
		expect((await call(emu.baseUrl, 'GET', '/clients')).body.total).toBe(3);
		const ev = await admin('POST', '/events', {
			type: 'message.received',
			data: { from: '+1555' },
		});
		expect(ev.status).toBe(201);
		expect(ev.body).toMatchObject({ type: 'message.received', data: { from: '+1555' } });
		expect((await admin('POST', '/events', {})).status).toBe(400);
		expect((await admin('GET', '/webhook-deliveries')).body.data).toEqual([]);
		expect((await admin('POST', '/reset')).status).toBe(200);
		expect(emu.admin.clients()).toHaveLength(0);
		expect(emu.admin.config().latencyMs).toBe(0);
		expect((await admin('GET', '/nope')).status).toBe(404);
	});
});

test('seedClients option and a second emulator on its own port', async () => {
	const other = await startEmulator({ seedClients: 7 });
	try {
		expect(other.port).not.toBe(emu.port);
		const r = await call(other.baseUrl, 'GET', '/clients?limit=5');
		expect(r.body.total).toBe(7);
		other.admin.reset();
		expect(other.admin.clients()).toHaveLength(7);
	} finally {
		await other.stop();
	}
});
