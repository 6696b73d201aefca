/**
 * Parameter fuzzing of the IntelliPortal node: Message → Send (text, media) and its Options.
 * The properties every case checks and the oracle are in ./harness.ts.
 */
import fc from 'fast-check';
import type { IDataObject, INode } from 'n8n-workflow';

import { recordFuzzCases } from '../../reliability/fuzzCount';
import {
	FUZZ_RUNS,
	bad,
	clientRefField,
	env,
	fuzzCaseLabel,
	inputValue,
	ok,
	parameterFor,
	params,
	runCase,
	sentMessages,
	textField,
	timeLimit,
	toField,
	urlField,
	via,
	useFuzzEnv,
} from './harness';
import type { TextItem } from './harness';

useFuzzEnv();

describe('Message → Send (text)', () => {
	it(
		'accepts exactly the valid items, names the fields of the others, sends nothing invalid',
		async () => {
			const item = fc.record<TextItem>({
				clientRef: clientRefField,
				to: toField,
				textBody: textField(4096),
			});
			await fc.assert(
				fc.asyncProperty(
					fc.array(item, { minLength: 1, maxLength: 5 }),
					via,
					fc.boolean(),
					async (items, mode, continueOnFail) => {
						// Literal parameters are the same for every item: use the first item's values.
						const rows = mode === 'literal' ? items.map(() => items[0]) : items;
						const node = env.actionNode({
							resource: 'message',
							operation: 'send',
							clientRef: {
								__rl: true,
								mode: 'id',
								value: parameterFor('clientRef', rows[0].clientRef, mode),
							},
							to: parameterFor('to', rows[0].to, mode),
							messageType: 'text',
							textBody: parameterFor('textBody', rows[0].textBody, mode),
						} as INode['parameters']);
						const input = rows.map((r) => ({
							clientRef: inputValue(r.clientRef),
							to: inputValue(r.to),
							textBody: inputValue(r.textBody),
						}));
						const verdicts = rows.map((r) => ({
							invalid: [
								...(r.clientRef.valid ? [] : ['Client']),
								...(r.to.valid ? [] : ['To']),
								...(r.textBody.valid ? [] : ['Text']),
							],
							body: {
								client_ref: r.clientRef.normalised,
								to: r.to.normalised,
								type: 'text',
								text: { body: r.textBody.normalised },
							},
						}));
						await runCase(node, input as IDataObject[], verdicts, {
							continueOnFail,
							sentBodies: sentMessages,
						});
					},
				),
				params('sendText'),
			);
			recordFuzzCases(fuzzCaseLabel('sendText'), FUZZ_RUNS.sendText);
		},
		timeLimit('sendText'),
	);
});

describe('Message → Send (media)', () => {
	it(
		'accepts exactly the valid items, names the fields of the others, sends nothing invalid',
		async () => {
			const item = fc.record({
				clientRef: clientRefField,
				to: toField,
				mediaUrl: urlField(true),
				mediaCaption: fc.oneof(
					{ weight: 2, arbitrary: textField(1024, false) },
					{ weight: 1, arbitrary: fc.constantFrom(ok(''), ok('   '), ok(null)) },
				),
			});
			await fc.assert(
				fc.asyncProperty(
					fc.array(item, { minLength: 1, maxLength: 4 }),
					fc.boolean(),
					async (rows, continueOnFail) => {
						const node = env.actionNode({
							resource: 'message',
							operation: 'send',
							clientRef: { __rl: true, mode: 'list', value: '={{ $json.clientRef }}' },
							to: '={{ $json.to }}',
							messageType: 'media',
							mediaUrl: '={{ $json.mediaUrl }}',
							mediaCaption: '={{ $json.mediaCaption }}',
						});
						const input = rows.map((r) => ({
							clientRef: r.clientRef.value,
							to: r.to.value,
							mediaUrl: r.mediaUrl.value,
							mediaCaption: r.mediaCaption.value,
						}));
						const verdicts = rows.map((r) => {
							const caption = r.mediaCaption.normalised;
							return {
								invalid: [
									...(r.clientRef.valid ? [] : ['Client']),
									...(r.to.valid ? [] : ['To']),
									...(r.mediaUrl.valid ? [] : ['Media URL']),
									...(r.mediaCaption.valid ? [] : ['Caption']),
								],
								body: {
									client_ref: r.clientRef.normalised,
									to: r.to.normalised,
									type: 'media',
									media: caption
										? { url: r.mediaUrl.normalised, caption }
										: { url: r.mediaUrl.normalised },
								},
							};
						});
						await runCase(node, input as IDataObject[], verdicts, {
							continueOnFail,
							sentBodies: sentMessages,
						});
					},
				),
				params('sendMedia'),
			);
			recordFuzzCases(fuzzCaseLabel('sendMedia'), FUZZ_RUNS.sendMedia);
		},
		timeLimit('sendMedia'),
	);
});

describe('Message → Send options', () => {
	it(
		'Concurrency and Max Requests per Second: bad values fail the run naming the option, nothing is sent',
		async () => {
			const concurrency = fc.oneof(
				fc.integer({ min: 1, max: 50 }).map((n) => ok(n)),
				fc.constantFrom(ok(undefined), ok('8')),
				fc
					.constantFrom<unknown>(
						0,
						-1,
						-50,
						51,
						1e9,
						2.5,
						Number.NaN,
						Number.POSITIVE_INFINITY,
						'abc',
						'',
						true,
						{},
						[],
						null,
					)
					.map(bad),
			);
			const rate = fc.oneof(
				fc.constantFrom(ok(undefined), ok(0), ok(7.5), ok(50), ok(1000), ok('20')),
				fc
					.constantFrom<unknown>(
						-1,
						Number.NaN,
						Number.POSITIVE_INFINITY,
						'fast',
						true,
						{},
						[],
						null,
					)
					.map(bad),
			);
			await fc.assert(
				fc.asyncProperty(
					concurrency,
					rate,
					fc.integer({ min: 1, max: 4 }),
					fc.boolean(),
					fc.constantFrom('send', 'sendTemplate'),
					async (c, r, count, continueOnFail, operation) => {
						const options: IDataObject = {};
						if (c.value !== undefined) options.concurrency = c.value as number;
						if (r.value !== undefined) options.maxRequestsPerSecond = r.value as number;
						const node = env.actionNode({
							resource: 'message',
							operation,
							clientRef: { __rl: true, mode: 'id', value: 'cl_opts' },
							to: '={{ $json.to }}',
							messageType: 'text',
							textBody: 'Hello',
							templateName: 'hello_world',
							options: options as INode['parameters'][string],
						});
						const input = Array.from({ length: count }, (_, i) => ({ to: `+1415555${1000 + i}` }));
						const runLevelInvalid = [
							...(c.valid ? [] : ['Concurrency']),
							...(r.valid ? [] : ['Max Requests per Second']),
						];
						const verdicts = input.map((row) => ({
							invalid: [],
							body:
								operation === 'send'
									? { client_ref: 'cl_opts', to: row.to, type: 'text', text: { body: 'Hello' } }
									: {
											client_ref: 'cl_opts',
											to: row.to,
											template: { name: 'hello_world', language: { code: 'en' } },
										},
						}));
						await runCase(node, input, verdicts, {
							continueOnFail,
							runLevelInvalid,
							sentBodies: sentMessages,
						});
					},
				),
				params('sendOptions'),
			);
			recordFuzzCases(fuzzCaseLabel('sendOptions'), FUZZ_RUNS.sendOptions);
		},
		timeLimit('sendOptions'),
	);
});
