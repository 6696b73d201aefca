/**
 * Failure paths of the Zapier app against the emulator: every core error must become the Zapier
 * error that makes Zapier do the right thing, and the API key must never leak into an error or
 * into Zapier's logs.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

import type { RunningEmulator } from '../../emulator';
import App from '../../zapier/src';
import {
	API_KEY,
	appTester,
	authData,
	emulator,
	everythingAbout,
	rejection,
	runWithZapierLog,
	zapierPayload,
} from './helpers';

const tester = appTester();
let emu: RunningEmulator;

beforeAll(async () => {
	emu = await emulator();
});
afterAll(async () => {
	await emu.stop();
});
beforeEach(() => emu.admin.reset());

const sendMessage = App.creates.send_message.operation.perform;
const sendTemplate = App.creates.send_template.operation.perform;

function textMessage(clientRef: string) {
	return { client_ref: clientRef, to: '+15551234567', type: 'text', text: 'Your order shipped' };
}

function expectNoKey(error: unknown, logs?: string): void {
	const all = everythingAbout(error) + (logs ?? '');
	expect(all).not.toContain(API_KEY);
	expect(all).not.toContain(API_KEY.slice(8)); // not even the key without its prefix
}

describe('429 rate limit', () => {
	it('becomes ThrottledError carrying the server delay, without losing the message or retrying it past the budget', async () => {
		const [client] = emu.admin.seedClients(1);
		// 1 token, refilled every 20 s: the second request gets 429 with Retry-After: 20
		emu.admin.config({ rateLimitRps: 0.05, rateLimitBurst: 1 });
		await tester(sendMessage, { authData: authData(emu), inputData: textMessage(client.id) });
		const run = await runWithZapierLog('creates.send_message.operation.perform', {
			authData: authData(emu),
			inputData: textMessage(client.id),
		});
		// handed back to Zapier at once: one 429, no in-process wait for the 20 s and no retry
		expect(emu.admin.counters().rateLimited).toBe(1);
		const error = run.error as Error;
		expect(error.name).toBe('ThrottledError');
		const payload = zapierPayload(error);
		expect(payload.delay).toBeGreaterThanOrEqual(19);
		expect(payload.delay).toBeLessThanOrEqual(20);
		expect(String(payload.message)).toMatch(/rate limit/i);
		// when Zapier retries is said once, in Zapier's words (the core adds no "Retry after N s")
		expect(String(payload.message)).not.toMatch(/Retry after \d/);
		expect(String(payload.message).split('Zapier will retry this step in')).toHaveLength(2);
		expect(String(payload.message)).toContain(`Zapier will retry this step in ${payload.delay} s.`);
		expect(emu.admin.messages()).toHaveLength(1); // the throttled one was not processed
		expect(
			run.logs.some((l) => l.data.log_type === 'http' && l.data.response_status_code === 429),
		).toBe(true);
		expectNoKey(error, run.text);
	});

	it('a short Retry-After is waited out inside the step and the message is sent once', async () => {
		const [client] = emu.admin.seedClients(1);
		emu.admin.config({ rateLimitRps: 1, rateLimitBurst: 1 });
		await tester(sendMessage, { authData: authData(emu), inputData: textMessage(client.id) });
		const result = (await tester(sendMessage, {
			authData: authData(emu),
			inputData: textMessage(client.id),
		})) as Record<string, unknown>;
		expect(result.status).toBe('queued');
		expect(emu.admin.messages()).toHaveLength(2);
		const sends = emu.admin.requests().filter((r) => r.path === '/v1/messages/send');
		expect(sends.map((r) => r.status)).toEqual([200, 429, 200]);
	});
});

describe('401 / auth', () => {
	it('a key the server rejects (401) becomes ExpiredAuthError telling the user to reconnect; key nowhere', async () => {
		const badKey = 'ik_test_short'; // too short for the emulator's key pattern → 401
		const run = await runWithZapierLog('triggers.new_client.operation.perform', {
			authData: { apiKey: badKey, environment: 'custom', baseUrl: emu.baseUrl },
		});
		const error = run.error as Error;
		expect(error.name).toBe('ExpiredAuthError');
		expect(error.message).toMatch(/reconnect/i);
		expect(error.message).toMatch(/401/);
		expect(emu.admin.requests().map((r) => r.status)).toEqual([401]); // reached the server once, not retried
		expect(everythingAbout(error)).not.toContain(badKey);
		expect(run.text).toContain('/v1/clients'); // the request was logged...
		expect(run.text).not.toContain(badKey); // ...with the key censored
	});
});

describe('400 / 404 / 409 carry the server message and code', () => {
	it('400 from the server (template parameter count) → AppError with server message, code and status', async () => {
		const [client] = emu.admin.seedClients(1);
		const error = await rejection(
			tester(sendTemplate, {
				authData: authData(emu),
				inputData: {
					client_ref: client.id,
					to: '+15551234567',
					template_name: 'order_update',
					parameters: ['A-1'],
				},
			}),
		);
		expect(error.name).toBe('AppError');
		const payload = zapierPayload(error);
		expect(payload).toMatchObject({ code: 'validation_error', status: 400 });
		expect(String(payload.message)).toContain('takes 2 parameter(s), got 1');
		expectNoKey(error);
	});

	it('404 unknown template → AppError template_not_found', async () => {
		const [client] = emu.admin.seedClients(1);
		const error = await rejection(
			tester(sendTemplate, {
				authData: authData(emu),
				inputData: { client_ref: client.id, to: '+15551234567', template_name: 'nope' },
			}),
		);
		expect(zapierPayload(error)).toMatchObject({ code: 'template_not_found', status: 404 });
		expectNoKey(error);
	});

	it('409 duplicate client → AppError client_exists', async () => {
		const input = { business_name: 'Dup', phone_number_id: '4440001' };
		const onboard = App.creates.onboard_client.operation.perform;
		await tester(onboard, { authData: authData(emu), inputData: input });
		const error = await rejection(tester(onboard, { authData: authData(emu), inputData: input }));
		expect(zapierPayload(error)).toMatchObject({ code: 'client_exists', status: 409 });
		expect(String(zapierPayload(error).message)).toContain(
			"phone_number_id '4440001' already exists",
		);
		expectNoKey(error);
	});
});

describe('server and network failures say whether the message may have been sent', () => {
	it('500 on a send: not retried (one attempt), error says it may have been sent', async () => {
		const [client] = emu.admin.seedClients(1);
		emu.admin.config({ fault500: 1 });
		const error = await rejection(
			tester(sendMessage, { authData: authData(emu), inputData: textMessage(client.id) }),
		);
		expect(error.name).toBe('AppError');
		const payload = zapierPayload(error);
		expect(payload.status).toBe(500);
		expect(String(payload.message)).toMatch(/may (already )?have been processed/);
		expect(emu.admin.requests().filter((r) => r.path === '/v1/messages/send')).toHaveLength(1);
		expectNoKey(error);
	});

	it('connection reset after processing: the send is not repeated (the message exists exactly once)', async () => {
		const [client] = emu.admin.seedClients(1);
		emu.admin.config({ faultResetAfter: 1 });
		const error = await rejection(
			tester(sendMessage, { authData: authData(emu), inputData: textMessage(client.id) }),
		);
		expect(String(zapierPayload(error).message)).toMatch(/may (already )?have been processed/);
		expect(emu.admin.messages()).toHaveLength(1);
		expect(emu.admin.requests().filter((r) => r.path === '/v1/messages/send')).toHaveLength(1);
		expectNoKey(error);
	});

	it('nothing listening: the error says nothing was sent', async () => {
		// a port that was free a moment ago: connection refused
		const probe = createServer();
		await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
		const { port } = probe.address() as AddressInfo;
		await new Promise<void>((resolve) => probe.close(() => resolve()));
		const error = await rejection(
			tester(sendMessage, {
				authData: {
					apiKey: API_KEY,
					environment: 'custom',
					baseUrl: `http://127.0.0.1:${port}/v1`,
				},
				inputData: textMessage('cl_1'),
			}),
		);
		expect(error.name).toBe('AppError');
		expect(String(zapierPayload(error).message)).toMatch(/nothing was sent/i);
		expectNoKey(error);
	});

	it('a bad base URL is a configuration error naming the setting', async () => {
		const error = await rejection(
			tester(sendMessage, {
				authData: { apiKey: API_KEY, environment: 'custom', baseUrl: 'not a url' },
				inputData: textMessage('cl_1'),
			}),
		);
		expect(error.name).toBe('AppError');
		expect(String(zapierPayload(error).message)).toMatch(/connection settings/);
		expectNoKey(error);
	});
});
