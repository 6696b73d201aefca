/**
 * Parameter fuzzing of the IntelliPortal node: Client → Onboard, Get Many, and the "From list" client search.
 * The properties every case checks and the oracle are in ./harness.ts.
 */
import fc from 'fast-check';
import type { IDataObject, INode } from 'n8n-workflow';

import { recordFuzzCases } from '../../reliability/fuzzCount';
import {
	FUZZ_RUNS,
	HUGE,
	HUGE_UNICODE,
	bad,
	env,
	expectNoSecret,
	expectNodeError,
	fuzzCaseLabel,
	goodText,
	groupByPairedItem,
	hostileKey,
	ok,
	params,
	runCase,
	textField,
	timeLimit,
	unhandled,
	urlField,
	withHostileKeys,
	useFuzzEnv,
} from './harness';
import type { ItemVerdict, V } from './harness';

useFuzzEnv();

// ---------------------------------------------------------------------------------------------
// Client → Onboard, Get Many

describe('Client → Onboard', () => {
	it(
		'accepts exactly the valid items, names the fields of the others, sends nothing invalid',
		async () => {
			const item = fc.record({
				businessName: textField(256),
				phoneNumberId: textField(256),
				wabaId: fc.oneof(
					textField(256, false),
					fc.constantFrom(ok(undefined), ok(''), ok('  '), ok(null)),
				),
				callbackUrl: fc.oneof(urlField(false), fc.constantFrom(ok(undefined), ok(''), ok(null))),
			});
			await fc.assert(
				fc.asyncProperty(
					fc.array(item, { minLength: 1, maxLength: 4 }),
					fc.oneof(fc.constant<'plain'>('plain'), hostileKey),
					fc.boolean(),
					async (rows, shape, continueOnFail) => {
						// n8n drops a whole-collection expression, non-object collections and own
						// `__proto__` keys before the node runs; the fields inside take expressions.
						const fields = {
							wabaId: '={{ $json.wabaId }}',
							callbackUrl: '={{ $json.callbackUrl }}',
						};
						const node = env.actionNode({
							resource: 'client',
							operation: 'onboard',
							businessName: '={{ $json.businessName }}',
							phoneNumberId: '={{ $json.phoneNumberId }}',
							additionalFields: (shape === 'plain'
								? fields
								: withHostileKeys(fields, {
										[shape]: { wabaId: 'decoy', callbackUrl: 'https://decoy.example.com' },
									})) as INode['parameters'][string],
						});
						const input: IDataObject[] = [];
						const verdicts: ItemVerdict[] = [];
						rows.forEach((r, i) => {
							// Phone number IDs are unique per run (a duplicate is a 409 from the server).
							const phone = r.phoneNumberId.valid
								? ok(
										`${r.phoneNumberId.normalised!.slice(0, 250)}#${i}`,
										`${r.phoneNumberId.normalised!.slice(0, 250)}#${i}`,
									)
								: r.phoneNumberId;
							const invalid = [
								...(r.businessName.valid ? [] : ['Business Name']),
								...(phone.valid ? [] : ['Phone Number ID']),
								...(r.wabaId.valid ? [] : ['WABA ID']),
								...(r.callbackUrl.valid ? [] : ['Callback URL']),
							];
							const row: IDataObject = {
								businessName: r.businessName.value as string,
								phoneNumberId: phone.value as string,
							};
							if (r.wabaId.value !== undefined) row.wabaId = r.wabaId.value as string;
							if (r.callbackUrl.value !== undefined)
								row.callbackUrl = r.callbackUrl.value as string;
							input.push(row);
							const body: IDataObject = {
								business_name: r.businessName.normalised,
								phone_number_id: phone.normalised,
							};
							if (r.wabaId.normalised) body.waba_id = r.wabaId.normalised;
							if (r.callbackUrl.normalised) body.callback_url = r.callbackUrl.normalised;
							verdicts.push({ invalid, body });
						});
						await runCase(node, input, verdicts, {
							continueOnFail,
							sentBodies: () =>
								env.emulator.admin.clients().map((c) => {
									const body: IDataObject = {
										business_name: c.business_name,
										phone_number_id: c.phone_number_id,
									};
									if (c.waba_id) body.waba_id = c.waba_id;
									if (c.callback_url) body.callback_url = c.callback_url;
									return body;
								}),
						});
					},
				),
				params('clientOnboard'),
			);
			recordFuzzCases(fuzzCaseLabel('clientOnboard'), FUZZ_RUNS.clientOnboard);
		},
		timeLimit('clientOnboard'),
	);
});

