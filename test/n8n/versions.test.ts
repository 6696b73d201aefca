/**
 * The action node's versions: version 1 is frozen (its description equals the one recorded when
 * the node became versioned), version 2 is the default for new nodes, and the shipped examples
 * (saved with typeVersion 1) load and run unchanged through n8n's engine against the emulator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	IConnections,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodePropertyOptions,
	INodeType,
	IRun,
	IWorkflowBase,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { IntelliPortal } from '../../nodes/IntelliPortal/IntelliPortal.node';
import { IntelliPortalV1 } from '../../nodes/IntelliPortal/v1/IntelliPortalV1';
import { IntelliPortalV2 } from '../../nodes/IntelliPortal/v2/IntelliPortalV2';
import { makeAdditionalData, TestNodeTypes } from './harness';
import { ACTION_TYPE, API_KEY, contractRequests, startEnv, TRIGGER_TYPE } from './helpers';
import type { TestEnv } from './helpers';

interface ExampleWorkflow {
	name: string;
	nodes: INode[];
	connections: IConnections;
}

const EXAMPLES_DIR = join(__dirname, '..', '..', 'examples');

function loadExample(file: string): ExampleWorkflow {
	return JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as ExampleWorkflow;
}

/** n8n-nodes-base's Manual Trigger as the engine sees it: it starts the run with one empty item. */
const manualTrigger: INodeType = {
	description: {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Runs the flow on clicking a button in n8n',
		defaults: { name: "When clicking 'Execute workflow'" },
		inputs: [],
		outputs: ['main'],
		properties: [],
	},
	async execute(this: IExecuteFunctions) {
		return [this.getInputData()];
	},
};

const node = new IntelliPortal();

let env: TestEnv;

beforeAll(async () => {
	env = await startEnv({ seedClients: 0 });
});

beforeEach(() => env.emulator.admin.reset());

afterAll(async () => {
	await env?.stop();
});

describe('IntelliPortal action node versions', () => {
	test('version 1 still has exactly the description it had when the node became versioned', () => {
		const recorded = JSON.parse(
			readFileSync(join(__dirname, 'fixtures', 'intelliportal-v1-description.json'), 'utf8'),
		) as IDataObject;
		const { defaultVersion, ...v1 } = node.nodeVersions[1].description;
		expect(defaultVersion).toBe(2); // from the shared base description; n8n ignores it here
		expect(JSON.parse(JSON.stringify(v1))).toEqual(recorded);
	});

	test('version 2 is the default for new nodes and both versions are offered', () => {
		expect(node.description.defaultVersion).toBe(2);
		expect(node.getLatestVersion()).toBe(2);
		expect(Object.keys(node.nodeVersions).map(Number)).toEqual([1, 2]);
		expect(node.getNodeType().description.version).toBe(2);
		expect(node.getNodeType(1).description.version).toBe(1);
	});
});

describe('the examples saved with typeVersion 1', () => {
	test.each(['intelliportal-tour.json', 'intelliportal-status-trigger.json'])(
		'%s: every saved parameter of our nodes loads as saved',
		(file) => {
			const ours = loadExample(file).nodes.filter((n) =>
				n.type.startsWith('n8n-nodes-intelliportal.'),
			);
			expect(ours.length).toBeGreaterThan(0);
			for (const saved of ours) {
				expect({ node: saved.name, typeVersion: saved.typeVersion }).toEqual({
					node: saved.name,
					typeVersion: 1,
				});
				const type = env.harness.nodeTypes.getByNameAndVersion(saved.type, saved.typeVersion);
				// What n8n does when it opens or runs a saved workflow: resolve the parameters against
				// the version's description, with defaults for what was not saved.
				const resolved = NodeHelpers.getNodeParameters(
					type.description.properties,
					saved.parameters,
					true,
					false,
					saved,
					type.description,
				);
				for (const [name, value] of Object.entries(saved.parameters)) {
					expect({ node: saved.name, name, value: resolved?.[name] }).toEqual({
						node: saved.name,
						name,
						value,
					});
				}
			}
		},
	);

	test('the tour runs through the engine and sends what it always sent', async () => {
		env.emulator.admin.seedClients(130); // Return All must page
		const example = loadExample('intelliportal-tour.json');
		const nodeTypes = new TestNodeTypes({
			[ACTION_TYPE]: node,
			'n8n-nodes-base.manualTrigger': manualTrigger,
		});
		const workflow = new Workflow({
			id: 'wf-tour',
			name: example.name,
			nodes: example.nodes,
			connections: example.connections,
			active: false,
			nodeTypes,
		});
		const hooks = new ExecutionLifecycleHooks('manual', '1', {
			id: 'wf-tour',
			name: example.name,
			nodes: example.nodes,
			connections: example.connections,
		} as unknown as IWorkflowBase);
		const finished = new Promise<IRun>((resolve) =>
			hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)),
		);
		const additionalData = makeAdditionalData(env.harness.credentialsHelper, { hooks });
		const start = example.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger')!;
		await new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode: start });
		const run = await finished;

		expect(run.data.resultData.error ?? null).toBeNull();
		expect(run.status).toBe('success');
		const output = (name: string) =>
			(run.data.resultData.runData[name]?.[0]?.data?.main?.[0] ?? []).map((item) => item.json);

		const posts = contractRequests(env.emulator).filter((r) => r.method === 'POST');
		expect(posts.map((r) => `${r.path} ${r.status}`)).toEqual([
			'/v1/messages/send 200',
			'/v1/messages/send-template 200',
			'/v1/clients/signup 201',
		]);
		expect(env.emulator.admin.messages().map((m) => m.body)).toEqual([
			{
				client_ref: 'acme-bakery',
				to: '+14155550123',
				type: 'text',
				text: { body: 'Hi Ada, your order #1042 is ready for pickup.' },
			},
			{
				client_ref: 'acme-bakery',
				to: '+14155550123',
				template: {
					name: 'order_update',
					language: { code: 'en' },
					parameters: ['#1042', 'ready for pickup'],
				},
			},
		]);
		expect(env.emulator.admin.clients().at(-1)).toMatchObject({
			business_name: 'Acme Bakery',
			phone_number_id: 'pn_1',
			waba_id: 'waba_1042',
		});
		expect(output('Send WhatsApp message')).toEqual([
			expect.objectContaining({ id: expect.stringMatching(/^msg_/), status: 'queued' }),
		]);
		expect(output('Send order update template')).toEqual([
			expect.objectContaining({ id: expect.stringMatching(/^msg_/), status: 'queued' }),
		]);
		expect(output('Onboard client')).toEqual([
			expect.objectContaining({ business_name: 'Acme Bakery', phone_number_id: 'pn_1' }),
		]);
		expect(output('List all clients').map((c) => c.id)).toEqual(
			env.emulator.admin.clients().map((c) => c.id),
		);
		expect(output('List all clients')).toHaveLength(131);
		expect(JSON.stringify(run)).not.toContain(API_KEY);
	}, 60_000);

	test('the status trigger example activates: it registers its URL for the saved events', async () => {
		const example = loadExample('intelliportal-status-trigger.json');
		const saved = example.nodes.find((n) => n.type === TRIGGER_TYPE)!;
		const trigger = env.harness.makeNode(TRIGGER_TYPE, saved.parameters, {
			name: saved.name,
			typeVersion: saved.typeVersion,
			webhookId: saved.webhookId ?? 'c0ffee00-0000-4000-8000-000000000001',
		});
		const staticData: IDataObject = {};
		expect(await env.harness.runWebhookMethod(trigger, staticData, 'create')).toBe(true);
		const registered = env.emulator.admin.webhookConfig();
		expect(registered.events).toEqual(saved.parameters.events);
		expect(new URL(registered.url!).pathname).toBe(
			new URL(env.harness.webhookUrl(trigger)).pathname,
		);
		await env.harness.runWebhookMethod(trigger, staticData, 'delete');
	});
});

