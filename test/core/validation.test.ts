import { ValidationError } from '../../shared/errors';
import { WEBHOOK_EVENT_TYPES } from '../../shared/types';
import {
	validateClientSignup,
	validateListClients,
	validateSendMessage,
	validateSendTemplate,
	validateWebhookUpdate,
} from '../../shared/validation';

function issuesOf(fn: () => unknown): Array<{ field: string; message: string }> {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(ValidationError);
		return (error as ValidationError).issues;
	}
	throw new Error('expected a ValidationError');
}

function fieldsOf(fn: () => unknown): string[] {
	return issuesOf(fn).map((i) => i.field);
}

const text = { client_ref: 'c1', to: '+15551234567', type: 'text', text: { body: 'Hello' } };

describe('sendMessage validation', () => {
	it('accepts a text message and forwards only contract fields', () => {
		const input = JSON.parse(
			'{"client_ref":" c1 ","to":"+1555","type":"text","text":{"body":"Hi","extra":1},"__proto__":{"polluted":true},"constructor":{"x":1},"secret":"s"}',
		);
		const out = validateSendMessage(input);
		expect(out).toEqual({ client_ref: 'c1', to: '+1555', type: 'text', text: { body: 'Hi' } });
		expect(Object.keys(out)).not.toContain('secret');
		expect(Object.prototype.hasOwnProperty.call(out, 'constructor')).toBe(false);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it.each([
		[{ ...text, client_ref: undefined }, 'client_ref'],
		[{ ...text, client_ref: '   ' }, 'client_ref'],
		[{ ...text, to: {} }, 'to'],
		[{ ...text, type: undefined }, 'type'],
		[{ ...text, type: 'fax' }, 'type'],
		[{ ...text, text: undefined }, 'text'],
		[{ ...text, text: { body: '' } }, 'text.body'],
		[{ ...text, text: { body: true } }, 'text.body'],
		[{ ...text, text: { body: 'x'.repeat(4097) } }, 'text.body'],
		[{ ...text, type: 'media', media: { url: 'not a url' } }, 'media.url'],
		[{ ...text, type: 'media', media: { url: 'ftp://x.com/a.png' } }, 'media.url'],
		[{ ...text, type: 'media', media: {} }, 'media.url'],
		[{ ...text, type: 'media' }, 'media'],
		[
			{ ...text, type: 'media', media: { url: 'https://x.com/a.png', caption: 'c'.repeat(1025) } },
			'media.caption',
		],
	])('rejects %j naming %s', (input, field) => {
		expect(fieldsOf(() => validateSendMessage(input))).toContain(field);
	});

	it('sends template messages to sendTemplate', () => {
		const issues = issuesOf(() => validateSendMessage({ ...text, type: 'template' }));
		expect(issues[0].field).toBe('type');
		expect(issues[0].message).toMatch(/sendTemplate/);
	});

	it('accepts media with caption', () => {
		expect(
			validateSendMessage({
				client_ref: 'c',
				to: 't',
				type: 'media',
				media: { url: 'https://cdn.example.com/a.jpg', caption: 'Look' },
			}),
		).toEqual({
			client_ref: 'c',
			to: 't',
			type: 'media',
			media: { url: 'https://cdn.example.com/a.jpg', caption: 'Look' },
		});
	});

	it.each([undefined, null, 'text', 42, [], () => 1, Symbol('x')])(
		'never throws a TypeError for %p',
		(input) => {
			expect(() => validateSendMessage(input)).toThrow(ValidationError);
		},
	);

	it('reports every problem at once with a readable message', () => {
		try {
			validateSendMessage({ type: 'text' });
			throw new Error('no error');
		} catch (error) {
			expect((error as ValidationError).message).toBe(
				'3 problems: client_ref: is required; to: is required; text: is required',
			);
			expect((error as ValidationError).field).toBe('client_ref');
		}
	});
});

describe('sendTemplate validation', () => {
	const base = { client_ref: 'c', to: '+1', template: { name: 'welcome', parameters: ['Ann', 7] } };

	it('defaults language.code to en and stringifies numeric parameters', () => {
		expect(validateSendTemplate(base)).toEqual({
			client_ref: 'c',
			to: '+1',
			template: { name: 'welcome', language: { code: 'en' }, parameters: ['Ann', '7'] },
		});
	});

	it('accepts language codes such as pt-BR and en_US', () => {
		expect(
			validateSendTemplate({ ...base, template: { name: 'w', language: { code: 'pt-BR' } } })
				.template.language,
		).toEqual({ code: 'pt-BR' });
		expect(
			validateSendTemplate({ ...base, template: { name: 'w', language: { code: 'en_US' } } })
				.template.language,
		).toEqual({ code: 'en_US' });
	});

	it.each([
		[{ ...base, template: undefined }, 'template'],
		[{ ...base, template: { name: ' ' } }, 'template.name'],
		[
			{ ...base, template: { name: 'w', language: { code: 'english please' } } },
			'template.language.code',
		],
		[{ ...base, template: { name: 'w', parameters: 'Ann' } }, 'template.parameters'],
		[{ ...base, template: { name: 'w', parameters: ['a', 'b', ''] } }, 'template.parameters[2]'],
		[{ ...base, template: { name: 'w', parameters: ['a', { x: 1 }] } }, 'template.parameters[1]'],
		[{ ...base, template: { name: 'w', parameters: Array(101).fill('a') } }, 'template.parameters'],
	])('rejects %j naming %s', (input, field) => {
		expect(fieldsOf(() => validateSendTemplate(input))).toContain(field);
	});
});

describe('onboardClient validation', () => {
	it('keeps optional fields and checks callback_url', () => {
		expect(
			validateClientSignup({
				business_name: 'Acme',
				phone_number_id: '123',
				waba_id: 'w',
				callback_url: 'https://acme.test/cb',
				x: 1,
			}),
		).toEqual({
			business_name: 'Acme',
			phone_number_id: '123',
			waba_id: 'w',
			callback_url: 'https://acme.test/cb',
		});
		expect(
			fieldsOf(() =>
				validateClientSignup({
					business_name: 'A',
					phone_number_id: '1',
					callback_url: 'javascript:alert(1)',
				}),
			),
		).toEqual(['callback_url']);
		expect(fieldsOf(() => validateClientSignup({}))).toEqual(['business_name', 'phone_number_id']);
	});
});

describe('listClients validation', () => {
	it('defaults and bounds', () => {
		expect(validateListClients(undefined)).toEqual({ limit: 20, offset: 0 });
		expect(validateListClients({ limit: '50', offset: 10 })).toEqual({ limit: 50, offset: 10 });
		expect(fieldsOf(() => validateListClients({ limit: 0 }))).toEqual(['limit']);
		expect(fieldsOf(() => validateListClients({ limit: 101 }))).toEqual(['limit']);
		expect(fieldsOf(() => validateListClients({ limit: 2.5 }))).toEqual(['limit']);
		expect(fieldsOf(() => validateListClients({ offset: -1 }))).toEqual(['offset']);
		expect(fieldsOf(() => validateListClients({ offset: 'abc' }))).toEqual(['offset']);
	});
});

describe('webhook update validation', () => {
	it('requires https except for loopback hosts', () => {
		expect(validateWebhookUpdate({ url: 'https://hooks.example.com/ip' })).toEqual({
			url: 'https://hooks.example.com/ip',
		});
		expect(validateWebhookUpdate({ url: 'http://localhost:5678/webhook/x' }).url).toBe(
			'http://localhost:5678/webhook/x',
		);
		expect(validateWebhookUpdate({ url: 'http://127.0.0.1:5678/x' }).url).toBe(
			'http://127.0.0.1:5678/x',
		);
		expect(validateWebhookUpdate({ url: 'http://[::1]:5678/x' }).url).toBe('http://[::1]:5678/x');
		const issues = issuesOf(() => validateWebhookUpdate({ url: 'http://hooks.example.com/ip' }));
		expect(issues).toEqual([{ field: 'url', message: expect.stringMatching(/https/) }]);
	});

	it("checks event names, expands '*' and removes duplicates", () => {
		expect(validateWebhookUpdate({ events: ['message.sent', 'message.sent'] })).toEqual({
			events: ['message.sent'],
		});
		expect(validateWebhookUpdate({ events: ['*'] }).events).toEqual([...WEBHOOK_EVENT_TYPES]);
		expect(
			fieldsOf(() => validateWebhookUpdate({ events: ['message.sent', 'message.exploded'] })),
		).toEqual(['events[1]']);
		expect(fieldsOf(() => validateWebhookUpdate({ events: 'message.sent' }))).toEqual(['events']);
		expect(fieldsOf(() => validateWebhookUpdate({}))).toEqual(['url']);
	});
});
