import { ValidationError } from '../../shared/errors';
import {
	parseWebhookEvent,
	tryParseWebhookEvent,
	verifyDelivery,
	verifySecret,
} from '../../shared/webhooks';
import {
	appendSecret,
	isSameWebhookTarget,
	isSameWebhookUrl,
	removeOwnershipRecord,
	removeSecret,
} from '../../shared/webhookUrl';

const event = {
	id: 'evt_1',
	type: 'message.delivered',
	created_at: '2026-11-25T06:00:00Z',
	data: {
		message_id: 'msg_1',
		client_ref: 'c1',
		to: '+1',
		channel: 'whatsapp',
		status: 'delivered',
	},
};

function fieldOf(body: unknown, options?: { maxBytes?: number }): string | undefined {
	try {
		parseWebhookEvent(body, options);
	} catch (error) {
		expect(error).toBeInstanceOf(ValidationError);
		return (error as ValidationError).field;
	}
	return undefined;
}

describe('parseWebhookEvent', () => {
	it('parses objects and JSON text', () => {
		expect(parseWebhookEvent(event)).toEqual(event);
		expect(parseWebhookEvent(JSON.stringify(event))).toEqual(event);
		const onboarded = { ...event, type: 'client.onboarded', data: { client: { id: 'cl_1' } } };
		expect(parseWebhookEvent(onboarded).type).toBe('client.onboarded');
	});

	it('drops prototype-polluting keys', () => {
		const parsed = parseWebhookEvent(
			'{"id":"e","type":"message.sent","created_at":"2026-01-01T00:00:00Z","data":{"message_id":"m","__proto__":{"p":1}}}',
		);
		expect(Object.prototype.hasOwnProperty.call(parsed.data, '__proto__')).toBe(false);
		expect(({} as Record<string, unknown>).p).toBeUndefined();
	});

	it.each([
		['{not json', 'body'],
		[[event], 'body'],
		[null, 'body'],
		[{ ...event, id: '' }, 'id'],
		[{ ...event, type: undefined }, 'type'],
		[{ ...event, type: 'message.exploded' }, 'type'],
		[{ ...event, created_at: 'yesterday' }, 'created_at'],
		[{ ...event, data: 'x' }, 'data'],
		[{ ...event, data: {} }, 'data.message_id'],
		[{ ...event, type: 'client.onboarded', data: {} }, 'data.client'],
	])('rejects %j (field %s)', (body, field) => {
		expect(fieldOf(body)).toBe(field);
	});

	it('rejects oversized bodies', () => {
		expect(
			fieldOf({ ...event, data: { ...event.data, pad: 'x'.repeat(2000) } }, { maxBytes: 1000 }),
		).toBe('body');
		expect(fieldOf('x'.repeat(2000), { maxBytes: 1000 })).toBe('body');
	});

	it('tryParseWebhookEvent never throws', () => {
		expect(tryParseWebhookEvent(event)).toEqual({ ok: true, event, events: [event] });
		expect(tryParseWebhookEvent('nope')).toEqual({
			ok: false,
			error: expect.stringMatching(/not valid JSON/),
		});
	});
});

describe('shared secret', () => {
	it('removeSecret drops only ip_secret; isSameWebhookTarget ignores it', () => {
		expect(removeSecret('https://a.example/h?ip_secret=1')).toBe('https://a.example/h');
		expect(removeSecret('https://a.example/h?x=1&ip_secret=1&y=2#f')).toBe(
			'https://a.example/h?x=1&y=2#f',
		);
		expect(removeSecret('https://a.example/h?x=1')).toBe('https://a.example/h?x=1');
		expect(
			isSameWebhookTarget('https://a.example/h?ip_secret=1', 'https://A.example/h/?ip_secret=2'),
		).toBe(true);
		expect(
			isSameWebhookUrl('https://a.example/h?ip_secret=1', 'https://a.example/h?ip_secret=2'),
		).toBe(false);
		expect(isSameWebhookTarget('https://a.example/h?ip_secret=1', 'https://a.example/g')).toBe(
			false,
		);
	});

	it('removeOwnershipRecord drops the record under its new and its former name, nothing else', () => {
		expect(removeOwnershipRecord('https://a.example/h?ip_secret=1&ip_owner=AbC-_&x=2')).toBe(
			'https://a.example/h?ip_secret=1&x=2',
		);
		expect(removeOwnershipRecord('https://a.example/h?ip_hook_secret=e30&ip_secret=1')).toBe(
			'https://a.example/h?ip_secret=1',
		);
		expect(
			isSameWebhookTarget('https://a.example/h?ip_owner=x', 'https://a.example/h?ip_hook_secret=y'),
		).toBe(true);
	});

	it('appends and verifies', () => {
		const url = appendSecret('https://n8n.example.com/webhook/abc', 's3cr&t');
		expect(url).toBe('https://n8n.example.com/webhook/abc?ip_secret=s3cr%26t');
		expect(appendSecret('https://x.example.com/h?a=1', 'k')).toBe(
			'https://x.example.com/h?a=1&ip_secret=k',
		);
		expect(verifySecret(url, 's3cr&t')).toBe(true);
		expect(verifySecret('ip_secret=s3cr%26t', 's3cr&t')).toBe(true);
		expect(verifySecret({ ip_secret: 's3cr&t' }, 's3cr&t')).toBe(true);
		expect(verifySecret(url, 's3cr&u')).toBe(false);
		expect(verifySecret('https://x.example.com/h', 's3cr&t')).toBe(false);
		expect(verifySecret({ ip_secret: 's3cr&t' }, '')).toBe(false);
		expect(verifySecret('ip_secret=s3cr%26', 's3cr&t')).toBe(false);
		expect(verifySecret('ip_secret=s3cr%26tt', 's3cr&t')).toBe(false);
		expect(verifySecret('ip_secret=%E2%82%AC', '€')).toBe(true);
		expect(verifySecret('ip_secret=%ZZ', 's')).toBe(false);
	});

	it('verifyDelivery fails closed: no stored secret, or no carrier with it, is never verified', () => {
		expect(verifyDelivery(['ip_secret=abc'], 'abc')).toBe('verified');
		expect(verifyDelivery([undefined, { ip_secret: 'abc' }], 'abc')).toBe('verified');
		expect(verifyDelivery(['ip_secret=abc'], undefined)).toBe('no_secret_stored');
		expect(verifyDelivery(['ip_secret='], '')).toBe('no_secret_stored');
		expect(verifyDelivery([], 'abc')).toBe('wrong_secret');
		expect(verifyDelivery(['ip_secret=abd', { ip_secret: 7 }], 'abc')).toBe('wrong_secret');
	});
});
