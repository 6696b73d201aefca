/**
 * The shared harness of the n8n node's parameter fuzz suites (test/n8n/fuzz/*.test.ts, one file
 * per subject). What they prove:
 * Property-based fuzzing of the IntelliPortal action node's parameters. Every case runs the REAL
 * node through n8n's execution engine (the harness: Workflow → WorkflowExecute → ExecuteContext →
 * httpRequestWithAuthentication) against the sandbox emulator, for every resource/operation the
 * node's descriptions define, with arbitrary parameter values: wrong types, missing and empty
 * values, 100 kB strings, unicode with lone surrogates, invalid URLs, out-of-range numbers,
 * `__proto__`/`constructor`/`prototype` keys in collections, and expressions resolving to garbage
 * from the input item.
 *
 * Every generated value carries the verdict of an independent oracle (this file's rules, written
 * from the documented limits, not computed with the core's validators). Properties per case:
 * - the node fails only with NodeOperationError / NodeApiError; no unhandled rejection;
 * - an invalid item fails with a NodeOperationError carrying its itemIndex, naming the offending
 *   field(s) by the display name shown in the editor;
 * - with "On Error: Continue" exactly the invalid items become error items, in input order, with
 *   pairedItem = their input index, and the valid items of the same run are sent;
 * - no request reaches the emulator for an invalid item (its request log and admin counters);
 * - the API key appears nowhere: output items, error message/description/stack, the serialised
 *   error and the run data.
 *
 * Also: the resource locator's client search with any filter/pagination token, and valid sends
 * against injected server faults (500, 503 + Retry-After, resets before/after processing, a wrong
 * key): classified errors, no key anywhere, nothing sent twice, and an error item that says
 * mayHaveBeenSent: false really was not accepted by the emulator.
 *
 * n8n normalises parameters before the node runs (Workflow → NodeHelpers.getNodeParameters): a
 * whole-collection expression or a non-object collection becomes {}, unknown and `__proto__` keys
 * are dropped; collections are therefore fuzzed through expressions inside their fields. A
 * required literal parameter left empty stops the run before the node (WorkflowHasIssuesError
 * naming it), which the checks accept for invalid input.
 *
 * Case counts are exported (FUZZ_RUNS); each property that passed reports its count through
 * recordFuzzCases (a JSON line {suite, cases} in IP_FUZZ_OUT, read by `npm run reliability`).
 * IP_FUZZ_RUNS raises every property to at least that many cases; IP_FUZZ_SEED changes the seed.
 */
import { runInThisContext } from 'node:vm';