describe('Client → Get Many', () => {
	const SEEDED = 12;

	it(
		'Return All / Limit: valid values return that many clients, bad ones name the field',
		async () => {
			const returnAll = fc.oneof(
				fc.constantFrom(ok(true), ok(false), ok(undefined), ok('true'), ok('false'), ok('TRUE')),
				fc.constantFrom<unknown>('yes', 'no', '', 2, -1, {}, [], null, Number.NaN, HUGE).map(bad),
			);
			const limit = fc.oneof(
				fc.integer({ min: 1, max: 1_000_000 }).map((n) => ok(n)),
				fc.constantFrom(ok(1), ok(12), ok(13), ok(' 7 '), ok('5'), ok(undefined)),
				fc
					.constantFrom<unknown>(
						0,
						-1,
						-1000,
						1.5,
						Number.NaN,
						Number.POSITIVE_INFINITY,
						Number.NEGATIVE_INFINITY,
						1e20,
						'abc',
						'',
						'5 clients',
						true,
						{},
						[],
						[5],
						null,
						HUGE,
					)
					.map(bad),
			);
			await fc.assert(
				fc.asyncProperty(
					fc.array(fc.tuple(returnAll, limit), { minLength: 1, maxLength: 3 }),
					fc.boolean(),
					async (rows, continueOnFail) => {
						const node = env.actionNode({
							resource: 'client',
							operation: 'getAll',
							returnAll: '={{ $json.returnAll }}' as unknown as boolean,
							limit: '={{ $json.limit }}' as unknown as number,
						});
						// Expressions resolving to undefined fall back to the defaults (false / 50).
						const input = rows.map(
							([a, l]) => ({ returnAll: a.value, limit: l.value }) as IDataObject,
						);
						const all = (v: V) => v.value === true || String(v.value).toLowerCase() === 'true';
						const verdicts = rows.map(([a, l]) => ({
							invalid: !a.valid ? ['Return All'] : !all(a) && !l.valid ? ['Limit'] : [],
						}));
						const { items } = await runCase(node, input, verdicts, {
							continueOnFail,
							afterReset: () => env.emulator.admin.seedClients(SEEDED),
						});
						if (!items) return;
						const groups = groupByPairedItem(items);
						rows.forEach(([a, l], i) => {
							if (verdicts[i].invalid.length > 0) return;
							const expected = all(a)
								? SEEDED
								: Math.min(SEEDED, l.value === undefined ? 50 : Number(l.value));
							const got = groups.filter((g) => g.index === i).flatMap((g) => g.items);
							expect(got).toHaveLength(expected);
						});
					},
				),
				params('clientGetAll'),
			);
			recordFuzzCases(fuzzCaseLabel('clientGetAll'), FUZZ_RUNS.clientGetAll);
		},
		timeLimit('clientGetAll'),
	);
});

describe('Client → "From list" search (resource locator)', () => {
	it(
		'any filter or pagination token: matching clients or a NodeOperationError, never a crash',
		async () => {
			await fc.assert(
				fc.asyncProperty(
					fc.oneof(
						fc.constant(undefined),
						goodText,
						fc.constantFrom('', '   ', HUGE, HUGE_UNICODE, 'a\uD800', 'Client 1', '%', '.*'),
					),
					fc.oneof(
						fc.constant(undefined),
						fc.nat({ max: 80 }).map(String),
						fc.constantFrom('-5', 'abc', '', '1e3', '99999999999999999999', ' 7', '0x10', HUGE),
					),
					async (filter, token) => {
						env.emulator.admin.reset();
						env.emulator.admin.seedClients(30);
						const before = unhandled.length;
						const node = env.actionNode({ resource: 'message', operation: 'send' });
						let result: Awaited<ReturnType<typeof env.harness.listSearch>> | undefined;
						try {
							result = await env.harness.listSearch(node, 'searchClients', filter, token);
						} catch (thrown) {
							const error = thrown as Error & Record<string, unknown>;
							expectNodeError(error);
							expectNoSecret('the search error', [error.message, error.description, error.stack]);
						}
						await new Promise((resolve) => setTimeout(resolve, 0));
						expect(unhandled.length).toBe(before);
						if (!result) return;
						const clients = new Map(env.emulator.admin.clients().map((c) => [c.id, c]));
						const needle = (filter ?? '').trim().toLowerCase();
						for (const entry of result.results) {
							const client = clients.get(String(entry.value));
							expect(client).toBeDefined();
							if (needle) {
								const fields = [
									client!.business_name,
									client!.phone_number_id,
									client!.id,
									client!.waba_id ?? '',
								];
								expect(fields.some((f) => f.toLowerCase().includes(needle))).toBe(true);
							}
						}
						expectNoSecret('the search result', result);
					},
				),
				params('clientSearch'),
			);
			recordFuzzCases(fuzzCaseLabel('clientSearch'), FUZZ_RUNS.clientSearch);
		},
		timeLimit('clientSearch'),
	);

	it('a pagination token beyond any offset fails saying what the limit is', async () => {
		const node = env.actionNode({ resource: 'message', operation: 'send' });
		await expect(
			env.harness.listSearch(node, 'searchClients', undefined, '99999999999999999999'),
		).rejects.toMatchObject({
			name: 'NodeOperationError',
			message: `offset must be at most ${Number.MAX_SAFE_INTEGER}`,
		});
	});
});
