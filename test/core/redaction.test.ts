import { inspect } from 'node:util';

import { IntelliPortalClient } from '../../shared/apiClient';
import { IntelliPortalError } from '../../shared/errors';
import { redact } from '../../shared/redact';
import { TransportFailure } from '../../shared/transport';
import { redactValue } from '../../shared/redact';
import { BASE, FakeTransport, KEY } from './helpers/fake-transport';
import type { Scripted } from './helpers/fake-transport';

const message = { client_ref: 'c1', to: '+1', type: 'text', text: { body: 'Hi' } };
/** A server that echoes the request's credentials back in every error it sends. */
const echo = (status: number, extra: Record<string, string> = {}): Scripted => ({
	status,
	headers: { 'retry-after': '999', ...extra },
	body: {
		error: {
			code: `code_${KEY}`,
			message: `Bad key ${KEY} (Authorization: Bearer ${KEY})`,
			details: {
				authorization: `Bearer ${KEY}`,
				echoed: { header: `Bearer ${KEY}` },
				field: `x${KEY}`,
			},
		},
	},
});

const scenarios: Array<[string, Scripted[], (c: IntelliPortalClient) => Promise<unknown>]> = [
	['400', [echo(400)], (c) => c.sendMessage(message)],
	['401', [echo(401)], (c) => c.listClients()],
	['403', [echo(403)], (c) => c.listClients()],
	[
		'404',
		[echo(404)],
		(c) => c.sendTemplate({ client_ref: 'c', to: 't', template: { name: 'n' } }),
	],
	['409', [echo(409)], (c) => c.onboardClient({ business_name: 'a', phone_number_id: 'b' })],
	['429 too long', [echo(429)], (c) => c.sendMessage(message)],
	['500', [echo(500)], (c) => c.sendMessage(message)],
	['503', [echo(503)], (c) => c.getWebhookConfig()],
	['418', [echo(418)], (c) => c.getWebhookConfig()],
	[
		'text body',
		[{ status: 500, body: `Authorization: Bearer ${KEY}` }],
		(c) => c.sendMessage(message),
	],
	[
		'network',
		[
			{
				fail: new TransportFailure(`connect to ${KEY} failed (Bearer ${KEY})`, {
					phase: 'response',
					code: KEY,
				}),
			},
		],
		(c) => c.sendMessage(message),
	],
	[
		'unknown throw',
		[{ fail: new Error(`axios config headers Authorization: Bearer ${KEY}`) }],
		(c) => c.sendMessage(message),
	],
	['bad 2xx', [{ status: 200, body: { echoed: KEY } }], (c) => c.sendMessage(message)],
	['validation', [], (c) => c.sendMessage({ ...message, to: KEY.repeat(20) })],
	['bad webhook url', [], (c) => c.updateWebhookConfig({ url: `http://example.com/?k=${KEY}` })],
];

function everyRendering(error: unknown): string[] {
	const e = error as Error;
	return [
		e.message,
		String(e.stack),
		String(e),
		JSON.stringify(e),
		inspect(e, { depth: 10, showHidden: true }),
		JSON.stringify(
			Object.getOwnPropertyNames(e).map((k) => (e as unknown as Record<string, unknown>)[k]),
		),
	];
}

describe('the API key never appears in an error', () => {
	it.each(scenarios)('%s', async (_name, script, call) => {
		const transport = new FakeTransport(script.length ? script : [{ status: 200, body: {} }]);
		const client = new IntelliPortalClient({
			apiKey: KEY,
			baseUrl: BASE,
			transport,
		});
		let caught: unknown;
		try {
			await call(client);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(IntelliPortalError);
		for (const text of everyRendering(caught)) {
			expect(text).not.toContain(KEY);
			expect(text).not.toContain('SECRET');
			expect(text).not.toMatch(/Bearer\s+(?!\[redacted\])/);
		}
	});

	it('configuration errors never echo a malformed key', () => {
		let caught: unknown;
		try {
			new IntelliPortalClient({
				apiKey: 'SECRET_not_a_key',
				baseUrl: BASE,
				transport: new FakeTransport(),
			});
		} catch (error) {
			caught = error;
		}
		for (const text of everyRendering(caught)) expect(text).not.toContain('SECRET');
	});

	it('the client itself does not show the key when logged or serialised', () => {
		const client = new IntelliPortalClient({
			apiKey: KEY,
			baseUrl: BASE,
			transport: new FakeTransport(),
		});
		expect(JSON.stringify(client)).not.toContain(KEY);
		expect(inspect(client, { showHidden: true, depth: 5 })).not.toContain(KEY);
		expect(Object.values(client).join(' ')).not.toContain(KEY);
	});
});

describe('redact', () => {
	it('removes given secrets, key-like tokens and bearer credentials', () => {
		expect(redact('a my-secret-value b', ['my-secret-value'])).toBe('a [redacted] b');
		expect(redact('key ik_live_abcDEF123 here')).toBe('key [redacted] here');
		expect(redact('Authorization: Bearer abc.def-ghi')).toBe('Authorization: Bearer [redacted]');
		expect(redact('short', ['ab'])).toBe('short');
	});
});

describe('webhook URL secrets: redacted wherever the key is', () => {
	const SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718';
	const RECORD = 'AgAAAAAbCdEf-_0123456789abcdefGHIJKLmnopqrstuv';
	const url = `https://n8n.example.com/webhook/x/webhook?ip_secret=${SECRET}&ip_owner=${RECORD}`;

	it('masks ip_secret, ip_owner and ip_hook_secret values, plain or percent-encoded, keeping the rest', () => {
		expect(redact(`PUT ${url} failed`)).toBe(
			'PUT https://n8n.example.com/webhook/x/webhook?ip_secret=[redacted]&ip_owner=[redacted] failed',
		);
		expect(redact(`x?a=1&ip_hook_secret=${RECORD}#f`)).toBe('x?a=1&ip_hook_secret=[redacted]#f');
		const encoded = encodeURIComponent(url);
		expect(redact(encoded)).not.toContain(SECRET);
		expect(redact(encoded)).not.toContain(RECORD);
		expect(redact(encoded)).toContain('ip_owner%3D[redacted]');
		expect(redact('"url":"h?ip_secret=abc","other":1')).toBe(
			'"url":"h?ip_secret=[redacted]","other":1',
		);
	});

	it('masks a parsed query echoed as an object', () => {
		expect(redactValue({ query: { ip_secret: SECRET, ip_owner: RECORD, page: '2' } })).toEqual({
			query: { ip_secret: '[redacted]', ip_owner: '[redacted]', page: '2' },
		});
	});

	it('a server error echoing the PUT URL carries neither the secret nor the record', async () => {
		const echo: Scripted = {
			status: 500,
			body: {
				error: { message: `cannot store ${url}`, details: { url, query: { ip_secret: SECRET } } },
			},
		};
		const client = new IntelliPortalClient({
			apiKey: KEY,
			baseUrl: BASE,
			transport: new FakeTransport([echo]),
		});
		const caught = await client.updateWebhookConfig({ url }).catch((error: unknown) => error);
		expect(caught).toBeInstanceOf(IntelliPortalError);
		for (const text of everyRendering(caught)) {
			expect(text).toContain('cannot store https://n8n.example.com/webhook/x/webhook');
			expect(text).not.toContain(SECRET);
			expect(text).not.toContain(RECORD);
		}
	});
});