import fc from 'fast-check';
import type { IDataObject, INode, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { IntelliPortal } from '../../../nodes/IntelliPortal/IntelliPortal.node';
import { API_KEY, contractRequests, startEnv } from '../helpers';
import type { TestEnv } from '../helpers';

export const FUZZ_SUITE = 'n8n node parameters (test/n8n/fuzz/)';

/** Cases per property in the normal test run (each case is one node execution with 1..5 items). */
export const DEFAULT_FUZZ_RUNS = {
	sendText: 300,
	sendMedia: 200,
	sendTemplate: 300,
	sendOptions: 120,
	clientOnboard: 250,
	clientGetAll: 250,
	webhookUpdate: 250,
	webhookGet: 60,
	clientSearch: 60,
	serverFaults: 40,
	brokenExpression: 80,
	unknownOperation: 36,
} as const;

export type Property = keyof typeof DEFAULT_FUZZ_RUNS;

/** `npm run reliability` asks for larger runs with IP_FUZZ_RUNS: a floor for every property. */
export const RUNS_FLOOR = Number(process.env.IP_FUZZ_RUNS ?? 0);

/** Cases per property in this run. */
export const FUZZ_RUNS = Object.fromEntries(
	Object.entries(DEFAULT_FUZZ_RUNS).map(([property, runs]) => [
		property,
		Number.isInteger(RUNS_FLOOR) && RUNS_FLOOR > runs ? RUNS_FLOOR : runs,
	]),
) as Record<Property, number>;

/** Per-property time limit, growing with the case count (a larger IP_FUZZ_RUNS still fits). */
export function timeLimit(property: Property): number {
	return Math.max(60_000, FUZZ_RUNS[property] * 400);
}

export const SEED = process.env.IP_FUZZ_SEED ? Number(process.env.IP_FUZZ_SEED) : 20261125;

/**
 * The label a passed property's case count is reported under: each test file calls
 * recordFuzzCases(fuzzCaseLabel(p), FUZZ_RUNS[p]) itself (one JSON line {suite, cases} in
 * IP_FUZZ_OUT; `npm run reliability` finds the suites by that call).
 */
export function fuzzCaseLabel(property: Property): string {
	return `${FUZZ_SUITE} › ${property}`;
}

export function params(property: Property): fc.Parameters<unknown> {
	return { numRuns: FUZZ_RUNS[property], seed: SEED, endOnFailure: true };
}

// ---------------------------------------------------------------------------------------------
// Environment, unhandled rejections

export let env: TestEnv;
export const unhandled: unknown[] = [];
export const onUnhandled = (reason: unknown) => unhandled.push(reason);
// Jest gives a test file a copy of `process` whose listeners never fire; listen on Node's own.
export const nodeProcess = runInThisContext('process') as NodeJS.Process;

/** Starts the emulator and n8n's engine for the test file (and stops them), listening for unhandled rejections. */
export function useFuzzEnv(): void {
	beforeAll(async () => {
		nodeProcess.on('unhandledRejection', onUnhandled);
		env = await startEnv({ seedClients: 0 });
	});

	afterAll(async () => {
		nodeProcess.off('unhandledRejection', onUnhandled);
		await env?.stop();
	});
}

/** The display names the editor shows, read from the node's own description. */
export const DISPLAY_NAMES = (() => {
	const names = new Set<string>();
	const visit = (properties: INodeProperties[]) => {
		for (const p of properties) {
			names.add(p.displayName);
			for (const option of (p.options ?? []) as Array<{ displayName?: string; values?: unknown }>) {
				if (option.displayName) names.add(option.displayName);
				if (Array.isArray(option.values)) visit(option.values as INodeProperties[]);
			}
		}
	};
	visit(new IntelliPortal().nodeVersions[1].description.properties);
	return names;
})();

// ---------------------------------------------------------------------------------------------
// Values with an oracle verdict

/** A parameter value and whether the node must accept it. `normalised` is what the API gets. */
export interface V {
	value: unknown;
	valid: boolean;
	normalised?: string;
}

export const ok = (value: unknown, normalised?: string): V => ({ value, valid: true, normalised });
export const bad = (value: unknown): V => ({ value, valid: false });

/** An own `__proto__` key, as JSON.parse creates it from a request body. */
export function withHostileKeys(
	base: Record<string, unknown>,
	hostile: Record<string, unknown>,
): IDataObject {
	const out = JSON.parse(JSON.stringify(base)) as IDataObject;
	for (const [key, value] of Object.entries(hostile)) {
		Object.defineProperty(out, key, {
			value,
			enumerable: true,
			configurable: true,
			writable: true,
		});
	}
	return out;
}

export const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype');

export const HUGE = 'x'.repeat(100_000);
export const HUGE_UNICODE = '\u{1F600}'.repeat(50_000);

/** Strings that are fine everywhere text is expected (trimmed non-empty, short, no leading '='). */
export const goodText = fc
	.oneof(
		fc.string({ minLength: 1, maxLength: 40 }),
		fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }),
		fc.string({ minLength: 1, maxLength: 20, unit: 'binary' }),
		fc.constantFrom(
			'a\uD800b',
			'\uDFFF x',
			'x\uDBFF',
			'Ol\u00e1 \u{1F44B}',
			'  padded  ',
			'\u0000nul',
		),
	)
	.filter((s) => s.trim() !== '' && !s.trimStart().startsWith('='));

