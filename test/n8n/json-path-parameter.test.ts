/**
 * readParameter reads a parameter that is exactly `={{ $json.a.b }}` from the item instead of
 * asking n8n's expression engine. Differential: for every parameter shape × item shape below, in
 * both of n8n's engines (legacy, and the isolated-vm one n8n 2.x runs by default), readParameter
 * gives what getNodeParameter gives (or fails with its error), and the direct read is taken
 * exactly for the pairs listed in `direct` (counted as getNodeParameter calls that resolve).
 */
import { ExpressionEvaluator, IsolatedVmBridge } from '@n8n/expression-runtime';
import { ExecuteContext } from 'n8n-core';
import type {
	IDataObject,
	IExecuteFunctions,
	IGetNodeParameterOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	NodeParameterValueType,
} from 'n8n-workflow';
import { Expression, LoggerProxy, WorkflowExpression, createRunExecutionData } from 'n8n-workflow';
import { expressionSandboxHooks } from 'n8n-workflow/dist/cjs/expression-sandboxing';

import { readParameter } from '../../nodes/IntelliPortal/fields';
import { makeAdditionalData, N8nHarness } from './harness';
import { ACTION_TYPE, startEnv } from './helpers';
import { IntelliPortal } from '../../nodes/IntelliPortal/IntelliPortal.node';

const withGetter: IDataObject = {};
Object.defineProperty(withGetter, 'a', { get: () => 'from a getter', enumerable: true });

/** Item JSON shapes, by name. */
const ITEMS: Record<string, IDataObject> = {
	text: { a: 'hello', n: { b: 'deep', c: { d: 'deeper' } } },
	empty: { a: '' },
	padded: { a: '  padded  ', n: { b: ' ' } },
	unicode: { a: 'Grüße 😀 日本 \u200b', n: { b: 'ß' } },
	loneSurrogate: { a: '\ud800x' },
	zero: { a: 0 },
	negativeZero: { a: -0 },
	fraction: { a: 1.5 },
	huge: { a: 1e21 },
	notANumber: { a: Number.NaN },
	infinite: { a: Number.POSITIVE_INFINITY },
	yes: { a: true },
	no: { a: false },
	nullValue: { a: null, n: { b: null } },
	missing: {},
	undefinedValue: { a: undefined },
	list: { a: [1, 'x'], n: [{ b: 'in a list' }] },
	object: { a: { b: 'x' } },
	date: { a: new Date(0) as unknown as IDataObject[string] },
	textParent: { n: 'text' },
	inherited: Object.create({ a: 'inherited' }) as IDataObject,
	nestedInherited: { n: Object.create({ b: 'inherited' }) as IDataObject },
	nullPrototype: Object.assign(Object.create(null) as IDataObject, { a: 'no prototype' }),
	getter: withGetter,
	names: {
		...(JSON.parse('{"__proto__": "own __proto__"}') as IDataObject),
		toString: 'own toString',
		valueOf: 'own valueOf',
		hasOwnProperty: 'own hasOwnProperty',
		constructor: 'own constructor',
		prototype: 'own prototype',
		mainModule: 'own mainModule',
		caller: 'own caller',
		arguments: 'own arguments',
		isEmpty: 'own isEmpty',
		length: 3,
		class: 'own class',
		$x: 'dollar',
		_y: 'underscore',
		k_1: 'digits',
		'with-dash': 'dash',
		'1': 'one',
	},
};

const ALL = Object.keys(ITEMS);
const PRIMITIVE_A = [
	'text',
	'empty',
	'padded',
	'unicode',
	'loneSurrogate',
	'zero',
	'negativeZero',
	'fraction',
	'huge',
	'notANumber',
	'infinite',
	'yes',
	'no',
	'nullPrototype',
];

