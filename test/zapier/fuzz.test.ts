/**
 * Property-based fuzzing (fast-check) of bundle.inputData for every Zapier create, search and
 * trigger, run through zapier-platform-core's app tester against the emulator:
 *
 * - invalid input (missing / empty / wrong type / too long / not a URL / unknown choice) is
 *   refused with a z.errors error whose message names the field by its Zapier label, and NO
 *   request reaches the emulator (its request counter does not move);
 * - arbitrary input, valid or not (unicode, huge strings, `__proto__` / `constructor` keys,
 *   nested junk, negative and huge numbers), never ends in anything but a result or a z.errors
 *   error, never pollutes Object.prototype;
 * - the API key never appears in an error (message, stack, properties, JSON, inspect).
 *
 * Case counts are recorded for the reliability report (IP_FUZZ_OUT, see test/reliability).
 */
import fc from 'fast-check';
import type { Bundle, ZObject } from 'zapier-platform-core';

import type { RunningEmulator } from '../../emulator';
import App from '../../zapier/src';
import { recordFuzzCases } from '../reliability/fuzzCount';
import { API_KEY, appTester, authData, emulator, everythingAbout } from './helpers';

// zapier-platform-core exits the process once it has served 250 runs with more than 450 MB RSS
// (Zapier then recycles the Lambda). Here every run shares the jest worker, whose RSS is mostly
// jest itself, so that guard would kill the suite, not protect anything: switch it off.
jest.mock('zapier-platform-core/src/tools/memory-checker', () => () => undefined);

const tester = appTester();
let emu: RunningEmulator;
let clientId: string;

/** Cases per property; the file runs in well under a minute. */
const RUNS = Number(process.env.IP_FUZZ_RUNS ?? 100);
let casesRun = 0;

beforeAll(async () => {
	emu = await emulator();
	[{ id: clientId }] = emu.admin.seedClients(1);
});
afterAll(async () => {
	await emu.stop();
	recordFuzzCases('Zapier app inputs (test/zapier/fuzz.test.ts)', casesRun);
});

const ZAPIER_ERRORS = ['AppError', 'ThrottledError', 'ExpiredAuthError', 'RefreshAuthError'];

type Perform = (z: ZObject, bundle: Bundle) => Promise<unknown>;

const ops = {
	sendMessage: App.creates.send_message.operation.perform,
	sendTemplate: App.creates.send_template.operation.perform,
	onboard: App.creates.onboard_client.operation.perform,
	findClient: App.searches.find_client.operation.perform,
	newClient: App.triggers.new_client.operation.perform,
	listClients: App.triggers.list_clients.operation.perform,
	hookSubscribe: App.triggers.message_event.operation.performSubscribe,
	hookPerform: App.triggers.message_event.operation.perform,
	hookList: App.triggers.message_event.operation.performList,
} as const;

// ------------------------------------------------------------------ generators

const hugeString = fc
	.integer({ min: 5_000, max: 120_000 })
	.chain((n) => fc.constantFrom('x', 'é', '🙂', ' ', '\u0000').map((c) => c.repeat(n)));

/** Values prototype-pollution attempts use. */
const pollution = fc.constantFrom(
	JSON.parse('{"__proto__": {"polluted": "yes"}}') as unknown,
	JSON.parse('{"constructor": {"prototype": {"polluted": "yes"}}}') as unknown,
	{ toString: 'not a function', valueOf: 'nope' } as unknown,
	Object.create(null) as unknown,
);

/** Anything Zapier could conceivably hand over in one field. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
	fc.constant(undefined),
	fc.constant(null),
	fc.constantFrom('', '   ', '\n\t', API_KEY, `Bearer ${API_KEY}`),
	fc.boolean(),
	fc.integer(),
	fc.double(),
	fc.constantFrom(Number.NaN, Infinity, -Infinity, -1, 0, Number.MAX_SAFE_INTEGER + 2),
	fc.string({ maxLength: 40 }),
	fc.string({ unit: 'grapheme', maxLength: 40 }),
	fc.string({ unit: 'binary', maxLength: 40 }),
	hugeString,
	fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
	fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
	pollution,
);

/** Values every required text field must refuse. */
const missingText = fc.constantFrom<unknown>(undefined, null, '', '   ', '\n\t ');
const notText = fc.oneof(
	fc.constantFrom<unknown>(Number.NaN, Infinity, -Infinity),
	fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 1, maxLength: 3 }).map((a) => [a]),
	fc.dictionary(fc.string({ maxLength: 6 }), fc.string(), { minKeys: 1, maxKeys: 3 }),
	pollution,
);
const tooLong = (max: number) =>
	fc
		.integer({ min: max + 1, max: max + 5_000 })
		.chain((n) => fc.constantFrom('a', 'ü', '字').map((c) => c.repeat(n)));