/** Garbage that no text field accepts. */
export const garbageForText = fc.oneof(
	fc.constantFrom<unknown>(
		'',
		'   ',
		'\t\n',
		'\u00a0\u2028\ufeff',
		true,
		false,
		null,
		Number.NaN,
		Number.POSITIVE_INFINITY,
		Number.NEGATIVE_INFINITY,
		HUGE,
		HUGE_UNICODE,
		[],
		{},
		`${HUGE}${API_KEY}`,
	),
	fc.array(fc.oneof(fc.string(), fc.integer()), { minLength: 1, maxLength: 3 }),
	fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer()), {
		minKeys: 1,
		maxKeys: 3,
	}),
	fc
		.tuple(hostileKey, fc.oneof(fc.string(), fc.constant({ polluted: true })))
		.map(([key, value]) => withHostileKeys({ a: 1 }, { [key]: value })),
);

/** A text field with `limit` characters at most (after trimming). Numbers are accepted as text. */
export function textField(limit: number, required = true): fc.Arbitrary<V> {
	const valid = fc.oneof(
		{ weight: 4, arbitrary: goodText.map((s) => ok(s, s.trim())) },
		{
			weight: 1,
			arbitrary: fc
				.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))
				.map((n) => ok(n, String(n))),
		},
		{ weight: 1, arbitrary: fc.constant(ok(` ${'b'.repeat(limit)} `, 'b'.repeat(limit))) },
	);
	const invalid = fc.oneof(
		garbageForText
			.filter((g) => required || !(g === null || (typeof g === 'string' && g.trim() === '')))
			.map(bad),
		fc.constant(bad('c'.repeat(limit + 1))),
	);
	return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: invalid });
}

export const VALID_URLS = [
	'https://cdn.example.com/brochure.pdf',
	'http://example.org/a.png?x=1&y=2',
	'https://example.com:8443/p/a%20b.jpg#frag',
	'  https://media.example.net/v.mp4  ',
];
export const INVALID_URLS = [
	'not a url',
	'ftp://example.com/file.pdf',
	'https://',
	'javascript:alert(1)',
	'//example.com/a.png',
	'https://exa mple.com/a.png',
	'http:/example.com',
	'mailto:someone@example.com',
	'file:///etc/passwd',
	'https://example.com:99999/a',
	`https://example.com/${'p'.repeat(2100)}`,
	`https://${API_KEY}@example..com/`,
];

/** A URL field: curated valid/invalid URLs plus every kind of garbage. */
export function urlField(required: boolean): fc.Arbitrary<V> {
	return fc.oneof(
		{ weight: 3, arbitrary: fc.constantFrom(...VALID_URLS).map((u) => ok(u, u.trim())) },
		{ weight: 2, arbitrary: fc.constantFrom(...INVALID_URLS).map(bad) },
		{
			weight: 2,
			arbitrary: fc
				.oneof(garbageForText, fc.integer())
				.filter((g) => required || !(g === null || (typeof g === 'string' && g.trim() === '')))
				.map(bad),
		},
	);
}

/** How a value reaches the node: as the literal parameter, or through an expression on $json. */
export type Via = 'literal' | 'expression';

/** The parameter for one field: literal values only where they are not expressions by accident. */
export function parameterFor(field: string, v: V, via: Via): unknown {
	if (via === 'expression') return `={{ $json.${field} }}`;
	return v.value;
}

export function inputValue(v: V): unknown {
	return v.value;
}

// ---------------------------------------------------------------------------------------------
// Running one case and checking the properties every case shares

export interface ItemVerdict {
	/** Display names of the fields that make the item invalid (empty: valid). */
	invalid: string[];
	/** Expected request body for a valid item (compared with what the emulator received). */
	body?: unknown;
}

export interface Outcome {
	items: INodeExecutionData[] | undefined;
	error: (Error & Record<string, unknown>) | undefined;
	run: unknown;
}

export function expectNoSecret(what: string, value: unknown): void {
	const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
	const secret = API_KEY.slice('ik_test_'.length);
	if (text.includes(secret)) throw new Error(`the API key appears in ${what}`);
}

