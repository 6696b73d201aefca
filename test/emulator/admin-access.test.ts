/**
 * Who may use the emulator's /__admin API over HTTP: only requests addressed to this machine (or
 * the bind address), carrying the admin token, and writing JSON. A web page cannot meet those
 * (a cross-site form sends text/plain or a form body; DNS rebinding sends its own Host), and no
 * log line carries a webhook receiver's secret.
 */
import { connect } from 'node:net';

import { ADMIN_TOKEN_HEADER, startEmulator } from '../../emulator';
import type { RunningEmulator } from '../../emulator';
import { checkAdminAccess } from '../../emulator/adminAccess';
import { HttpError } from '../../emulator/http';
import { KEY, call } from './helpers';

let emu: RunningEmulator;
const lines: string[] = [];

beforeAll(async () => {
	emu = await startEmulator({ statusStepMs: 0, log: (line) => lines.push(line) });
});
afterAll(async () => {
	await emu.stop();
});
beforeEach(() => {
	emu.admin.reset();
	lines.length = 0;
});

/**
 * One HTTP/1.1 request written on a plain socket: it can carry any Host header (as a rebinding
 * page's does), and no patch of node:http by another suite in the worker (Zapier's core logs
 * requests by patching it) can change it.
 */
function raw(
	method: string,
	path: string,
	headers: Record<string, string>,
	body = '',
): Promise<{ status: number; body: { error?: { code: string; message: string } } }> {
	const lines = [`${method} ${path} HTTP/1.1`];
	const all: Record<string, string> = { Host: `127.0.0.1:${emu.port}`, ...headers };
	for (const [name, value] of Object.entries(all)) lines.push(`${name}: ${value}`);
	lines.push(`Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', '', body);
	return new Promise((resolve, reject) => {
		const socket = connect(emu.port, '127.0.0.1', () => socket.end(lines.join('\r\n')));
		const chunks: Buffer[] = [];
		socket.on('data', (chunk: Buffer) => chunks.push(chunk));
		socket.on('error', reject);
		socket.on('close', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			const [head, ...rest] = text.split('\r\n\r\n');
			const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
			const payload = rest.join('\r\n\r\n');
			resolve({ status, body: payload ? JSON.parse(payload) : {} });
		});
	});
}

const token = () => ({ [ADMIN_TOKEN_HEADER]: emu.adminToken });
const json = { 'Content-Type': 'application/json' };
const event = JSON.stringify({ type: 'message.received', data: { from: '+1555' } });

describe('the admin token', () => {
	test('is random per start, long, and on the handle', async () => {
		const other = await startEmulator();
		try {
			expect(emu.adminToken).toMatch(/^[0-9a-f]{48}$/);
			expect(other.adminToken).toMatch(/^[0-9a-f]{48}$/);
			expect(other.adminToken).not.toBe(emu.adminToken);
		} finally {
			await other.stop();
		}
	});

	test.each([
		['no token', {}],
		['a wrong token', { [ADMIN_TOKEN_HEADER]: 'f'.repeat(48) }],
		['the API key instead', { [ADMIN_TOKEN_HEADER]: KEY, Authorization: `Bearer ${KEY}` }],
		['the token as a bearer token', { Authorization: `Bearer ${'x'}` }],
	])('%s: 401 on reads and writes, nothing changes', async (_, headers) => {
		const read = await raw('GET', '/__admin/webhook-config', headers);
		expect(read.status).toBe(401);
		expect(read.body.error?.code).toBe('admin_token_required');
		const write = await raw('POST', '/__admin/events', { ...headers, ...json }, event);
		expect(write.status).toBe(401);
		expect(emu.admin.events()).toEqual([]);
	});

	test('with the token: reads and JSON writes are served', async () => {
		expect((await raw('GET', '/__admin/webhook-config', token())).status).toBe(200);
		expect((await raw('POST', '/__admin/events', { ...token(), ...json }, event)).status).toBe(201);
		expect(emu.admin.events().map((e) => e.type)).toEqual(['message.received']);
		expect((await raw('POST', '/__admin/reset', { ...token(), ...json })).status).toBe(200);
	});

	test('a token given at start is used; a short one is refused', async () => {
		const given = 'a-token-of-my-own-1234';
		const other = await startEmulator({ adminToken: given });
		try {
			expect(other.adminToken).toBe(given);
			const r = await fetch(`${other.url}/__admin/counters`, {
				headers: { [ADMIN_TOKEN_HEADER]: given },
			});
			expect(r.status).toBe(200);
		} finally {
			await other.stop();
		}
		await expect(startEmulator({ adminToken: 'short' })).rejects.toThrow(/at least 16 characters/);
	});

	test('the contract routes do not take the admin token for a key', async () => {
		const r = await call(emu.baseUrl, 'GET', '/webhooks', undefined, token());
		expect(r.status).toBe(401);
	});
});

describe('writes need a JSON content type (what a cross-site form cannot send)', () => {
	test.each([
		['text/plain (a form with enctype=text/plain)', 'text/plain'],
		['a urlencoded form', 'application/x-www-form-urlencoded'],
		['a multipart form', 'multipart/form-data; boundary=x'],
		['no content type', ''],
	])('%s: 415, nothing happens', async (_, type) => {
		const headers = type ? { ...token(), 'Content-Type': type } : token();
		const r = await raw('POST', '/__admin/events', headers, event);
		expect(r.status).toBe(415);
		expect(r.body.error?.code).toBe('unsupported_media_type');
		emu.admin.config({ latencyMs: 3 });
		expect((await raw('POST', '/__admin/reset', headers)).status).toBe(415);
		expect(emu.admin.events()).toEqual([]);
		expect(emu.admin.config().latencyMs).toBe(3);
	});
});

describe('the Host header must name this machine', () => {
	test.each([
		['a rebinding page', 'attacker.example:4010'],
		['an IP elsewhere', '192.0.2.10:4010'],
		['a look-alike', '127.0.0.1.attacker.example'],
		['a user-info trick', 'localhost@attacker.example'],
	])('%s (Host: %s): 403 even with the token', async (_, host) => {
		const r = await raw('GET', '/__admin/webhook-config', { ...token(), Host: host });
		expect(r.status).toBe(403);
		expect(r.body.error?.code).toBe('forbidden_host');
		const write = await raw('POST', '/__admin/events', { ...token(), ...json, Host: host }, event);
		expect(write.status).toBe(403);
		expect(emu.admin.events()).toEqual([]);
	});

	test.each(['localhost', `localhost:${4010}`, '127.0.0.1', '127.0.0.2:9', '[::1]:4010'])(
		'Host: %s is served',
		async (host) => {
			expect((await raw('GET', '/__admin/counters', { ...token(), Host: host })).status).toBe(200);
		},
	);

	test('the configured bind address is accepted as Host too, another address is not', () => {
		const access = { token: 't'.repeat(32), bindHost: '10.1.2.3' };
		const headers = (host: string) => ({ host, [ADMIN_TOKEN_HEADER.toLowerCase()]: access.token });
		expect(() => checkAdminAccess('GET', headers('10.1.2.3:4010'), access)).not.toThrow();
		expect(() => checkAdminAccess('GET', headers('10.1.2.4:4010'), access)).toThrow(HttpError);
		const v6 = { ...access, bindHost: 'fd00::5' };
		expect(() => checkAdminAccess('GET', headers('[fd00::5]:4010'), v6)).not.toThrow();
		// An HTTP/1.0 request without a Host header names nothing: refused.
		const { host: _none, ...noHost } = headers('127.0.0.1');
		expect(() => checkAdminAccess('GET', noHost, access)).toThrow(HttpError);
	});
});

describe('log lines', () => {
	test("a blocked delivery is logged with the receiver's scheme and host only, never its path or query", async () => {
		const secretUrl =
			'https://hooks.example.com/services/T0SECRETPATH/B0/x?ip_secret=SECRETQUERY&token=t0k';
		expect(
			(
				await call(emu.baseUrl, 'PUT', '/webhooks', {
					url: secretUrl,
					events: ['message.received'],
				})
			).status,
		).toBe(200);
		emu.admin.emitEvent('message.received', { from: '+1555' });
		await emu.admin.webhooksIdle();
		expect(emu.admin.webhookDeliveries().map((d) => d.state)).toEqual(['blocked']);
		const blocked = lines.filter((line) => line.includes('blocked'));
		expect(blocked).toEqual([
			'webhook message.received → https://hooks.example.com blocked (not a loopback address; start with --allow-remote-webhooks)',
		]);
		const everything = lines.join('\n');
		for (const secret of ['SECRETPATH', 'SECRETQUERY', 't0k', KEY]) {
			expect(everything).not.toContain(secret);
		}
	});
});