const badRequiredText = (max: number) => fc.oneof(missingText, notText, tooLong(max));
const badOptionalText = (max: number) => fc.oneof(notText, tooLong(max));
const badUrl = fc.oneof(
	fc.constantFrom(
		'not a url',
		'ftp://example.com/file.jpg',
		'javascript:alert(1)',
		'http://',
		'https://',
		'//example.com/x.jpg',
		'example.com/x.jpg',
		'https://exa mple.com/x',
		'data:image/png;base64,AAAA',
		'file:///etc/passwd',
	),
	fc
		.string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
		.filter((s) => !/^\s*https?:/i.test(s) && s.trim() !== ''),
	fc.constant(`https://example.com/${'a'.repeat(2_100)}`),
	notText,
);
/** Extra keys a mapped bundle might carry, including prototype-pollution keys. */
const extraKeys = fc.dictionary(
	fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'extra'),
	anyValue,
	{ maxKeys: 3 },
);

// ------------------------------------------------------------------ helpers

function withExtras(input: Record<string, unknown>, extras: Record<string, unknown>) {
	// JSON round trip of the extras gives them as *own* keys, the way a parsed bundle has them
	const own = JSON.parse(JSON.stringify(extras) ?? '{}') as Record<string, unknown>;
	return { ...own, ...input };
}

function messageOf(error: unknown): string {
	const text = String((error as Error)?.message ?? '');
	try {
		const parsed = JSON.parse(text) as { message?: unknown };
		return typeof parsed.message === 'string' ? parsed.message : text;
	} catch {
		return text;
	}
}

function expectNoLeak(error: unknown): void {
	const all = everythingAbout(error);
	expect(all).not.toContain(API_KEY);
	expect(all).not.toContain(API_KEY.slice(8));
}

function expectPrototypeClean(): void {
	expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
}

/** Run one perform; it must either resolve or reject with a Zapier error without the key. */
async function run(
	perform: Perform,
	bundle: Record<string, unknown>,
): Promise<{ result?: unknown; error?: Error }> {
	casesRun++;
	try {
		return { result: await tester(perform as never, bundle as never) };
	} catch (error) {
		expect(ZAPIER_ERRORS).toContain((error as Error).name);
		expectNoLeak(error);
		return { error: error as Error };
	} finally {
		expectPrototypeClean();
	}
}

/** Invalid input: refused with a Zapier error naming `label`, and the emulator saw no request. */
async function expectRefused(
	perform: Perform,
	bundle: Record<string, unknown>,
	label: string | RegExp,
): Promise<Error | undefined> {
	const before = emu.admin.counters().requests;
	const { error } = await run(perform, bundle);
	expect(error).toBeDefined();
	expect(error?.name).toBe('AppError');
	const message = messageOf(error);
	if (typeof label === 'string') expect(message).toContain(label);
	else expect(message).toMatch(label);
	expect(emu.admin.counters().requests).toBe(before);
	return error;
}

function auth() {
	return authData(emu);
}

const validMessage = () => ({ client_ref: clientId, to: '+15551234567', type: 'text', text: 'Hi' });
const validMedia = () => ({
	client_ref: clientId,
	to: '+15551234567',
	type: 'media',
	media_url: 'https://example.com/a.jpg',
});
const validTemplate = () => ({
	client_ref: clientId,
	to: '+15551234567',
	template_name: 'welcome',
	language_code: 'en',
	parameters: ['Ada'],
});
const validSignup = () => ({ business_name: 'Acme', phone_number_id: '555000111' });

const opts = () => ({ numRuns: RUNS });

// ------------------------------------------------------------------ creates