export function expectNodeError(error: Error & Record<string, unknown>): void {
	if (!['NodeOperationError', 'NodeApiError'].includes(error.name)) {
		throw new Error(`the node failed with ${error.name}: ${error.message}\n${error.stack}`);
	}
}

/**
 * The message names at least one of the invalid fields by its display name (quoted, as the editor
 * shows it) and names no field that is fine. With several problems the core lists all of them;
 * the node's own checks (options, Message Type) stop at the first.
 */
export function namesTheInvalidFields(text: string, names: string[]): boolean {
	// The oracle's names are the editor's: each one is a display name in the node's description.
	for (const name of names) {
		if (!DISPLAY_NAMES.has(name)) throw new Error(`"${name}" is not a display name of the node`);
	}
	const named = [...DISPLAY_NAMES].filter((name) => text.includes(`"${name}"`));
	return named.length > 0 && named.every((name) => names.includes(name));
}

export async function runCase(
	node: INode,
	input: IDataObject[],
	verdicts: ItemVerdict[],
	options: {
		continueOnFail: boolean;
		sentBodies?: () => unknown[];
		runLevelInvalid?: string[];
		afterReset?: () => void;
	},
): Promise<Outcome> {
	env.emulator.admin.reset();
	options.afterReset?.();
	node.onError = options.continueOnFail ? 'continueRegularOutput' : 'stopWorkflow';
	const before = unhandled.length;
	let result: Awaited<ReturnType<typeof env.harness.runNode>>;
	try {
		result = await env.harness.runNode(node, input);
	} catch (thrown) {
		// n8n itself refuses to start a workflow whose node has a required literal parameter left
		// empty (WorkflowHasIssuesError, "Parameter "Text" is required"): fine when that parameter
		// is one of the invalid ones, and then nothing may have been sent.
		const issue = thrown as Error;
		const invalidNames = verdicts.flatMap((v) => v.invalid);
		if (
			issue.name !== 'WorkflowHasIssuesError' ||
			!invalidNames.some((name) => issue.message.includes(`"${name}" is required`))
		) {
			throw thrown;
		}
		expect(contractRequests(env.emulator)).toHaveLength(0);
		expectNoSecret('the issue message', issue.message);
		return { items: undefined, error: undefined, run: undefined };
	}
	const { items, error, run } = result;
	// Let any stray promise settle (and be reported) before judging.
	await new Promise((resolve) => setImmediate(resolve));
	await new Promise((resolve) => setTimeout(resolve, 0));
	if (unhandled.length > before) {
		throw new Error(`unhandled rejection: ${String(unhandled[unhandled.length - 1])}`);
	}

	// Secrets: output, error, serialised error, run data. Some cases put the key into the input or
	// a literal parameter on purpose (the user's own data): the run data and the error's copy of
	// the node (its parameters) then legitimately hold it, nothing else may.
	const secret = API_KEY.slice('ik_test_'.length);
	const userDataHasKey = (JSON.stringify({ input, p: node.parameters }) ?? '').includes(secret);
	expectNoSecret('the output items', items ?? []);
	if (error) {
		expectNoSecret('the error message', error.message);
		expectNoSecret('the error description', error.description);
		expectNoSecret('the error stack', error.stack);
		const serialised = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
		if (userDataHasKey) delete serialised.node;
		expectNoSecret('the serialised error', serialised);
	}
	if (!userDataHasKey) expectNoSecret('the run data', run);

	const runLevel = options.runLevelInvalid ?? [];
	const invalidIndexes = verdicts
		.map((v, i) => (v.invalid.length > 0 || runLevel.length > 0 ? i : -1))
		.filter((i) => i >= 0);
	const requests = contractRequests(env.emulator);
	const counters = env.emulator.admin.counters();
	expect(counters.requests).toBe(requests.length);

	if (options.continueOnFail) {
		if (error) expectNodeError(error);
		expect(error).toBeUndefined();
		expect(items).toBeDefined();
		const perItem = groupByPairedItem(items!);
		expect(perItem.map((entry) => entry.index)).toEqual(
			Array.from({ length: perItem.length }, (_, i) => perItem[i].index).sort((a, b) => a - b),
		);
		verdicts.forEach((verdict, i) => {
			const produced = perItem.filter((entry) => entry.index === i).flatMap((e) => e.items);
			const errorItem = produced.find((p) => p.json.error !== undefined);
			if (invalidIndexes.includes(i)) {
				expect(produced).toHaveLength(1);
				expect(errorItem).toBeDefined();
				const message = String((errorItem!.json.error as IDataObject).message);
				const names = runLevel.length > 0 ? runLevel : verdict.invalid;
				if (!namesTheInvalidFields(message, names)) {
					throw new Error(`error item ${i} does not name ${names.join(', ')}: ${message}`);
				}
			} else if (produced.length === 0) {
				throw new Error(`valid item ${i} produced no output (input ${safe(input[i])})`);
			} else if (errorItem) {
				throw new Error(
					`valid item ${i} failed: ${JSON.stringify(errorItem.json.error)} (input ${safe(input[i])})`,
				);
			}
		});
		// Every valid item was sent, nothing else.
		expect(requests).toHaveLength(verdicts.length - invalidIndexes.length);
	} else if (invalidIndexes.length === 0) {
		if (error)
			throw new Error(`valid input failed: ${error.name}: ${error.message} (${safe(input)})`);
		expect(items).toBeDefined();
	} else {
		expect(error).toBeDefined();
		expectNodeError(error!);
		if (error!.name !== 'NodeOperationError') {
			throw new Error(`invalid input gave ${error!.name}: ${error!.message} (${safe(input)})`);
		}
		const first = invalidIndexes[0];
		expect((error!.context as { itemIndex?: number }).itemIndex).toBe(first);
		const names = runLevel.length > 0 ? runLevel : verdicts[first].invalid;
		const text = `${error!.message} ${String(error!.description ?? '')}`;
		if (!namesTheInvalidFields(text, names)) {
			throw new Error(`the error does not name ${names.join(', ')}: ${text}`);
		}
		// Items before the first invalid one may have been sent, never an invalid one.
		expect(requests.length).toBeLessThanOrEqual(
			verdicts.filter((v, i) => i !== first && v.invalid.length === 0 && runLevel.length === 0)
				.length,
		);
	}

	// What reached the API is exactly what the valid items asked for (never an invalid item).
	if (options.sentBodies) {
		const validBodies = verdicts
			.filter((v, i) => !invalidIndexes.includes(i))
			.map((v) => JSON.stringify(v.body));
		for (const body of options.sentBodies()) {
			const key = JSON.stringify(body);
			const at = validBodies.indexOf(key);
			if (at < 0)
				throw new Error(`the API received a request no valid item asked for: ${key.slice(0, 500)}`);
			validBodies.splice(at, 1);
		}
	}
	return { items, error, run };
}

export function groupByPairedItem(items: INodeExecutionData[]) {
	const groups: Array<{ index: number; items: INodeExecutionData[] }> = [];
	for (const item of items) {
		const paired = item.pairedItem as { item: number } | undefined;
		expect(paired).toBeDefined();
		const last = groups[groups.length - 1];
		if (last && last.index === paired!.item) last.items.push(item);
		else groups.push({ index: paired!.item, items: [item] });
	}
	return groups;
}

export function safe(value: unknown): string {
	const text = JSON.stringify(value, (_k, v: unknown) =>
		typeof v === 'string' && v.length > 80 ? `${v.slice(0, 40)}…(${v.length})` : v,
	);
	return (text ?? String(value)).slice(0, 800);
}

export const sentMessages = () => env.emulator.admin.messages().map((m) => m.body);

// ---------------------------------------------------------------------------------------------
// Fields the message operations share

export const via = fc.constantFrom<Via>('literal', 'expression');

export const clientRefField = textField(256);
export const toField = textField(256);

export interface TextItem {
	clientRef: V;
	to: V;
	textBody: V;
}