/** Parameter shapes, each with the items whose value is read directly (all others ask n8n). */
const SHAPES: Array<{ raw: NodeParameterValueType; direct: string[] }> = [
	{ raw: '={{ $json.a }}', direct: PRIMITIVE_A },
	{ raw: '={{$json.a}}', direct: PRIMITIVE_A },
	{ raw: '={{    $json.a  }}', direct: PRIMITIVE_A },
	{ raw: '={{\n\t$json.a\n}}', direct: PRIMITIVE_A },
	{ raw: '={{ $json.n.b }}', direct: ['text', 'padded', 'unicode'] },
	{ raw: '={{ $json.n.c.d }}', direct: ['text'] },
	{ raw: '={{ $json.isEmpty }}', direct: ['names'] },
	{ raw: '={{ $json.length }}', direct: ['names'] },
	{ raw: '={{ $json.class }}', direct: ['names'] },
	{ raw: '={{ $json.$x }}', direct: ['names'] },
	{ raw: '={{ $json._y }}', direct: ['names'] },
	{ raw: '={{ $json.k_1 }}', direct: ['names'] },
	// Names n8n's engine reads differently from the item (prototype members, sandbox-blocked).
	...[
		'toString',
		'valueOf',
		'hasOwnProperty',
		'constructor',
		'__proto__',
		'prototype',
		'mainModule',
		'caller',
		'arguments',
	].map((name) => ({ raw: `={{ $json.${name} }}`, direct: [] })),
	// Anything but a plain path: n8n resolves it (and owns its errors).
	...[
		'={{ $json["a"] }}',
		"={{ $json['with-dash'] }}",
		'={{ $json[1] }}',
		'={{ $json.1 }}',
		'={{ $json.a. }}',
		'={{ $json?.a }}',
		'={{ $json.a?.b }}',
		'={{ $json.a + "" }}',
		'={{ $json.a.toString() }}',
		'={{ $json.a.length }}',
		'={{ $json }}',
		'={{ $json.a }} ',
		'= {{ $json.a }}',
		'=Hi {{ $json.a }}',
		'={{ $json.a }}{{ $json.a }}',
		'={{ $json.a }} and {{ $json.n.b }}',
		'={{ $input.item.json.a }}',
		'={{ $itemIndex }}',
		'={{ $data.a }}',
		'={{ $node["Missing"].json.a }}',
		"={{ $('Missing').item.json.a }}",
		'={{ $json.ä }}',
		'={{ }}',
		'=',
		'$json.a',
		'{{ $json.a }}',
		'',
		'plain text',
		7,
		true,
	].map((raw) => ({ raw, direct: [] })),
];

type Outcome = { value: unknown } | { error: string };

function outcome(read: () => unknown): Outcome {
	try {
		return { value: read() };
	} catch (error) {
		return { error: (error as Error).message };
	}
}

/** An ExecuteContext for one node run over `items`, built the way WorkflowExecute builds it. */
function contextFor(harness: N8nHarness, parameters: INodeParameters, items: IDataObject[]) {
	const node: INode = harness.makeNode(ACTION_TYPE, parameters);
	const workflow = harness.makeWorkflow(node);
	const input: INodeExecutionData[] = items.map((json) => ({ json }));
	const context = new ExecuteContext(
		workflow,
		node,
		makeAdditionalData(harness.credentialsHelper),
		'manual',
		createRunExecutionData({}),
		0,
		input,
		{ main: [input] },
		{ node, data: { main: [input] }, source: null },
		[],
	);
	const resolve = context.getNodeParameter.bind(context) as (
		name: string,
		itemIndex: number,
		fallback?: unknown,
		options?: IGetNodeParameterOptions,
	) => unknown;
	const resolving: string[] = [];
	// Counts the reads that resolve (not the raw reads the direct path makes to look at the shape).
	Object.defineProperty(context, 'getNodeParameter', {
		value: (name: string, i: number, fallback?: unknown, options?: IGetNodeParameterOptions) => {
			if (!options?.rawExpressions) resolving.push(`${name}#${i}`);
			return resolve(name, i, fallback, options);
		},
	});
	return { context: context as unknown as IExecuteFunctions, resolve, resolving, workflow };
}

