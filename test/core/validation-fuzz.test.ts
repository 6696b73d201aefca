import fc from 'fast-check';

import { IntelliPortalClient } from '../../shared/apiClient';
import { ValidationError } from '../../shared/errors';
import {
	validateClientSignup,
	validateListClients,
	validateSendMessage,
	validateSendTemplate,
	validateWebhookUpdate,
} from '../../shared/validation';
import { parseWebhookEvent } from '../../shared/webhooks';
import type { SendMessageInput } from '../../shared/types';
import { BASE, FakeTransport, KEY } from './helpers/fake-transport';
import { recordFuzzCases } from '../reliability/fuzzCount';

/** Anything an AI agent might send, including objects shaped almost like the real input. */
const anyInput = fc.oneof(
	fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true }),
	fc.record(
		{
			client_ref: fc.anything(),
			to: fc.anything(),
			type: fc.oneof(fc.constantFrom('text', 'media', 'template'), fc.anything()),
			text: fc.oneof(fc.record({ body: fc.anything() }), fc.anything()),
			media: fc.oneof(fc.record({ url: fc.anything(), caption: fc.anything() }), fc.anything()),
			template: fc.oneof(
				fc.record({ name: fc.anything(), language: fc.anything(), parameters: fc.anything() }),
				fc.anything(),
			),
			url: fc.oneof(fc.webUrl(), fc.anything()),
			events: fc.oneof(fc.array(fc.string()), fc.anything()),
			limit: fc.anything(),
			offset: fc.anything(),
		},
		{ requiredKeys: [] },
	),
);

const validators = [
	validateSendMessage,
	validateSendTemplate,
	validateClientSignup,
	validateListClients,
	validateWebhookUpdate,
	parseWebhookEvent,
];

describe('validation never crashes on arbitrary input', () => {
	it.each(validators.map((v) => [v.name, v] as const))(
		'%s: a result or a ValidationError with a field',
		(_name, validate) => {
			fc.assert(
				fc.property(anyInput, (input) => {
					try {
						validate(input);
					} catch (error) {
						if (!(error instanceof ValidationError)) throw error;
						expect(typeof error.field).toBe('string');
						expect(error.message.length).toBeLessThan(20_000);
					}
				}),
				{ numRuns: 400 },
			);
			recordFuzzCases(`core validation: ${_name} (test/core/validation-fuzz.test.ts)`, 400);
		},
	);

	it('no request is ever made for input that fails validation', async () => {
		await fc.assert(
			fc.asyncProperty(anyInput, async (input) => {
				const transport = new FakeTransport([{ status: 200, body: { id: 'm' } }]);
				const client = new IntelliPortalClient({ apiKey: KEY, baseUrl: BASE, transport });
				try {
					await client.sendMessage(input as SendMessageInput);
				} catch (error) {
					expect(error).toBeInstanceOf(ValidationError);
					expect(transport.requests).toHaveLength(0);
					return;
				}
				const body = transport.requests[0].body as Record<string, unknown>;
				expect(
					Object.keys(body).every((k) => ['client_ref', 'to', 'type', 'text', 'media'].includes(k)),
				).toBe(true);
			}),
			{ numRuns: 300 },
		);
		recordFuzzCases(
			'core client: no request for invalid input (test/core/validation-fuzz.test.ts)',
			300,
		);
	});
});