describe('send_message', () => {
	const fields: Array<[string, string, fc.Arbitrary<unknown>, () => Record<string, unknown>]> = [
		['client_ref', 'Client', badRequiredText(256), validMessage],
		['to', 'Recipient', badRequiredText(256), validMessage],
		['text', 'Message Text', badRequiredText(4096), validMessage],
		['media_url', 'Media URL', fc.oneof(missingText, badUrl), validMedia],
		['caption', 'Caption', badOptionalText(1024), validMedia],
		[
			'type',
			'Message Type',
			fc.oneof(
				fc.string({ maxLength: 12 }).filter((s) => !['text', 'media', ''].includes(s.trim())),
				notText,
				fc.constant('template'),
			),
			validMessage,
		],
	];
	for (const [key, label, bad, valid] of fields) {
		it(`an invalid ${key} is refused naming "${label}", before any request`, async () => {
			await fc.assert(
				fc.asyncProperty(bad, extraKeys, async (value, extras) => {
					await expectRefused(
						ops.sendMessage,
						{ authData: auth(), inputData: withExtras({ ...valid(), [key]: value }, extras) },
						label,
					);
				}),
				opts(),
			);
		});
	}

	it('several invalid fields at once: every one is named by its label, before any request', async () => {
		const labels: Record<string, string> = {
			client_ref: 'Client (client_ref)',
			to: 'Recipient (to)',
			text: 'Message Text (text.body)',
		};
		await fc.assert(
			fc.asyncProperty(
				fc.subarray(Object.keys(labels), { minLength: 2 }),
				fc.array(badRequiredText(4096), { minLength: 3, maxLength: 3 }),
				async (keys, values) => {
					const inputData: Record<string, unknown> = validMessage();
					// a value too long for text.body (4096) is too long for an id or recipient (256) too
					keys.forEach((key, i) => {
						inputData[key] = values[i];
					});
					const error = await expectRefused(
						ops.sendMessage,
						{ authData: auth(), inputData },
						`${keys.length} problems`,
					);
					for (const key of keys) expect(messageOf(error)).toContain(labels[key]);
				},
			),
			opts(),
		);
	});

	it('arbitrary input: a result or a Zapier error, never anything else, never the key', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.record(
					{
						client_ref: fc.oneof(fc.constant(clientId), anyValue),
						to: anyValue,
						type: fc.oneof(fc.constantFrom('text', 'media'), anyValue),
						text: anyValue,
						media_url: fc.oneof(fc.constant('https://example.com/a.jpg'), anyValue),
						caption: anyValue,
					},
					{ requiredKeys: [] },
				),
				extraKeys,
				async (input, extras) => {
					const { result, error } = await run(ops.sendMessage, {
						authData: auth(),
						inputData: withExtras(input, extras),
					});
					if (!error) expect((result as { id?: unknown }).id).toEqual(expect.any(String));
				},
			),
			opts(),
		);
	});
});

describe('send_template', () => {
	const fields: Array<[string, string, fc.Arbitrary<unknown>]> = [
		['client_ref', 'Client', badRequiredText(256)],
		['to', 'Recipient', badRequiredText(256)],
		['template_name', 'Template Name', badRequiredText(256)],
		[
			'language_code',
			'Language Code',
			fc.oneof(
				fc.constantFrom('english!', 'e', '12', 'en__US', 'x'.repeat(40), 'en-', '🙂'),
				notText,
			),
		],
		[
			'parameters',
			'Parameters',
			fc.oneof(
				fc.array(fc.constant('p'), { minLength: 101, maxLength: 130 }),
				fc.array(fc.oneof(missingText, notText, tooLong(1024)), { minLength: 1, maxLength: 3 }),
				notText.filter((v) => !Array.isArray(v)).map((v) => [v]),
			),
		],
	];
	for (const [key, label, bad] of fields) {
		it(`an invalid ${key} is refused naming "${label}", before any request`, async () => {
			await fc.assert(
				fc.asyncProperty(bad, extraKeys, async (value, extras) => {
					await expectRefused(
						ops.sendTemplate,
						{
							authData: auth(),
							inputData: withExtras({ ...validTemplate(), [key]: value }, extras),
						},
						label,
					);
				}),
				opts(),
			);
		});
	}

	it('arbitrary input: a result or a Zapier error, never anything else, never the key', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.record(
					{
						client_ref: fc.oneof(fc.constant(clientId), anyValue),
						to: anyValue,
						template_name: fc.oneof(fc.constantFrom('welcome', 'order_update'), anyValue),
						language_code: anyValue,
						parameters: fc.oneof(fc.array(anyValue, { maxLength: 4 }), anyValue),
					},
					{ requiredKeys: [] },
				),
				extraKeys,
				async (input, extras) => {
					await run(ops.sendTemplate, { authData: auth(), inputData: withExtras(input, extras) });
				},
			),
			opts(),
		);
	});
});

