/**
 * The Zapier app end to end: every create, trigger and search through createAppTester, over real
 * HTTP to the sandbox emulator on a random loopback port (no nock, no mocks of the core).
 */
import type { RunningEmulator } from '../../emulator';
import App from '../../zapier/src';
import { connectionLabel } from '../../zapier/src/authentication';
import {
	API_KEY,
	appTester,
	authData,
	emulator,
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

const creates = App.creates;
const triggers = App.triggers;
const searches = App.searches;

describe('authentication', () => {
	it('tests the connection with GET /clients?limit=1', async () => {
		emu.admin.seedClients(3);
		const result = (await tester(App.authentication.test, { authData: authData(emu) })) as Record<
			string,
			unknown
		>;
		expect(result.ok).toBe(true);
		const requests = emu.admin.requests();
		expect(requests).toHaveLength(1);
		expect(requests[0]).toMatchObject({ method: 'GET', path: '/v1/clients', status: 200 });
		expect(requests[0].query).toContain('limit=1');
	});

	it('rejects a bad key with an auth error that asks to reconnect and never shows the key', async () => {
		const badKey = 'not_a_valid_key_987654321';
		const error = await rejection(
			tester(App.authentication.test, { authData: authData(emu, badKey) }),
		);
		expect(error.name).toMatch(/ExpiredAuthError|AppError/);
		expect(error.message).not.toContain(badKey);
	});

	it('labels the connection with environment and the last 4 characters only', () => {
		expect(connectionLabel({ apiKey: 'ik_test_abcdefgh1234', environment: 'auto' })).toBe(
			'Sandbox · ••••1234',
		);
		expect(connectionLabel({ apiKey: 'ik_live_abcdefgh9876', environment: 'production' })).toBe(
			'Production · ••••9876',
		);
		expect(connectionLabel({ apiKey: 'ik_test_abcdefgh1234', environment: 'custom' })).toBe(
			'Custom · ••••1234',
		);
		const label = connectionLabel({ apiKey: API_KEY });
		expect(label).not.toContain(API_KEY.slice(0, -4));
		expect(label.endsWith(API_KEY.slice(-4))).toBe(true);
	});

	it('runs connectionLabel through the app tester', async () => {
		const label = await tester(App.authentication.connectionLabel, { authData: authData(emu) });
		expect(label).toBe(`Custom · ••••${API_KEY.slice(-4)}`);
	});
});

describe('creates', () => {
	it('send_message (text) sends one message and returns the API response', async () => {
		const [client] = emu.admin.seedClients(1);
		const result = (await tester(creates.send_message.operation.perform, {
			authData: authData(emu),
			inputData: {
				client_ref: client.id,
				to: '+15551234567',
				type: 'text',
				text: 'Hello {{bundle.inputData.x}} there',
			},
		})) as Record<string, unknown>;
		expect(result).toMatchObject({ status: 'queued' });
		expect(typeof result.id).toBe('string');
		const messages = emu.admin.messages();
		expect(messages).toHaveLength(1);
		expect(messages[0].id).toBe(result.id);
		// {{curlies}} in a message are user content: sent verbatim, not expanded or rejected by Zapier
		expect(messages[0].body).toEqual({
			client_ref: client.id,
			to: '+15551234567',
			type: 'text',
			text: { body: 'Hello {{bundle.inputData.x}} there' },
		});
	});

	it('send_message (media) sends url and caption', async () => {
		const [client] = emu.admin.seedClients(1);
		await tester(creates.send_message.operation.perform, {
			authData: authData(emu),
			inputData: {
				client_ref: client.id,
				to: '+15551234567',
				type: 'media',
				media_url: 'https://cdn.example.com/menu.pdf',
				caption: 'Our menu',
			},
		});
		expect(emu.admin.messages()[0].body).toEqual({
			client_ref: client.id,
			to: '+15551234567',
			type: 'media',
			media: { url: 'https://cdn.example.com/menu.pdf', caption: 'Our menu' },
		});
	});

	it('send_message with no text fails before any request, naming the Zapier field', async () => {
		const error = await rejection(
			tester(creates.send_message.operation.perform, {
				authData: authData(emu),
				inputData: { client_ref: 'cl_1', to: '+15551234567', type: 'text' },
			}),
		);
		expect(error.name).toBe('AppError');
		const payload = zapierPayload(error);
		expect(String(payload.message)).toContain('Message Text');
		expect(String(payload.message)).toContain('text.body');
		expect(emu.admin.requests()).toHaveLength(0);
	});

	it('send_template sends name, language (default en) and ordered parameters', async () => {
		const [client] = emu.admin.seedClients(1);
		const result = (await tester(creates.send_template.operation.perform, {
			authData: authData(emu),
			inputData: {
				client_ref: client.id,
				to: '+15551234567',
				template_name: 'order_update',
				parameters: ['A-1001', 'shipped'],
			},
		})) as Record<string, unknown>;
		expect(result.status).toBe('queued');
		expect(emu.admin.messages()[0].body).toEqual({
			client_ref: client.id,
			to: '+15551234567',
			template: {
				name: 'order_update',
				language: { code: 'en' },
				parameters: ['A-1001', 'shipped'],
			},
		});
	});

	it('send_template with an unknown template surfaces the server 404 message and code', async () => {
		const [client] = emu.admin.seedClients(1);
		const error = await rejection(
			tester(creates.send_template.operation.perform, {
				authData: authData(emu),
				inputData: {
					client_ref: client.id,
					to: '+15551234567',
					template_name: 'no_such_template',
					language_code: 'en',
				},
			}),
		);
		expect(error.name).toBe('AppError');
		expect(zapierPayload(error)).toMatchObject({ code: 'template_not_found', status: 404 });
		expect(String(zapierPayload(error).message)).toContain("Template 'no_such_template' not found");
	});

	it('onboard_client creates a client and leaves empty optional fields out', async () => {
		const result = (await tester(creates.onboard_client.operation.perform, {
			authData: authData(emu),
			inputData: {
				business_name: 'Blue Bottle',
				phone_number_id: '1234567890',
				waba_id: '',
				callback_url: '',
			},
		})) as Record<string, unknown>;
		expect(result).toMatchObject({ business_name: 'Blue Bottle', phone_number_id: '1234567890' });
		expect(emu.admin.clients()).toHaveLength(1);
		expect(emu.admin.clients()[0].waba_id).toBeUndefined();
	});

	it('onboard_client twice gives the server 409 message and code', async () => {
		const input = { business_name: 'Blue Bottle', phone_number_id: '1234567890' };
		await tester(creates.onboard_client.operation.perform, {
			authData: authData(emu),
			inputData: input,
		});
		const error = await rejection(
			tester(creates.onboard_client.operation.perform, {
				authData: authData(emu),
				inputData: input,
			}),
		);
		expect(error.name).toBe('AppError');
		expect(zapierPayload(error)).toMatchObject({ code: 'client_exists', status: 409 });
		expect(String(zapierPayload(error).message)).toContain('already exists');
	});
});

describe('polling triggers', () => {
	it('list_clients feeds the dropdown one page per bundle.meta.page', async () => {
		emu.admin.seedClients(60);
		const all = emu.admin.clients();
		const page0 = (await tester(triggers.list_clients.operation.perform, {
			authData: authData(emu),
			meta: { page: 0 },
		})) as Array<Record<string, unknown>>;
		const page1 = (await tester(triggers.list_clients.operation.perform, {
			authData: authData(emu),
			meta: { page: 1 },
		})) as Array<Record<string, unknown>>;
		expect(page0.map((c) => c.id)).toEqual(all.slice(0, 50).map((c) => c.id));
		expect(page1.map((c) => c.id)).toEqual(all.slice(50).map((c) => c.id));
	});

	it('new_client pages through every client, newest first, each id once', async () => {
		emu.admin.seedClients(230);
		const all = emu.admin.clients();
		const result = (await tester(triggers.new_client.operation.perform, {
			authData: authData(emu),
		})) as Array<Record<string, unknown>>;
		expect(result).toHaveLength(230);
		expect(new Set(result.map((c) => c.id)).size).toBe(230);
		const expected = [...all]
			.map((c, i) => ({ c, i }))
			.sort((a, b) => Date.parse(b.c.created_at) - Date.parse(a.c.created_at) || a.i - b.i)
			.map(({ c }) => c.id);
		expect(result.map((c) => c.id)).toEqual(expected);
		for (let i = 1; i < result.length; i++) {
			expect(Date.parse(String(result[i - 1].created_at))).toBeGreaterThanOrEqual(
				Date.parse(String(result[i].created_at)),
			);
		}
		const pages = emu.admin.requests().filter((r) => r.path === '/v1/clients');
		expect(pages.length).toBeGreaterThanOrEqual(3);
	});

	it('new_client puts a freshly onboarded client first', async () => {
		emu.admin.seedClients(5);
		await new Promise((r) => setTimeout(r, 5));
		await tester(creates.onboard_client.operation.perform, {
			authData: authData(emu),
			inputData: { business_name: 'Newest Ltd', phone_number_id: '5550001111' },
		});
		const result = (await tester(triggers.new_client.operation.perform, {
			authData: authData(emu),
		})) as Array<Record<string, unknown>>;
		expect(result[0].business_name).toBe('Newest Ltd');
		expect(result).toHaveLength(6);
	});
});

describe('search', () => {
	beforeEach(async () => {
		emu.admin.seedClients(120);
		for (const [business_name, phone_number_id] of [
			['Acme Coffee Roasters', '9990001'],
			['acme', '9990002'],
			['Zenith Bikes', '9990003'],
		]) {
			await tester(creates.onboard_client.operation.perform, {
				authData: authData(emu),
				inputData: { business_name, phone_number_id },
			});
		}
	});

	it('find_client by business name: case-insensitive contains, exact match first, across pages', async () => {
		const result = (await tester(searches.find_client.operation.perform, {
			authData: authData(emu),
			inputData: { business_name: 'ACME' },
		})) as Array<Record<string, unknown>>;
		expect(result.map((c) => c.business_name)).toEqual(['acme', 'Acme Coffee Roasters']);
	});

	it('find_client by phone number ID (exact)', async () => {
		const result = (await tester(searches.find_client.operation.perform, {
			authData: authData(emu),
			inputData: { phone_number_id: '9990003' },
		})) as Array<Record<string, unknown>>;
		expect(result).toHaveLength(1);
		expect(result[0].business_name).toBe('Zenith Bikes');
	});

	it('find_client with no match returns [] (Zapier then offers the create)', async () => {
		const result = await tester(searches.find_client.operation.perform, {
			authData: authData(emu),
			inputData: { business_name: 'Nobody Inc' },
		});
		expect(result).toEqual([]);
	});

	it('find_client with no criteria explains which fields to fill in', async () => {
		const error = await rejection(
			tester(searches.find_client.operation.perform, { authData: authData(emu), inputData: {} }),
		);
		expect(String(zapierPayload(error).message)).toMatch(/Business Name or Phone Number ID/);
	});

	it('is paired with onboard_client as a search-or-create', () => {
		expect(App.searchOrCreates.find_client).toMatchObject({
			search: 'find_client',
			create: 'onboard_client',
		});
	});
});

describe('Zapier request log', () => {
	it('logs each request with the Authorization header censored, never the key', async () => {
		const [client] = emu.admin.seedClients(1);
		const run = await runWithZapierLog('creates.send_message.operation.perform', {
			authData: authData(emu),
			inputData: { client_ref: client.id, to: '+15551234567', type: 'text', text: 'hi' },
		});
		expect(run.error).toBeUndefined();
		const http = run.logs.filter((l) => l.data.log_type === 'http');
		// the request really was logged, with its headers (so the absence checks below mean something)
		expect(http.length).toBeGreaterThanOrEqual(1);
		expect(http[0].data.request_url).toBe(`${emu.baseUrl}/messages/send`);
		expect(String(http[0].data.request_headers)).toMatch(/authorization: Bearer :censored:/i);
		expect(run.text).not.toContain(API_KEY);
		expect(run.text).not.toContain(API_KEY.slice(8));
	});

	it('a failing step logs the error without the key', async () => {
		emu.admin.config({ fault500: 1 });
		const run = await runWithZapierLog('creates.send_message.operation.perform', {
			authData: authData(emu),
			inputData: { client_ref: 'cl_1', to: '+15551234567', type: 'text', text: 'hi' },
		});
		expect(run.error).toBeDefined();
		expect(run.logs.some((l) => l.data.log_type === 'error')).toBe(true);
		expect(run.text).toContain('500');
		expect(run.text).not.toContain(API_KEY);
		expect(run.text).not.toContain(API_KEY.slice(8));
	});
});
