/**
 * The Zapier transport (core Transport on z.request) and the error mapping, each on its own:
 * real z objects from createAppTester, real sockets against the emulator.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

import type { ZObject } from 'zapier-platform-core';

import type { RunningEmulator } from '../../emulator';
import {
	AuthenticationError,
	ConfigurationError,
	NetworkError,
	RateLimitError,
	ServerError,
	ValidationError,
} from '../../shared/errors';
import { TransportFailure } from '../../shared/transport';
import { toZapierError } from '../../zapier/src/errors';
import { createZapierTransport } from '../../zapier/src/zapierTransport';
import { API_KEY, appTester, emulator, everythingAbout, rejection, zapierPayload } from './helpers';

const tester = appTester();
let emu: RunningEmulator;

beforeAll(async () => {
	emu = await emulator();
});
afterAll(async () => {
	await emu.stop();
});
beforeEach(() => emu.admin.reset());

/** Run `fn` with the real `z` Zapier hands to a perform. */
function withZ<T>(fn: (z: ZObject) => Promise<T>): Promise<T> {
	return tester(async (z: ZObject) => fn(z), { authData: { apiKey: API_KEY } });
}

const auth = { Authorization: `Bearer ${API_KEY}` };

describe('createZapierTransport', () => {
	it('resolves every HTTP status with parsed JSON and lower-cased headers (429 is not thrown early)', async () => {
		emu.admin.config({ rateLimitRps: 0.05, rateLimitBurst: 1 });
		const [ok, limited] = await withZ(async (z) => {
			const t = createZapierTransport(z);
			const req = {
				method: 'GET' as const,
				url: `${emu.baseUrl}/clients?limit=1`,
				headers: auth,
				timeoutMs: 5000,
			};
			return [await t.request(req), await t.request(req)];
		});
		expect(ok.status).toBe(200);
		expect(ok.body).toMatchObject({ data: [], limit: 1, offset: 0 });
		expect(limited.status).toBe(429);
		expect(limited.headers['retry-after']).toBe('20');
		expect(limited.body).toMatchObject({ error: { code: 'rate_limited' } });
	});

	it('sends the body as JSON with Content-Type, verbatim', async () => {
		const [client] = emu.admin.seedClients(1);
		const response = await withZ((z) =>
			createZapierTransport(z).request({
				method: 'POST',
				url: `${emu.baseUrl}/messages/send`,
				headers: auth,
				body: {
					client_ref: client.id,
					to: '+1555',
					type: 'text',
					text: { body: '{{bundle.authData.apiKey}}' },
				},
				timeoutMs: 5000,
			}),
		);
		expect(response.status).toBe(200);
		expect(emu.admin.messages()[0].body).toMatchObject({
			text: { body: '{{bundle.authData.apiKey}}' },
		});
	});

	it("maps 'connection refused' to phase connect (never sent)", async () => {
		const probe = createServer();
		await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
		const { port } = probe.address() as AddressInfo;
		await new Promise<void>((resolve) => probe.close(() => resolve()));
		const failure = await rejection(
			withZ((z) =>
				createZapierTransport(z).request({
					method: 'POST',
					url: `http://127.0.0.1:${port}/v1/x`,
					headers: auth,
					body: {},
					timeoutMs: 2000,
				}),
			),
		);
		expect(failure).toBeInstanceOf(TransportFailure);
		expect(failure).toMatchObject({ phase: 'connect', code: 'ECONNREFUSED' });
	});

	it('maps a slow server to phase timeout within the request timeout', async () => {
		emu.admin.config({ faultSlow: 1, slowMs: 600 });
		const failure = await rejection(
			withZ((z) =>
				createZapierTransport(z).request({
					method: 'GET',
					url: `${emu.baseUrl}/clients`,
					headers: auth,
					timeoutMs: 300,
				}),
			),
		);
		expect(failure).toMatchObject({ phase: 'timeout' });
		expect(failure.message).toContain('300 ms');
		// let the emulator finish the response it is holding, so no timer outlives the suite
		await new Promise((resolve) => setTimeout(resolve, 700));
	});

	it('maps a connection reset after the request to phase response (ambiguous)', async () => {
		emu.admin.config({ faultResetAfter: 1 });
		const failure = await rejection(
			withZ((z) =>
				createZapierTransport(z).request({
					method: 'GET',
					url: `${emu.baseUrl}/clients`,
					headers: auth,
					timeoutMs: 2000,
				}),
			),
		);
		expect(failure).toBeInstanceOf(TransportFailure);
		expect(failure).toMatchObject({ phase: 'response' });
	});

	it('sleep waits on the host timer for exactly the time asked', async () => {
		const transport = await withZ(async (z) => createZapierTransport(z));
		jest.useFakeTimers();
		try {
			let done = false;
			const sleeping = transport.sleep(120).then(() => (done = true));
			await jest.advanceTimersByTimeAsync(119);
			expect(done).toBe(false);
			await jest.advanceTimersByTimeAsync(1);
			await sleeping;
			expect(done).toBe(true);
		} finally {
			jest.useRealTimers();
		}
	});
});