const harness = new N8nHarness({
	nodeTypes: { [ACTION_TYPE]: new IntelliPortal() },
	credentialTypes: {
		intelliPortalApi: { name: 'intelliPortalApi', displayName: 'x', properties: [] },
	},
	credentials: {},
});

const SEND = { resource: 'message', operation: 'send', messageType: 'text', textBody: 'fixed' };

async function differential(): Promise<{ direct: number; checked: number }> {
	const names = ALL;
	let direct = 0;
	let checked = 0;
	for (const shape of SHAPES) {
		const { context, resolve, resolving, workflow } = contextFor(
			harness,
			{ ...SEND, to: shape.raw },
			names.map((name) => ITEMS[name]),
		);
		const acquired = await workflow.expression.acquireIsolate();
		try {
			names.forEach((name, i) => {
				const label = `${JSON.stringify(shape.raw)} × ${name}`;
				const expected = outcome(() => resolve('to', i, ''));
				const before = resolving.length;
				const actual = outcome(() => readParameter(context, 'to', i, ''));
				const resolved = resolving.length - before;
				if ('value' in expected) {
					expect({ label, ...actual }).toEqual({ label, ...expected });
					// A primitive must be exactly n8n's (Object.is: -0, NaN); objects come back as copies.
					if ('value' in actual && typeof expected.value !== 'object')
						expect({ label, same: Object.is(actual.value, expected.value) }).toEqual({
							label,
							same: true,
						});
				} else {
					expect({ label, failed: 'error' in actual }).toEqual({ label, failed: true });
					expect({ label, message: (actual as { error: string }).error }).toEqual({
						label,
						message: expect.stringContaining(expected.error) as string,
					});
				}
				const wanted = shape.direct.includes(name);
				expect({ label, direct: resolved === 0 }).toEqual({ label, direct: wanted });
				if (wanted) direct += 1;
				checked += 1;
			});
		} finally {
			if (acquired) await workflow.expression.releaseIsolate();
		}
	}
	return { direct, checked };
}

const EXPECTED_DIRECT = SHAPES.reduce((sum, shape) => sum + shape.direct.length, 0);

describe('readParameter reads a pure $json path directly, equal to n8n (legacy engine)', () => {
	it('every shape × item equals getNodeParameter, and the listed pairs skip the engine', async () => {
		expect(Expression.getActiveImplementation()).toBe('legacy');
		const counts = await differential();
		expect(counts).toEqual({ direct: EXPECTED_DIRECT, checked: SHAPES.length * ALL.length });
		expect(EXPECTED_DIRECT).toBeGreaterThan(60);
	});
});

