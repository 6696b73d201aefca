/**
 * Parameter fuzzing of the IntelliPortal node: Message → Send Template.
 * The properties every case checks and the oracle are in ./harness.ts.
 */
import fc from 'fast-check';
import type { IDataObject, INode } from 'n8n-workflow';

import { recordFuzzCases } from '../../reliability/fuzzCount';
import {
	FUZZ_RUNS,
	HUGE,
	clientRefField,
	env,
	fuzzCaseLabel,
	garbageForText,
	hostileKey,
	params,
	runCase,
	sentMessages,
	textField,
	timeLimit,
	toField,
	withHostileKeys,
	useFuzzEnv,
} from './harness';
import type { ItemVerdict } from './harness';

useFuzzEnv();

const TEMPLATES = [
	{ name: 'welcome', parameterCount: 1, languages: ['en', 'es', 'pt_BR'] },
	{ name: 'order_update', parameterCount: 2, languages: ['en', 'es'] },
	{ name: 'appointment_reminder', parameterCount: 3, languages: ['en'] },
	{ name: 'hello_world', parameterCount: 0, languages: ['en'] },
] as const;

/** One item of a template run: its own client, recipient, name, language and parameter values. */
const templateRow = fc.record({
	clientRef: clientRefField,
	to: toField,
	nameValid: fc.boolean(),
	badName: garbageForText,
	language: fc.oneof(
		{ weight: 3, arbitrary: fc.constant<'known'>('known') },
		{ weight: 1, arbitrary: fc.constantFrom<unknown>('', null, undefined) },
		{
			weight: 1,
			arbitrary: fc.constantFrom<unknown>('english!', '12', '   ', 'e', true, {}, [], HUGE, 'en_'),
		},
	),
	languagePick: fc.nat(),
	values: fc.array(textField(1024), { minLength: 3, maxLength: 3 }),
});

/**
 * How the Template Parameters fixedCollection is written. n8n normalises a fixedCollection before
 * the node runs (a whole-collection expression or a non-object becomes {}, unknown and
 * `__proto__` keys are dropped, a null entry becomes {}), so per-item values come through an
 * expression in each entry's Value, and hostile keys sit around and inside the entries.
 */
const templateShape = fc.oneof(
	{ weight: 5, arbitrary: fc.constant<'plain'>('plain') },
	{ weight: 2, arbitrary: hostileKey },
	{ weight: 1, arbitrary: fc.constant<'nullEntry'>('nullEntry') },
);

describe('Message → Send Template', () => {
	it(
		'accepts exactly the valid items, names the fields of the others, sends nothing invalid',
		async () => {
			await fc.assert(
				fc.asyncProperty(
					fc.constantFrom(...TEMPLATES),
					fc.array(templateRow, { minLength: 1, maxLength: 4 }),
					templateShape,
					fc.boolean(),
					async (template, rows, shape, continueOnFail) => {
						const count = template.parameterCount;
						const entries: IDataObject[] = Array.from({ length: count }, (_, p) => ({
							value: `={{ $json.p${p} }}`,
						}));
						let templateParameters: IDataObject = count > 0 ? { parameter: entries } : {};
						if (shape === 'nullEntry') {
							templateParameters = { parameter: [...entries, null] as unknown as IDataObject[] };
						} else if (shape !== 'plain') {
							templateParameters = withHostileKeys(
								{ parameter: [] },
								{ [shape]: { parameter: [{ value: 'decoy' }] } },
							);
							(templateParameters.parameter as IDataObject[]).push(
								...entries.map((e) => withHostileKeys(e, { [shape]: { value: 'decoy' } })),
							);
						}
						const node = env.actionNode({
							resource: 'message',
							operation: 'sendTemplate',
							clientRef: { __rl: true, mode: 'id', value: '={{ $json.clientRef }}' },
							to: '={{ $json.to }}',
							templateName: '={{ $json.name }}',
							languageCode: '={{ $json.languageCode }}',
							templateParameters: templateParameters as INode['parameters'][string],
						});
						const input: IDataObject[] = [];
						const verdicts: ItemVerdict[] = [];
						for (const r of rows) {
							const invalid: string[] = [];
							if (!r.clientRef.valid) invalid.push('Client');
							if (!r.to.valid) invalid.push('To');
							if (!r.nameValid) invalid.push('Template Name');
							let code = 'en';
							let languageCode: unknown = r.language;
							if (r.language === 'known') {
								code = template.languages[r.languagePick % template.languages.length];
								languageCode = code;
							} else if (!(r.language === '' || r.language === null || r.language === undefined)) {
								invalid.push('Language Code');
							}
							const values = r.values.slice(0, count);
							if (values.some((v) => !v.valid) || shape === 'nullEntry') {
								invalid.push('Template Parameters');
							}
							const row: IDataObject = {
								clientRef: r.clientRef.value as string,
								to: r.to.value as string,
								name: (r.nameValid ? template.name : r.badName) as string,
								languageCode: languageCode as string,
							};
							values.forEach((v, p) => (row[`p${p}`] = v.value as string));
							input.push(row);
							verdicts.push({
								invalid,
								body: {
									client_ref: r.clientRef.normalised,
									to: r.to.normalised,
									template: {
										name: template.name,
										language: { code },
										...(count > 0 ? { parameters: values.map((v) => v.normalised) } : {}),
									},
								},
							});
						}
						await runCase(node, input, verdicts, { continueOnFail, sentBodies: sentMessages });
					},
				),
				params('sendTemplate'),
			);
			recordFuzzCases(fuzzCaseLabel('sendTemplate'), FUZZ_RUNS.sendTemplate);
		},
		timeLimit('sendTemplate'),
	);
});
