/**
 * Parameter fuzzing of the IntelliPortal node: expressions that cannot be resolved, unknown resource or operation.
 * The properties every case checks and the oracle are in ./harness.ts.
 */
import fc from 'fast-check';
import type { INode } from 'n8n-workflow';

import { recordFuzzCases } from '../../reliability/fuzzCount';
import { FUZZ_RUNS, env, fuzzCaseLabel, params, runCase, timeLimit, useFuzzEnv } from './harness';

useFuzzEnv();

describe('expressions that cannot be resolved', () => {
	/** n8n swallows some failures (the value becomes undefined), reports others (syntax, security). */
	const BROKEN = [
		'={{ $json.missing.deep }}',
		'={{ JSON.parse("{") }}',
		'={{ $("NoSuchNode").item.json.x }}',
		'={{ (() => { throw new Error("boom") })() }}',
		'={{ $json. }}',
		'={{ }}',
		'={{ this.constructor.constructor("return process")() }}',
		'={{ $json.__proto__ }}',
		'={{ $json.constructor }}',
		'={{ $json.list }}',
	];
	const text = {
		resource: 'message',
		operation: 'send',
		clientRef: { __rl: true, mode: 'id', value: 'cl_x' },
		to: '+14155550100',
		messageType: 'text',
		textBody: 'Hi',
	};
	const TARGETS: Array<[string, (broken: string) => INode['parameters']]> = [
		['Client', (b) => ({ ...text, clientRef: { __rl: true, mode: 'id', value: b } })],
		['To', (b) => ({ ...text, to: b })],
		['Text', (b) => ({ ...text, textBody: b })],
		['Media URL', (b) => ({ ...text, messageType: 'media', mediaUrl: b })],
		[
			'Template Name',
			(b) => ({ ...text, operation: 'sendTemplate', templateName: b, languageCode: 'en' }),
		],
		[
			'Template Parameters',
			(b) => ({
				...text,
				operation: 'sendTemplate',
				templateName: 'welcome',
				templateParameters: { parameter: [{ value: b }] },
			}),
		],
		[
			'Business Name',
			(b) => ({ resource: 'client', operation: 'onboard', businessName: b, phoneNumberId: '1' }),
		],
		[
			'Phone Number ID',
			(b) => ({ resource: 'client', operation: 'onboard', businessName: 'A', phoneNumberId: b }),
		],
		[
			'URL',
			(b) => ({ resource: 'webhook', operation: 'update', url: b, events: ['message.sent'] }),
		],
		[
			'Events',
			(b) => ({
				resource: 'webhook',
				operation: 'update',
				url: 'https://hooks.example.com/ip',
				events: b,
			}),
		],
	];

	it(
		'fail naming the field, for every item, and send nothing',
		async () => {
			await fc.assert(
				fc.asyncProperty(
					fc.constantFrom(...TARGETS),
					fc.constantFrom(...BROKEN),
					fc.integer({ min: 1, max: 3 }),
					fc.boolean(),
					async ([displayName, parameters], broken, count, continueOnFail) => {
						const node = env.actionNode(parameters(broken));
						// `list` resolves to a list for Events (a list of garbage), to a list elsewhere.
						const input = Array.from({ length: count }, () => ({ list: [{}, 7] }));
						await runCase(
							node,
							input,
							input.map(() => ({ invalid: [displayName] })),
							{ continueOnFail },
						);
					},
				),
				params('brokenExpression'),
			);
			recordFuzzCases(fuzzCaseLabel('brokenExpression'), FUZZ_RUNS.brokenExpression);
		},
		timeLimit('brokenExpression'),
	);
});

describe('unknown resource or operation', () => {
	it(
		'fails naming the operation, sends nothing',
		async () => {
			await fc.assert(
				fc.asyncProperty(
					fc.constantFrom('message', 'client', 'webhook'),
					fc.constantFrom('delete', 'sendNow', '', 'SEND', '__proto__', 'constructor'),
					fc.boolean(),
					async (resource, operation, continueOnFail) => {
						const node = env.actionNode({
							resource,
							operation,
							textBody: 'x',
							to: '+1',
							clientRef: 'c',
						});
						await runCase(node, [{}], [{ invalid: ['Operation'] }], { continueOnFail });
					},
				),
				params('unknownOperation'),
			);
			recordFuzzCases(fuzzCaseLabel('unknownOperation'), FUZZ_RUNS.unknownOperation);
		},
		timeLimit('unknownOperation'),
	);
});
