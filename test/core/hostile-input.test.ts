/**
 * Property tests: whatever an AI agent or a workflow sends, the core answers with either a
 * validated request holding only contract fields, or a ValidationError naming a field, and never
 * makes a request for invalid input. No TypeError, RangeError or prototype pollution.
 */
import fc from 'fast-check';

import { IntelliPortalClient } from '../../shared/apiClient';
import { ValidationError } from '../../shared/errors';
import {
	validateClientSignup,
	validateListAll,
	validateListClients,
	validateSendMessage,
	validateSendTemplate,
	validateWebhookUpdate,
} from '../../shared/validation';
import { parseWebhookEvent } from '../../shared/webhooks';
import type {
	ClientSignupInput,
	SendMessageInput,
	SendTemplateInput,
	WebhookConfigUpdateInput,
} from '../../shared/types';
import { BASE, FakeTransport, KEY } from './helpers/fake-transport';
import { recordFuzzCases } from '../reliability/fuzzCount';

/** Values an agent may send: anything, plus near-miss shapes of the real inputs. */
const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf');
const leaf = fc.oneof(
	fc.anything({ maxDepth: 2 }),
	fc.string({ maxLength: 20 }),
	fc.constantFrom(
		'',
		'   ',
		'text',
		'media',
		'template',
		'https://x.io/a.png',
		'http://',
		'*',
		'en',
	),
	fc.constant('x'.repeat(5000)),
	fc.integer(),
	fc.double(),
);
const nearMiss = fc.record(
	{
		client_ref: leaf,
		to: leaf,
		type: leaf,
		text: fc.oneof(leaf, fc.record({ body: leaf }, { requiredKeys: [] })),
		media: fc.oneof(leaf, fc.record({ url: leaf, caption: leaf }, { requiredKeys: [] })),
		template: fc.oneof(
			leaf,
			fc.record(
				{
					name: leaf,
					language: fc.oneof(leaf, fc.record({ code: leaf }, { requiredKeys: [] })),
					parameters: fc.oneof(leaf, fc.array(leaf, { maxLength: 4 })),
				},
				{ requiredKeys: [] },
			),
		),
		business_name: leaf,
		phone_number_id: leaf,
		waba_id: leaf,
		callback_url: leaf,
		url: leaf,
		events: fc.oneof(leaf, fc.array(leaf, { maxLength: 4 })),
		limit: leaf,
		offset: leaf,
		max: leaf,
		pageSize: leaf,
	},
	{ requiredKeys: [] },
);
const withHostileKeys = fc
	.tuple(nearMiss, fc.array(fc.tuple(hostileKey, leaf), { maxLength: 3 }))
	.map(([base, extra]) => {
		// JSON.parse creates real own `__proto__` keys, as a parsed request body would.
		const json = JSON.stringify(base, (_k, v: unknown) => (typeof v === 'bigint' ? 1 : v)) ?? '{}';
		const parsed: Record<string, unknown> = JSON.parse(json.startsWith('{') ? json : '{}');
		for (const [k, v] of extra) {
			Object.defineProperty(parsed, k, {
				value: v,
				enumerable: true,
				configurable: true,
				writable: true,
			});
		}
		return parsed;
	});
const anyInput = fc.oneof(fc.anything(), nearMiss, withHostileKeys);

const validators: Array<[string, (input: unknown) => unknown, string[]]> = [
	['validateSendMessage', validateSendMessage, ['client_ref', 'to', 'type', 'text', 'media']],
	['validateSendTemplate', validateSendTemplate, ['client_ref', 'to', 'template']],
	[
		'validateClientSignup',
		validateClientSignup,
		['business_name', 'phone_number_id', 'waba_id', 'callback_url'],
	],
	['validateWebhookUpdate', validateWebhookUpdate, ['url', 'events']],
	['validateListClients', validateListClients, ['limit', 'offset']],
	['validateListAll', validateListAll, ['max', 'pageSize', 'maxPages']],
];

