/**
 * Parameter fuzzing of the IntelliPortal node: Webhook → Update Configuration, Get Configuration.
 * The properties every case checks and the oracle are in ./harness.ts.
 */
import fc from 'fast-check';
import type { IDataObject, INode } from 'n8n-workflow';

import { recordFuzzCases } from '../../reliability/fuzzCount';
import {
	FUZZ_RUNS,
	HUGE,
	INVALID_URLS,
	bad,
	env,
	fuzzCaseLabel,
	garbageForText,
	ok,
	params,
	runCase,
	timeLimit,
	withHostileKeys,
	useFuzzEnv,
} from './harness';

useFuzzEnv();

// ---------------------------------------------------------------------------------------------
// Webhook → Update, Get

describe('Webhook → Update Configuration', () => {
	const EVENTS = [
		'message.queued',
		'message.sent',
		'message.delivered',
		'message.read',
		'message.failed',
		'message.received',
		'client.onboarded',
	];

	it(
		'accepts exactly the valid items, names the fields of the others, sends nothing invalid',
		async () => {
			const url = fc.oneof(
				fc
					.constantFrom(
						'https://hooks.example.com/ip',
						'  https://hooks.example.com/a?b=c  ',
						'http://localhost:5678/webhook/x',
						'http://127.0.0.1/hook',
						'http://[::1]:8080/h',
					)
					.map((u) => ok(u, u.trim())),
				fc
					.constantFrom<unknown>(
						// An expression resolving to nothing: the core's PUT would keep the old URL.
						undefined,
						'http://example.com/hook',
						'http://192.168.0.10/hook',
						...INVALID_URLS,
						'',
						'   ',
						null,
						7,
						true,
						{},
						[],
						['https://hooks.example.com/ip'],
						HUGE,
					)
					.map(bad),
			);
			const events = fc.oneof(
				fc.subarray(EVENTS).map((e) => ok(e)),
				fc.constantFrom(ok(['*']), ok(['message.sent', 'message.sent']), ok([' message.read '])),
				fc
					.constantFrom<unknown>(
						// An expression resolving to nothing: a PUT without events subscribes to all.
						undefined,
						['message.unknown'],
						['message.sent', 7],
						[null],
						[{}],
						'message.sent',
						{ 0: 'message.sent' },
						true,
						7,
						[HUGE],
					)
					.map(bad),
			);
			await fc.assert(
				fc.asyncProperty(
					fc.array(fc.tuple(url, events), { minLength: 1, maxLength: 3 }),
					fc.boolean(),
					async (rows, continueOnFail) => {
						const node = env.actionNode({
							resource: 'webhook',
							operation: 'update',
							url: '={{ $json.url }}',
							events: '={{ $json.events }}' as unknown as string[],
						});
						const input = rows.map(([u, e]) => ({ url: u.value, events: e.value }) as IDataObject);
						const verdicts = rows.map(([u, e]) => ({
							invalid: [...(u.valid ? [] : ['URL']), ...(e.valid ? [] : ['Events'])],
						}));
						const { items } = await runCase(node, input, verdicts, { continueOnFail });
						// The configuration is the last valid item's.
						const lastValid = [...rows].reverse().find(([u, e]) => u.valid && e.valid);
						if (lastValid && items) {
							const [u, e] = lastValid;
							const list = e.value as string[];
							const expected = list.includes('*')
								? EVENTS
								: [...new Set(list.map((name) => name.trim()))];
							expect(env.emulator.admin.webhookConfig()).toEqual({
								url: u.normalised,
								events: expected,
							});
						}
					},
				),
				params('webhookUpdate'),
			);
			recordFuzzCases(fuzzCaseLabel('webhookUpdate'), FUZZ_RUNS.webhookUpdate);
		},
		timeLimit('webhookUpdate'),
	);
});

describe('Webhook → Get Configuration', () => {
	it(
		'ignores garbage in parameters it does not use',
		async () => {
			await fc.assert(
				fc.asyncProperty(
					fc.dictionary(
						fc.constantFrom(
							'url',
							'events',
							'limit',
							'textBody',
							'options',
							'additionalFields',
							'__proto__',
							'constructor',
						),
						fc.oneof(garbageForText, fc.anything({ maxDepth: 2 })),
						{ maxKeys: 4 },
					),
					fc.integer({ min: 1, max: 3 }),
					fc.boolean(),
					async (junk, count, continueOnFail) => {
						const parameters = withHostileKeys({ resource: 'webhook', operation: 'get' }, junk);
						const node = env.actionNode(parameters as INode['parameters']);
						const input = Array.from({ length: count }, () => ({}));
						const { items } = await runCase(
							node,
							input,
							input.map(() => ({ invalid: [] })),
							{ continueOnFail },
						);
						expect(items).toHaveLength(count);
						for (const item of items!)
							expect(item.json).toEqual({ url: null, events: [], secretSet: false });
					},
				),
				params('webhookGet'),
			);
			recordFuzzCases(fuzzCaseLabel('webhookGet'), FUZZ_RUNS.webhookGet);
		},
		timeLimit('webhookGet'),
	);
});