describe('onboard_client', () => {
	const fields: Array<[string, string, fc.Arbitrary<unknown>]> = [
		['business_name', 'Business Name', badRequiredText(256)],
		['phone_number_id', 'Phone Number ID', badRequiredText(256)],
		['waba_id', 'WhatsApp Business Account ID', badOptionalText(256)],
		['callback_url', 'Callback URL', badUrl],
	];
	for (const [key, label, bad] of fields) {
		it(`an invalid ${key} is refused naming "${label}", before any request`, async () => {
			await fc.assert(
				fc.asyncProperty(bad, extraKeys, async (value, extras) => {
					await expectRefused(
						ops.onboard,
						{ authData: auth(), inputData: withExtras({ ...validSignup(), [key]: value }, extras) },
						label,
					);
				}),
				opts(),
			);
		});
	}

	it('arbitrary input: a result or a Zapier error, never anything else, never the key', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.record(
					{
						business_name: anyValue,
						phone_number_id: anyValue,
						waba_id: anyValue,
						callback_url: fc.oneof(fc.constant('https://example.com/cb'), anyValue),
					},
					{ requiredKeys: [] },
				),
				extraKeys,
				async (input, extras) => {
					await run(ops.onboard, { authData: auth(), inputData: withExtras(input, extras) });
				},
			),
			opts(),
		);
	});
});

// ------------------------------------------------------------------ search

describe('find_client', () => {
	it('nothing to search by is refused naming both fields, before any request', async () => {
		await fc.assert(
			fc.asyncProperty(missingText, missingText, extraKeys, async (name, phone, extras) => {
				await expectRefused(
					ops.findClient,
					{
						authData: auth(),
						inputData: withExtras({ business_name: name, phone_number_id: phone }, extras),
					},
					/Business Name.*Phone Number ID/,
				);
			}),
			opts(),
		);
	});

	it('a search term that is not text is refused naming its field, before any request', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom(['business_name', 'Business Name'], ['phone_number_id', 'Phone Number ID']),
				notText,
				fc.oneof(missingText, fc.constant('Acme')),
				async ([key, label], bad, other) => {
					const otherKey = key === 'business_name' ? 'phone_number_id' : 'business_name';
					await expectRefused(
						ops.findClient,
						{ authData: auth(), inputData: { [key]: bad, [otherKey]: other } },
						label,
					);
				},
			),
			opts(),
		);
	});

	it('arbitrary search terms (unicode, huge, regex-like): a list or a Zapier error', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.record({ business_name: anyValue, phone_number_id: anyValue }, { requiredKeys: [] }),
				extraKeys,
				async (input, extras) => {
					const { result, error } = await run(ops.findClient, {
						authData: auth(),
						inputData: withExtras(input, extras),
					});
					if (!error) expect(Array.isArray(result)).toBe(true);
				},
			),
			opts(),
		);
	});
});

// ------------------------------------------------------------------ triggers