describe('readParameter reads a pure $json path directly, equal to n8n (isolated-vm engine)', () => {
	// What Expression.initExpressionEngine({ engine: 'vm' }) does with n8n's defaults (its dynamic
	// import() needs --experimental-vm-modules under Jest).
	beforeAll(async () => {
		const evaluator = new ExpressionEvaluator({
			createBridge: () =>
				new IsolatedVmBridge({ timeout: 5000, memoryLimit: 128, logger: LoggerProxy }),
			maxCodeCacheSize: 1024,
			poolSize: 1,
			hooks: expressionSandboxHooks,
			logger: LoggerProxy,
		});
		await evaluator.initialize();
		Object.assign(Expression, { expressionEngine: 'vm', vmEvaluator: evaluator });
	});
	afterAll(async () => await Expression.disposeExpressionEngine());

	it('every shape × item equals getNodeParameter, and the listed pairs skip the engine', async () => {
		expect(Expression.getActiveImplementation()).toBe('vm');
		const counts = await differential();
		expect(counts).toEqual({ direct: EXPECTED_DIRECT, checked: SHAPES.length * ALL.length });
	});

	it('bulk Send and Send Template runs resolve their pure $json parameters without the engine', async () => {
		const env = await startEnv({ seedClients: 0 });
		const evaluated: unknown[] = [];
		const original = WorkflowExpression.prototype.resolveSimpleParameterValue;
		try {
			const input = [
				{
					body: { to: '+14155550101', text: { body: 'Hi Ana 😀' } },
					t: 'welcome',
					lang: 'es',
				},
				{ body: { to: '+14155550102', text: { body: 'Olá' } }, t: 'welcome', lang: 'pt_BR' },
			];
			const clientRef = { __rl: true, mode: 'id', value: 'cl_a' };
			const spying = jest
				.spyOn(WorkflowExpression.prototype, 'resolveSimpleParameterValue')
				.mockImplementation(function (this: WorkflowExpression, ...args) {
					if (typeof args[0] === 'string' && args[0].startsWith('=')) evaluated.push(args[0]);
					return original.apply(this, args);
				});
			const send = await env.harness.runNode(
				env.actionNode({
					...SEND,
					clientRef,
					to: '={{ $json.body.to }}',
					textBody: '={{ $json.body.text.body }}',
				}),
				input,
			);
			const template = await env.harness.runNode(
				env.actionNode({
					resource: 'message',
					operation: 'sendTemplate',
					clientRef,
					to: '={{ $json.body.to }}',
					templateName: '={{$json.t}}',
					languageCode: '={{ $json.lang }}',
					templateParameters: { parameter: [{ value: '={{ $json.t }}' }] },
				}),
				input,
			);
			spying.mockRestore();
			expect([send.error, template.error]).toEqual([undefined, undefined]);
			expect(env.emulator.admin.messages().map((message) => message.body)).toEqual([
				...input.map(({ body }) => ({
					client_ref: 'cl_a',
					to: body.to,
					type: 'text',
					text: body.text,
				})),
				...input.map(({ body, t, lang }) => ({
					client_ref: 'cl_a',
					to: body.to,
					template: { name: t, language: { code: lang }, parameters: [t] },
				})),
			]);
			// Only the template's parameter list (a collection) went through n8n's engine, per item.
			expect(evaluated).toEqual(['={{ $json.t }}', '={{ $json.t }}']);
		} finally {
			await env.stop();
		}
	});

	it('a resource locator holding the same expression (Client) is always resolved by n8n', async () => {
		const items = [ITEMS.text, ITEMS.unicode];
		const { context, resolve, resolving, workflow } = contextFor(
			harness,
			{ ...SEND, to: 'x', clientRef: { __rl: true, mode: 'id', value: '={{ $json.a }}' } },
			items,
		);
		await workflow.expression.acquireIsolate();
		try {
			const read = items.map((_, i) =>
				readParameter(context, 'clientRef', i, '', { extractValue: true }),
			);
			expect(read).toEqual(
				items.map((_, i) => resolve('clientRef', i, '', { extractValue: true })),
			);
			expect(read).toEqual(['hello', 'Grüße 😀 日本 \u200b']);
			expect(resolving).toEqual(['clientRef#0', 'clientRef#1']);
		} finally {
			await workflow.expression.releaseIsolate();
		}
	});
});

describe('what the direct read relies on', () => {
	// n8n converts or rejects a resolved value only for a parameter that declares validateType.
	it('no parameter of the action node declares validateType', () => {
		const declared: string[] = [];
		const visit = (properties: readonly unknown[] | undefined): void => {
			for (const property of properties ?? []) {
				const entry = property as INodeProperties & { values?: unknown[] };
				if (entry.validateType !== undefined) declared.push(entry.name);
				visit(entry.options as unknown[] | undefined);
				visit(entry.values);
			}
		};
		const versions = Object.values(new IntelliPortal().nodeVersions);
		expect(versions.length).toBeGreaterThanOrEqual(2);
		for (const version of versions) visit(version.description.properties);
		expect(declared).toEqual([]);
	});
});