describe('version 2', () => {
	test('a version 2 node sends a message as version 1 does', async () => {
		const parameters = {
			resource: 'message',
			operation: 'send',
			clientRef: { __rl: true, mode: 'id', value: 'acme-bakery' },
			to: '+14155550123',
			textBody: 'Hello from version 2',
		};
		const { items, error } = await env.harness.runNode(
			env.actionNode(parameters, { typeVersion: 2 }),
			[{}],
		);
		expect(error).toBeUndefined();
		expect(items).toEqual([
			expect.objectContaining({
				json: expect.objectContaining({ id: expect.stringMatching(/^msg_/) }),
			}),
		]);
		expect(env.emulator.admin.messages().map((m) => m.body)).toEqual([
			{
				client_ref: 'acme-bakery',
				to: '+14155550123',
				type: 'text',
				text: { body: 'Hello from version 2' },
			},
		]);
	});
});

describe('the router runs what the version runs', () => {
	/** resource → the operation values its Operation dropdown lists, in order. */
	function listedOperations(version: number): Record<string, string[]> {
		const listed: Record<string, string[]> = {};
		for (const property of node.nodeVersions[version].description.properties) {
			const resource = property.displayOptions?.show?.resource?.[0];
			if (property.name !== 'operation' || typeof resource !== 'string') continue;
			listed[resource] = (property.options as INodePropertyOptions[]).map((o) => String(o.value));
		}
		return listed;
	}

	test.each([
		[1, IntelliPortalV1.operations],
		[2, IntelliPortalV2.operations],
	])(
		'version %i runs exactly the operations its Operation dropdowns list, named as they are',
		(version, operations) => {
			const runs = Object.fromEntries(
				Object.entries(operations).map(([resource, modules]) => [resource, Object.keys(modules)]),
			);
			expect(runs).toEqual(listedOperations(version));
			const dropdownEntries = node.nodeVersions[version].description.properties
				.filter((p) => p.name === 'operation')
				.flatMap((p) => p.options as INodePropertyOptions[]);
			for (const modules of Object.values(operations)) {
				for (const [value, module] of Object.entries(modules)) {
					expect(module.option.value).toBe(value);
					expect(dropdownEntries).toContain(module.option);
				}
			}
		},
	);

	test.each([
		[
			{ resource: 'message', operation: 'sendAndWait', message: 'Approve?' },
			'"Operation" must be one of Send, Send Template for the resource Message, got "sendAndWait"',
		],
		[
			{ resource: 'contact', operation: 'getAll' },
			'"Resource" must be one of Message, Client, Webhook, got "contact"',
		],
		[
			{ resource: 'client', operation: 'constructor' },
			'"Operation" must be one of Get Many, Onboard for the resource Client, got "constructor"',
		],
	])(
		'version 1 refuses what it does not run before any request: %o',
		async (parameters, message) => {
			const { error } = await env.harness.runNode(
				env.actionNode(
					{ ...parameters, clientRef: { __rl: true, mode: 'id', value: 'c' }, to: '+1' },
					{ typeVersion: 1 },
				),
				[{}],
			);
			expect(error?.message).toBe(message);
			expect(contractRequests(env.emulator)).toEqual([]);
		},
	);
});