function expectValidationError(error: unknown): void {
	if (!(error instanceof ValidationError)) {
		throw new Error(`expected a ValidationError, got ${String(error)}`);
	}
	expect(typeof error.field).toBe('string');
	expect(error.field).not.toBe('');
	expect(error.issues.length).toBeGreaterThan(0);
	expect(error.message.length).toBeLessThan(20_000);
}

describe.each(validators)('%s on arbitrary input', (_name, validate, allowedKeys) => {
	it('returns only contract fields or throws a ValidationError naming a field', () => {
		fc.assert(
			fc.property(anyInput, (input) => {
				let out: unknown;
				try {
					out = validate(input);
				} catch (error) {
					expectValidationError(error);
					return;
				}
				expect(out).not.toBeNull();
				expect(typeof out).toBe('object');
				for (const key of Object.keys(out as object)) expect(allowedKeys).toContain(key);
				expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
				expect(({} as Record<string, unknown>).polluted).toBeUndefined();
			}),
			{ numRuns: 400, seed: 20261125 },
		);
		recordFuzzCases(`core hostile input: ${_name} (test/core/hostile-input.test.ts)`, 400);
	});
});

describe('the client on arbitrary input', () => {
	const operations: Array<[string, (c: IntelliPortalClient, input: unknown) => Promise<unknown>]> =
		[
			// The inputs are typed for hosts; at run time anything can arrive.
			['sendMessage', (c, i) => c.sendMessage(i as SendMessageInput)],
			['sendTemplate', (c, i) => c.sendTemplate(i as SendTemplateInput)],
			['onboardClient', (c, i) => c.onboardClient(i as ClientSignupInput)],
			['updateWebhookConfig', (c, i) => c.updateWebhookConfig(i as WebhookConfigUpdateInput)],
			['listClients', (c, i) => c.listClients(i as never)],
		];

	it.each(operations)(
		'%s makes no request when validation fails, and only then',
		async (_n, call) => {
			await fc.assert(
				fc.asyncProperty(anyInput, async (input) => {
					const transport = new FakeTransport([
						{ status: 200, body: { id: 'x', url: null, events: [], data: [] } },
					]);
					const client = new IntelliPortalClient({ apiKey: KEY, baseUrl: BASE, transport });
					try {
						await call(client, input);
					} catch (error) {
						if (error instanceof ValidationError && transport.requests.length === 0) {
							expectValidationError(error);
							return;
						}
						throw error;
					}
					expect(transport.requests).toHaveLength(1);
					const body = transport.requests[0].body;
					if (body !== undefined) {
						const json = JSON.stringify(body);
						expect(json).not.toContain('__proto__');
						expect(json).not.toContain('"constructor"');
						expect(json).not.toContain('"prototype"');
					}
				}),
				{ numRuns: 150, seed: 7 },
			);
			recordFuzzCases(
				`core client: ${_n} on arbitrary input (test/core/hostile-input.test.ts)`,
				150,
			);
		},
	);
});

describe('parseWebhookEvent on arbitrary input', () => {
	it('returns an event with id/type/created_at/data or throws a ValidationError naming a field', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.anything(),
					fc.string(),
					fc.json(),
					fc.record(
						{
							id: leaf,
							type: fc.oneof(leaf, fc.constantFrom('message.sent', 'client.onboarded')),
							created_at: fc.oneof(leaf, fc.constant('2026-01-01T00:00:00Z')),
							data: fc.oneof(
								leaf,
								fc.record({ message_id: leaf, client: leaf }, { requiredKeys: [] }),
							),
						},
						{ requiredKeys: [] },
					),
				),
				(input) => {
					try {
						const event = parseWebhookEvent(input);
						expect(typeof event.id).toBe('string');
						expect(typeof event.type).toBe('string');
						expect(typeof event.created_at).toBe('string');
						expect(typeof event.data).toBe('object');
					} catch (error) {
						expectValidationError(error);
					}
				},
			),
			{ numRuns: 400, seed: 42 },
		);
		recordFuzzCases('core parseWebhookEvent (test/core/hostile-input.test.ts)', 400);
	});
});