describe('triggers', () => {
	it('new_client ignores whatever inputData it is given', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.dictionary(fc.string({ maxLength: 8 }), anyValue),
				extraKeys,
				async (input, extras) => {
					const { result, error } = await run(ops.newClient, {
						authData: auth(),
						inputData: withExtras(input, extras),
					});
					expect(error).toBeUndefined();
					expect(Array.isArray(result)).toBe(true);
				},
			),
			{ numRuns: Math.max(10, Math.floor(RUNS / 3)) },
		);
	});

	it('list_clients: any page number (negative, fractional, huge, junk) is a page or an empty list', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(
					anyValue,
					fc.integer({ min: -1_000, max: 1_000 }),
					fc.constantFrom(2 ** 53, 1e300, Number.MAX_SAFE_INTEGER),
				),
				async (page) => {
					const before = emu.admin.counters().requests;
					const { result, error } = await run(ops.listClients, {
						authData: auth(),
						inputData: {},
						meta: { page },
					});
					expect(error).toBeUndefined();
					expect(Array.isArray(result)).toBe(true);
					const offset =
						(Number.isInteger(page) && (page as number) > 0 ? (page as number) : 0) * 50;
					if (!Number.isSafeInteger(offset)) expect(emu.admin.counters().requests).toBe(before);
				},
			),
			opts(),
		);
	});

	it('message_event subscribe: unknown events are refused naming "Events", before any request', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(
					fc.oneof(
						fc
							.string({ maxLength: 20 })
							.filter((s) => s.trim() !== '' && s !== '*' && !s.trim().includes('.')),
						fc.constantFrom('message.unknown', 'MESSAGE.SENT', '__proto__', 'constructor'),
						notText,
					),
					{ minLength: 1, maxLength: 4 },
				),
				async (events) => {
					await expectRefused(
						ops.hookSubscribe,
						{
							authData: auth(),
							targetUrl: 'https://hooks.zapier.com/hooks/standard/1/abc',
							inputData: { events },
						},
						'Events',
					);
				},
			),
			opts(),
		);
	});

	it('message_event subscribe: arbitrary inputs never end in anything but a result or a Zapier error', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.record({ events: anyValue, replace_existing: anyValue }, { requiredKeys: [] }),
				fc.oneof(fc.constant('https://hooks.zapier.com/hooks/standard/1/abc'), anyValue),
				extraKeys,
				async (input, targetUrl, extras) => {
					emu.admin.reset();
					await run(ops.hookSubscribe, {
						authData: auth(),
						targetUrl,
						inputData: withExtras(input, extras),
					});
				},
			),
			{ numRuns: Math.max(10, Math.floor(RUNS / 2)) },
		);
		emu.admin.reset();
		[{ id: clientId }] = emu.admin.seedClients(1);
	});

	it('message_event perform: any delivered body is one event, [] or a Zapier error, with no request', async () => {
		const event = emu.admin.emitEvent('message.delivered', {
			message_id: 'msg_1',
			client_ref: clientId,
			to: '+15551234567',
			channel: 'whatsapp',
			status: 'delivered',
		});
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(
					anyValue,
					fc.record(
						{ ...Object.fromEntries(Object.keys(event).map((k) => [k, anyValue])) },
						{ requiredKeys: [] },
					),
					fc.constant(event).chain((e) =>
						fc
							.record({
								key: fc.constantFrom('id', 'type', 'created_at', 'data'),
								value: anyValue,
							})
							.map(({ key, value }) => ({ ...e, [key]: value })),
					),
					fc.jsonValue().map((v) => JSON.stringify(v)),
				),
				fc.record({ events: anyValue }, { requiredKeys: [] }),
				async (body, inputData) => {
					const before = emu.admin.counters().requests;
					const { result, error } = await run(ops.hookPerform, {
						authData: auth(),
						inputData,
						cleanedRequest: body,
					});
					if (!error) {
						expect(Array.isArray(result)).toBe(true);
						expect((result as unknown[]).length).toBeLessThanOrEqual(1);
					} else {
						expect(error.name).toBe('AppError');
					}
					expect(emu.admin.counters().requests).toBe(before);
				},
			),
			opts(),
		);
	});

	it('message_event performList: any events selection gives samples or a Zapier error, with no request', async () => {
		await fc.assert(
			fc.asyncProperty(fc.record({ events: anyValue }, { requiredKeys: [] }), async (inputData) => {
				const before = emu.admin.counters().requests;
				const { result, error } = await run(ops.hookList, { authData: auth(), inputData });
				if (!error) expect(Array.isArray(result)).toBe(true);
				expect(emu.admin.counters().requests).toBe(before);
			}),
			opts(),
		);
	});
});

// ------------------------------------------------------------------ connection

describe('connection (authData)', () => {
	it('an unusable API key is refused naming "API Key", before any request, without echoing it', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(
					missingText,
					notText,
					fc.constantFrom('sk_live_1234567890', 'ik_prod_1234567890', 'Bearer x', '🙂🙂🙂'),
					fc.string({ maxLength: 30 }).filter((s) => !/^\s*ik_(test|live)_/.test(s)),
				),
				async (apiKey) => {
					const error = await expectRefused(
						ops.sendMessage,
						{ authData: { apiKey, environment: 'auto' }, inputData: validMessage() },
						'API Key',
					);
					// whatever was typed into the key field is not repeated back
					if (typeof apiKey === 'string' && apiKey.trim().length >= 6)
						expect(everythingAbout(error)).not.toContain(apiKey.trim());
				},
			),
			opts(),
		);
	});

	it('an unusable base URL for the custom environment is refused naming "Base URL", before any request', async () => {
		await fc.assert(
			fc.asyncProperty(fc.oneof(badUrl, missingText), async (baseUrl) => {
				await expectRefused(
					ops.sendMessage,
					{
						authData: { apiKey: API_KEY, environment: 'custom', baseUrl },
						inputData: validMessage(),
					},
					'Base URL',
				);
			}),
			opts(),
		);
	});
});