describe('toZapierError', () => {
	const map = (error: unknown, secrets: string[] = [API_KEY]) =>
		withZ(async (z) => {
			const mapped = toZapierError(z, error, secrets, { 'text.body': 'Message Text' });
			return { name: mapped.name, message: mapped.message, all: everythingAbout(mapped) };
		});

	it('429 → ThrottledError with the delay in seconds (rounded up)', async () => {
		const out = await map(
			new RateLimitError('Rate limit exceeded.', { httpStatus: 429, retryAfterMs: 12_300 }),
		);
		expect(out.name).toBe('ThrottledError');
		expect(zapierPayload(out)).toMatchObject({ delay: 13 });
	});

	it('503 refusal with a long Retry-After → ThrottledError (nothing was processed)', async () => {
		const out = await map(
			new ServerError('IntelliPortal server error (503)', {
				httpStatus: 503,
				retryAfterMs: 45_000,
			}),
		);
		expect(out.name).toBe('ThrottledError');
		expect(zapierPayload(out)).toMatchObject({ delay: 45 });
	});

	it('403 → AppError (key valid but not allowed), not an expired connection', async () => {
		const out = await map(
			new AuthenticationError('The API key is not allowed to do this (403).', {
				httpStatus: 403,
				code: 'forbidden',
			}),
		);
		expect(out.name).toBe('AppError');
		expect(zapierPayload(out)).toMatchObject({ code: 'forbidden', status: 403 });
	});

	it('client-side validation names the Zapier field and the API field', async () => {
		const out = await map(
			ValidationError.fromIssues([{ field: 'text.body', message: 'is required' }]),
		);
		expect(zapierPayload(out)).toMatchObject({ code: 'validation_error', status: 400 });
		expect(String(zapierPayload(out).message)).toBe('Message Text (text.body): is required');
	});

	it('configuration errors name the connection field', async () => {
		const out = await map(
			new ConfigurationError('Base URL is required for the custom environment', {
				field: 'baseUrl',
			}),
		);
		expect(String(zapierPayload(out).message)).toMatch(
			/^Base URL \(baseUrl\): Base URL is required.*connection settings/,
		);
	});

	it('an ambiguous network failure on a send says it may have been sent', async () => {
		const out = await map(
			new NetworkError(
				'The connection broke. The request may have been processed; it was not repeated, to avoid sending twice.',
				{
					phase: 'response',
					mayHaveBeenSent: true,
				},
			),
		);
		expect(String(zapierPayload(out).message)).toMatch(/may get the message twice/);
	});

	it('redacts the key from any foreign error message', async () => {
		const out = await map(
			new Error(`socket closed while sending Authorization: Bearer ${API_KEY}`),
		);
		expect(out.name).toBe('AppError');
		expect(out.all).not.toContain(API_KEY);
		expect(out.all).not.toContain(API_KEY.slice(8));
	});
});
