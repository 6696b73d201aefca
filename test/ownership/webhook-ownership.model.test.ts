/**
 * Model-based test of the account's single webhook (issue 13, point 2). fast-check drives
 * random sequences of: activating / deactivating / restarting up to three n8n IntelliPortal
 * Triggers (webhookMethods checkExists → create, delete, through n8n-core's HookContext with
 * static data kept per trigger, as n8n calls them), subscribing / unsubscribing a Zap
 * (performSubscribe / performUnsubscribe through zapier-platform-core's app tester, with the
 * bundle's subscribeData kept), foreign PUTs, and two activations racing request by request
 * (the interleaving is chosen by fast-check through a holding proxy, test/ownership/gate.ts)
 * against the emulator.
 *
 * A reference model keeps the ideal state: the configuration a user expects back (the ROOT:
 * the initial one, or the last foreign PUT) and the stack of our registrations that took over,
 * holder last. After every step:
 * - the account holds the stack's top (its receiver, its events), with the ones below recorded
 *   in order; with the stack empty it holds the root exactly (or, when the root delivered
 *   nothing, deliveries are off) — so an active foreign configuration is never overwritten
 *   unless the trigger's Replace Existing was on, and when all of ours have stopped the account
 *   is back to what it had before the first take-over, never a URL of ours whose trigger is gone;
 * - every activation the model refuses is refused, naming the holder's kind (another n8n
 *   workflow, a Zap of ours, something else), and every other one succeeds;
 * - no PUT replaced an active foreign URL for an actor without Replace Existing (audited on
 *   the wire, including mid-race);
 * - a race of two activations ends as one of the two sequential orders would (one holder, the
 *   other refused or recorded under it), EXCEPT the interleaving the contract makes impossible
 *   to get right (KNOWN_LIMIT below), which is recognised, counted and pinned by its own
 *   expected-failure test.
 */
import type { IDataObject, INode, INodeType } from 'n8n-workflow';
import fc from 'fast-check';
import { HookContext } from 'n8n-core';

import { IntelliPortalApi } from '../../credentials/IntelliPortalApi.credentials';
import { startEmulator } from '../../emulator';
import type { RunningEmulator } from '../../emulator';
import { IntelliPortalTrigger } from '../../nodes/IntelliPortalTrigger/IntelliPortalTrigger.node';
import type { WebhookConfig } from '../../shared/types';
import { WEBHOOK_EVENT_TYPES } from '../../shared/types';
import { OwnershipRecordKey, readOwnershipRecord } from '../../shared/webhookRecord';
import type { OwnershipMark } from '../../shared/webhookRecord';
import { isSameWebhookTarget, isSameWebhookUrl } from '../../shared/webhookUrl';
import App from '../../zapier/src';
import { N8nHarness, makeAdditionalData } from '../n8n/harness';
import { appTester } from '../zapier/helpers';
import { Gate } from './gate';
import type { GateEntry } from './gate';

const API_KEY = 'ik_test_Zq8SECRETkey4ownershipModel';
const TRIGGER_TYPE = 'n8n-nodes-intelliportal.intelliPortalTrigger';
const RUNS = Number(process.env.OWNERSHIP_MODEL_RUNS ?? 300);
const EVENTS = [...WEBHOOK_EVENT_TYPES];
const FOREIGN_URLS = ['https://crm.example.com/hooks?token=F1', 'https://erp.example.com/in'];
const RECORD_KEY = new OwnershipRecordKey(API_KEY);

/** The ownership record the account's URL carries, read with the actors' API key. */
function readWebhookMark(url: string | null): OwnershipMark | undefined {
	const reading = readOwnershipRecord(url, RECORD_KEY);
	return reading.status === 'read' ? reading.mark : undefined;
}

type Kind = 'n8n' | 'zapier';

interface ActorSpec {
	replace: boolean;
	events: string[];
}

interface Actor extends ActorSpec {
	/** Sends its requests through the gate (races) or straight to the emulator. */
	route(gated: boolean): void;
	name: string;
	kind: Kind;
	/** The receiver URL (without secret or record). */
	receiver: string;
	active: boolean;
	run: {
		activate(mode: 'activate' | 'init'): Promise<'exists' | 'registered'>;
		deactivate(): Promise<void>;
	};
}

/** The ideal state. */
interface Ref {
	/** What a user expects back when all of ours stop; null = nothing (deliveries off). */
	root: WebhookConfig | null;
	/** Our registrations that took over, holder last. */
	stack: string[];
}

type Outcome = { result: 'registered' } | { result: 'refused'; holder: Kind | 'other' };

/** Each host's words for the holder, by scheme and host only (the " (" right after: no path). */
const HOLDER_PATTERN: Record<Kind | 'other', RegExp> = {
	n8n: /in use by (another n8n workflow \(an IntelliPortal Trigger\)|an n8n workflow \(IntelliPortal Trigger\)) at http:\/\/127\.0\.0\.1:5678 \(/,
	zapier:
		/in use by a Zapier Zap \(IntelliPortal’s New Message Event trigger\) at https:\/\/hooks\.zapier\.com \(/,
	other: /in use by another receiver at https:\/\/(crm|erp)\.example\.com \(/,
};

let emulator: RunningEmulator;
let gate: Gate;
const baseUrls: Record<string, string> = {};
const tester = appTester();
const hook = App.triggers.message_event.operation;
/** What the triggers logged as warnings (take-overs). */
const warnings: string[] = [];
/** PUTs that replaced an active foreign URL for an actor without Replace Existing. */
let auditViolations: string[] = [];
let replaceOf: Record<string, boolean> = {};

beforeAll(async () => {
	// zapier-platform-core's Lambda guard ends the process on an invocation after the 250th when
	// RSS is above 450 MB (a Lambda recycles itself that way). This jest worker hosts n8n-core,
	// the Zapier runtime and the emulator for hundreds of sequences: above that from the start.
	jest.requireActual<{ KILL_MIN_LIMIT: number }>(
		'zapier-platform-core/src/constants',
	).KILL_MIN_LIMIT = Number.POSITIVE_INFINITY;
	// The trigger logs each take-over through n8n's logger (one instance in n8n-core's container):
	// collected, not printed.
	jest.spyOn(n8nLogger(), 'warn').mockImplementation((message: string) => {
		warnings.push(message);
	});
	emulator = await startEmulator({ statusStepMs: 0 });
	const target = new URL(emulator.baseUrl);
	gate = new Gate({ host: target.hostname, port: Number(target.port) });
	for (const name of ['n8n-0', 'n8n-1', 'n8n-2', 'zap-0']) {
		baseUrls[name] = await gate.proxyFor(name, target.pathname);
	}
	gate.beforeForward = (entry: GateEntry) => {
		if (entry.method !== 'PUT' || entry.body?.url === undefined) return;
		const before = emulator.admin.webhookConfig();
		const foreignInUse =
			before.url !== null && before.events.length > 0 && readWebhookMark(before.url) === undefined;
		if (foreignInUse && !isSameWebhookUrl(entry.body.url, before.url) && !replaceOf[entry.actor]) {
			auditViolations.push(`${entry.actor} replaced ${before.url} without Replace Existing`);
		}
	};
});

afterAll(async () => {
	await gate?.stop();
	await emulator?.stop();
});

function n8nActor(index: number, spec: ActorSpec): Actor {
	const name = `n8n-${index}`;
	const harness = new N8nHarness({
		nodeTypes: { [TRIGGER_TYPE]: new IntelliPortalTrigger() as INodeType },
		credentialTypes: { intelliPortalApi: new IntelliPortalApi() },
		credentials: {
			intelliPortalApi: { apiKey: API_KEY, environment: 'custom', baseUrl: emulator.baseUrl },
		},
	});
	const node: INode = harness.makeNode(
		TRIGGER_TYPE,
		{ events: spec.events, replaceExisting: spec.replace },
		{ name: 'IntelliPortal Trigger', webhookId: `0000000${index}-0000-4000-8000-000000000000` },
	);
	// n8n keeps a workflow's static data across activations.
	const staticData: IDataObject = {};
	return {
		...spec,
		route(gated) {
			harness.setCredentials({
				intelliPortalApi: {
					apiKey: API_KEY,
					environment: 'custom',
					baseUrl: gated ? baseUrls[name] : emulator.baseUrl,
				},
			});
		},
		name,
		kind: 'n8n',
		receiver: harness.webhookUrl(node),
		active: false,
		run: {
			async activate(mode) {
				if (await harness.runWebhookMethod(node, staticData, 'checkExists', mode)) return 'exists';
				await harness.runWebhookMethod(node, staticData, 'create', mode);
				return 'registered';
			},
			async deactivate() {
				await harness.runWebhookMethod(node, staticData, 'delete');
			},
		},
	};
}

/** n8n's logger as a trigger sees it (one instance in n8n-core's container). */
function n8nLogger(): { warn(message: string): void } {
	const harness = new N8nHarness({
		nodeTypes: { [TRIGGER_TYPE]: new IntelliPortalTrigger() as INodeType },
		credentialTypes: { intelliPortalApi: new IntelliPortalApi() },
		credentials: {},
	});
	const node = harness.makeNode(
		TRIGGER_TYPE,
		{},
		{ name: 'IntelliPortal Trigger', webhookId: 'probe' },
	);
	const workflow = harness.makeWorkflow(node, {});
	return new HookContext(
		workflow,
		node,
		makeAdditionalData(harness.credentialsHelper),
		'trigger',
		'activate',
		harness.webhookData(node, workflow),
	).logger;
}

function zapActor(spec: ActorSpec): Actor {
	const name = 'zap-0';
	const authData = { apiKey: API_KEY, environment: 'custom', baseUrl: emulator.baseUrl };
	const targetUrl = 'https://hooks.zapier.com/hooks/standard/1/zap0/';
	let subscribeData: unknown;
	return {
		...spec,
		name,
		kind: 'zapier',
		receiver: targetUrl,
		active: false,
		route(gated) {
			authData.baseUrl = gated ? baseUrls[name] : emulator.baseUrl;
		},
		run: {
			async activate() {
				subscribeData = await tester(hook.performSubscribe, {
					authData,
					targetUrl,
					inputData: { events: spec.events, replace_existing: String(spec.replace) },
				});
				return 'registered';
			},
			async deactivate() {
				await tester(hook.performUnsubscribe, {
					authData,
					targetUrl,
					subscribeData: subscribeData as never,
					inputData: { events: spec.events, replace_existing: String(spec.replace) },
				});
			},
		},
	};
}

// ---------------------------------------------------------------- the reference model

function refActivate(ref: Ref, actor: Actor, actors: Record<string, Actor>): [Ref, Outcome] {
	if (ref.stack.includes(actor.name)) return [ref, { result: 'registered' }];
	const top = ref.stack[ref.stack.length - 1];
	const inUse = top !== undefined || (ref.root !== null && ref.root.events.length > 0);
	if (inUse && !actor.replace) {
		return [ref, { result: 'refused', holder: top !== undefined ? actors[top].kind : 'other' }];
	}
	return [{ root: ref.root, stack: [...ref.stack, actor.name] }, { result: 'registered' }];
}

/** The kind of holder `actor` displaces by activating now (undefined: nobody in use). */
function takesOverFrom(
	ref: Ref,
	actor: Actor,
	actors: Record<string, Actor>,
): Kind | 'other' | undefined {
	if (ref.stack.includes(actor.name)) return undefined;
	const top = ref.stack[ref.stack.length - 1];
	if (top !== undefined) return actors[top].kind;
	return ref.root && ref.root.events.length > 0 ? 'other' : undefined;
}

const HOLDER_WORDS: Record<Kind | 'other', string> = {
	n8n: 'another n8n workflow',
	zapier: 'a Zapier Zap',
	other: 'another receiver',
};

function refDeactivate(ref: Ref, actor: Actor): Ref {
	return { root: ref.root, stack: ref.stack.filter((name) => name !== actor.name) };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
	return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}

/** What differs between the account and the reference (empty: they agree). */
function mismatches(ref: Ref, actors: Record<string, Actor>): string[] {
	const account = emulator.admin.webhookConfig();
	const out: string[] = [];
	const top = ref.stack[ref.stack.length - 1];
	if (top === undefined) {
		if (ref.root && ref.root.events.length > 0) {
			if (account.url !== ref.root.url || !sameSet(account.events, ref.root.events))
				out.push(`expected the root ${JSON.stringify(ref.root)} back`);
		} else if (ref.root) {
			if (account.url !== ref.root.url || account.events.length > 0)
				out.push(`expected ${ref.root.url} with deliveries off`);
		} else if (account.events.length > 0) out.push('expected deliveries off');
		return out;
	}
	const holder = actors[top];
	if (!isSameWebhookTarget(account.url, holder.receiver)) out.push(`expected ${top} to hold it`);
	if (!sameSet(account.events, holder.events)) out.push(`expected ${top}'s events`);
	const mark = readWebhookMark(account.url);
	const recorded = (mark?.record.suspended ?? []).map(
		(s) => Object.values(actors).find((a) => isSameWebhookTarget(s.url, a.receiver))?.name ?? s.url,
	);
	if (recorded.join() !== ref.stack.slice(0, -1).join())
		out.push(`recorded [${recorded.join()}], expected [${ref.stack.slice(0, -1).join()}]`);
	const root = mark?.record.root ?? null;
	const expectedRoot = ref.root && ref.root.url ? ref.root : null;
	if (
		(root === null) !== (expectedRoot === null) ||
		(root &&
			expectedRoot &&
			(root.url !== expectedRoot.url || !sameSet(root.events, expectedRoot.events)))
	)
		out.push(`record root ${JSON.stringify(root)}, expected ${JSON.stringify(expectedRoot)}`);
	return out;
}

async function outcomeOf(
	actor: Actor,
	mode: 'activate' | 'init',
): Promise<Outcome & { exists?: boolean }> {
	try {
		const result = await actor.run.activate(mode);
		return { result: 'registered', exists: result === 'exists' };
	} catch (error) {
		return refusalOf(error);
	}
}

function refusalOf(error: unknown): Outcome {
	const text = `${(error as Error).message} ${(error as { description?: string }).description ?? ''}`;
	const holder = (Object.keys(HOLDER_PATTERN) as Array<Kind | 'other'>).find((kind) =>
		HOLDER_PATTERN[kind].test(text),
	);
	if (!holder) throw error;
	if (!/first, or turn on \\?"Replace Existing Webhook/.test(text))
		throw new Error(`refusal without what to do: ${text}`);
	return { result: 'refused', holder };
}

function sameOutcome(a: Outcome, b: Outcome): boolean {
	return a.result === b.result && (a.result !== 'refused' || a.holder === (b as typeof a).holder);
}

/**
 * KNOWN_LIMIT (no compare-and-set in the contract): one activation's PUT is based on a read
 * taken before the other's PUT, and lands after the other has read its own write back. The
 * other then believes it holds the webhook, and it is gone without a trace.
 */
function knownLimitHappened(log: readonly GateEntry[]): boolean {
	for (let p = 0; p < log.length; p++) {
		if (log[p].method !== 'PUT') continue;
		const writer = log[p].actor;
		let basis = -1;
		for (let i = p - 1; i >= 0; i--) {
			if (log[i].actor === writer && log[i].method === 'GET') {
				basis = i;
				break;
			}
		}
		for (let q = basis + 1; q < p; q++) {
			if (log[q].method !== 'PUT' || log[q].actor === writer) continue;
			const readBack = log.findIndex(
				(e, i) => i > q && e.actor === log[q].actor && e.method === 'GET',
			);
			if (readBack >= 0 && readBack < p) return true;
		}
	}
	return false;
}

// ---------------------------------------------------------------- commands

type Command =
	| { t: 'toggle'; a: number }
	| { t: 'restart'; a: number }
	| { t: 'foreign'; config: WebhookConfig }
	| { t: 'race'; a: number; b: number; choices: number[] };

const eventsArb = fc.subarray(EVENTS, { minLength: 1 });
const specArb = fc.record({ replace: fc.boolean(), events: eventsArb });
const foreignArb: fc.Arbitrary<WebhookConfig> = fc.record({
	url: fc.constantFrom(...FOREIGN_URLS),
	events: fc.subarray(EVENTS),
});
const actorIndex = fc.nat(3);
const commandArb: fc.Arbitrary<Command> = fc.oneof(
	{ weight: 7, arbitrary: fc.record({ t: fc.constant('toggle' as const), a: actorIndex }) },
	{ weight: 2, arbitrary: fc.record({ t: fc.constant('restart' as const), a: fc.nat(2) }) },
	{ weight: 1, arbitrary: fc.record({ t: fc.constant('foreign' as const), config: foreignArb }) },
	{
		weight: 3,
		arbitrary: fc.record({
			t: fc.constant('race' as const),
			a: actorIndex,
			b: actorIndex,
			choices: fc.array(fc.nat(3), { minLength: 1, maxLength: 16 }),
		}),
	},
);
const initialArb = fc.oneof(fc.constant<WebhookConfig>({ url: null, events: [] }), foreignArb);

async function putForeign(config: WebhookConfig): Promise<void> {
	const res = await fetch(`${emulator.baseUrl}/webhooks`, {
		method: 'PUT',
		headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
		body: JSON.stringify(config.url === null ? { events: config.events } : config),
	});
	if (res.status !== 200) throw new Error(`foreign PUT answered ${res.status}`);
}

const stats = { sequences: 0, steps: 0, races: 0, knownLimit: 0, refusals: 0, restores: 0 };

async function runSequence(
	initial: WebhookConfig,
	specs: ActorSpec[],
	commands: Command[],
): Promise<void> {
	emulator.admin.reset();
	auditViolations = [];
	if (initial.url !== null || initial.events.length > 0) await putForeign(initial);
	else await putForeign({ url: null, events: [] });
	const list = [
		n8nActor(0, specs[0]),
		n8nActor(1, specs[1]),
		n8nActor(2, specs[2]),
		zapActor(specs[3]),
	];
	const actors = Object.fromEntries(list.map((a) => [a.name, a]));
	replaceOf = Object.fromEntries(list.map((a) => [a.name, a.replace]));
	let ref: Ref = { root: initial.url ? initial : null, stack: [] };
	const trace: string[] = [];
	const fail = (why: string) => {
		throw new Error(
			`${why}\n  after: ${trace.join(' → ')}\n  account: ${JSON.stringify(emulator.admin.webhookConfig())}\n  model: ${JSON.stringify(ref)}`,
		);
	};
	const expectOutcome = (actor: Actor, actual: Outcome, expected: Outcome) => {
		if (!sameOutcome(actual, expected))
			fail(`${actor.name}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
	};

	for (const command of commands) {
		if (command.t === 'foreign') {
			trace.push(`foreign PUT ${JSON.stringify(command.config)}`);
			await putForeign(command.config);
			// Whoever held it is replaced; that configuration is now what a user expects back.
			ref = { root: command.config, stack: [] };
		} else if ((command.t === 'toggle' && !list[command.a].active) || command.t === 'restart') {
			const actor = list[command.a];
			if (command.t === 'restart' && !actor.active) continue;
			trace.push(
				`${command.t === 'toggle' ? 'on' : 'restart'} ${actor.name}${actor.replace ? ' (replace)' : ''}`,
			);
			const mode = command.t === 'restart' ? 'init' : 'activate';
			const [next, expected] = refActivate(ref, actor, actors);
			const warned = warnings.length;
			const actual = await outcomeOf(actor, mode);
			const displaced = takesOverFrom(ref, actor, actors);
			if (actor.kind === 'n8n' && actual.result === 'registered' && displaced) {
				const said = warnings.slice(warned).join(' ');
				if (!said.includes(`took the account's webhook over from ${HOLDER_WORDS[displaced]}`))
					fail(`${actor.name} took over from ${displaced} without warning (${said})`);
			}
			expectOutcome(actor, actual, expected);
			if (command.t === 'restart' && ref.stack.includes(actor.name) && !actual.exists)
				fail(`${actor.name} is registered (recorded) but checkExists said no`);
			if (actual.result === 'refused') stats.refusals++;
			actor.active = actual.result === 'registered';
			ref = next;
		} else if (command.t === 'toggle') {
			const actor = list[command.a];
			trace.push(`off ${actor.name}`);
			await actor.run.deactivate();
			actor.active = false;
			ref = refDeactivate(ref, actor);
			if (ref.stack.length === 0) stats.restores++;
		} else {
			// Two of the inactive actors, picked by index.
			const idle = list.filter((a) => !a.active);
			if (idle.length < 2) continue;
			const x = idle[command.a % idle.length];
			const y = idle[(command.a + 1 + (command.b % (idle.length - 1))) % idle.length];
			trace.push(
				`race ${x.name}${x.replace ? ' (replace)' : ''} ‖ ${y.name}${y.replace ? ' (replace)' : ''} [${command.choices.join(',')}]`,
			);
			stats.races++;
			const from = gate.log.length;
			x.route(true);
			y.route(true);
			const settled = await gate.interleave(
				[x, y].map((actor) => () => outcomeOf(actor, 'activate')),
				command.choices,
			);
			x.route(false);
			y.route(false);
			const [ox, oy] = settled.map((s) => {
				if (s.status === 'rejected') throw s.reason;
				return s.value;
			});
			const log = gate.log.slice(from);
			// The two sequential orders.
			const [r1, e1x] = refActivate(ref, x, actors);
			const [r12, e1y] = refActivate(r1, y, actors);
			const [r2, e2y] = refActivate(ref, y, actors);
			const [r21, e2x] = refActivate(r2, x, actors);
			let adopted: Ref | undefined;
			if (sameOutcome(ox, e1x) && sameOutcome(oy, e1y) && mismatches(r12, actors).length === 0)
				adopted = r12;
			else if (sameOutcome(ox, e2x) && sameOutcome(oy, e2y) && mismatches(r21, actors).length === 0)
				adopted = r21;
			if (!adopted) {
				if (!knownLimitHappened(log) || ox.result !== 'registered' || oy.result !== 'registered') {
					fail(
						`race not equivalent to any order: ${x.name} ${JSON.stringify(ox)}, ${y.name} ${JSON.stringify(oy)}; log ${log.map((e) => `${e.actor}:${e.method}`).join(' ')}`,
					);
				}
				// KNOWN_LIMIT: the winner's registration as if it had been alone; the loser believes
				// it holds the webhook but is neither holding it nor recorded (it receives nothing).
				stats.knownLimit++;
				const winner = isSameWebhookTarget(emulator.admin.webhookConfig().url, x.receiver) ? x : y;
				adopted = refActivate(ref, winner, actors)[0];
				if (mismatches(adopted, actors).length > 0)
					fail('known-limit race left an unexpected state');
			}
			x.active = ox.result === 'registered';
			y.active = oy.result === 'registered';
			if (ox.result === 'refused') stats.refusals++;
			if (oy.result === 'refused') stats.refusals++;
			ref = adopted;
		}
		stats.steps++;
		if (auditViolations.length > 0) fail(auditViolations.join('; '));
		const wrong = mismatches(ref, actors);
		if (wrong.length > 0) fail(wrong.join('; '));
		// Never a live URL of ours whose trigger is gone.
		const account = emulator.admin.webhookConfig();
		const owner = list.find((a) => isSameWebhookTarget(account.url, a.receiver));
		if (owner && !owner.active && account.events.length > 0)
			fail(`${owner.name} stopped but still receives`);
	}
	// Stop everything that is still ours: the account must be back to the root.
	for (const actor of list) {
		if (!actor.active) continue;
		trace.push(`off ${actor.name}`);
		await actor.run.deactivate();
		actor.active = false;
		ref = refDeactivate(ref, actor);
	}
	const wrong = mismatches(ref, actors);
	if (wrong.length > 0) fail(`after all stopped: ${wrong.join('; ')}`);
	stats.sequences++;
}

describe('the single webhook under random sequences of n8n triggers, a Zap and foreign PUTs', () => {
	it(`holds the ownership rule after every step (${RUNS} sequences)`, async () => {
		const started = Date.now();
		const cpu = process.cpuUsage();
		await fc.assert(
			fc.asyncProperty(
				initialArb,
				fc.tuple(specArb, specArb, specArb, specArb),
				fc.array(commandArb, { minLength: 1, maxLength: 10 }),
				async (initial, specs, commands) => runSequence(initial, specs, commands),
			),
			{ numRuns: RUNS, endOnFailure: false },
		);
		const seconds = (Date.now() - started) / 1000;
		const used = process.cpuUsage(cpu);
		const cpuSeconds = (used.user + used.system) / 1e6;
		// Shown in the test output; the README quotes a run of it.
		process.stdout.write(
			`ownership model: ${JSON.stringify(stats)} in ${seconds.toFixed(1)} s (CPU ${cpuSeconds.toFixed(1)} s), RSS ${Math.round(process.memoryUsage().rss / 1e6)} MB\n`,
		);
		expect(stats.sequences).toBeGreaterThanOrEqual(RUNS);
		expect(stats.races).toBeGreaterThan(0);
	}, 600_000);
});

describe('KNOWN LIMIT: a write based on a stale read, landing after the other side verified its own', () => {
	// X: checkExists GET, create GET (nothing there) … Y: checkExists GET, create GET (nothing
	// there), PUT, read-back GET (Y holds it) … X: PUT (based on its old read), read-back GET (X
	// holds it). Y has no way left to notice: nothing in the contract is called again for it
	// until it is deactivated or restarted. Only a compare-and-set (If-Match on PUT /webhooks)
	// would let X's PUT fail instead.
	const ORDER = ['n8n-0', 'n8n-1', 'n8n-0', 'n8n-1', 'n8n-1', 'n8n-1', 'n8n-0', 'n8n-0'];

	async function staleWriteRace() {
		emulator.admin.reset();
		const spec = { replace: false, events: ['message.read'] };
		const x = n8nActor(0, spec);
		const y = n8nActor(1, { ...spec, events: ['message.failed'] });
		replaceOf = { 'n8n-0': false, 'n8n-1': false };
		const from = gate.log.length;
		x.route(true);
		y.route(true);
		const [ox, oy] = await gate.interleave(
			[x, y].map((actor) => () => outcomeOf(actor, 'activate')),
			ORDER,
		);
		return { x, y, ox, oy, log: gate.log.slice(from) };
	}

	it('is recognised: both activations succeed, X holds the webhook, Y is neither holding it nor recorded', async () => {
		const { x, y, ox, oy, log } = await staleWriteRace();
		expect(log.map((e) => `${e.actor}:${e.method}`)).toEqual(
			ORDER.map((a, i) => `${a}:${['GET', 'GET', 'GET', 'GET', 'PUT', 'GET', 'PUT', 'GET'][i]}`),
		);
		expect(knownLimitHappened(log)).toBe(true);
		expect(ox).toMatchObject({ status: 'fulfilled', value: { result: 'registered' } });
		expect(oy).toMatchObject({ status: 'fulfilled', value: { result: 'registered' } });
		const account = emulator.admin.webhookConfig();
		expect(isSameWebhookTarget(account.url, x.receiver)).toBe(true);
		expect(readWebhookMark(account.url)?.record.suspended).toEqual([]);
		// Stopping both still ends where it began (deliveries off): nothing of ours is left live.
		await y.run.deactivate();
		await x.run.deactivate();
		expect(emulator.admin.webhookConfig().events).toEqual([]);
	});

	// The property "two racing activations never both believe they hold the webhook" does not hold
	// for this interleaving, and no rule can make it hold: this pins exactly how it fails.
	it('KNOWN LIMIT: both activations report success, X holds the webhook, Y believes it does but is neither holder nor recorded', async () => {
		const { x, y, ox, oy } = await staleWriteRace();
		expect([ox.status, oy.status]).toEqual(['fulfilled', 'fulfilled']);
		const account = emulator.admin.webhookConfig();
		const believers = [x, y].filter(
			(actor, i) =>
				([ox, oy][i] as PromiseFulfilledResult<Outcome>).value.result === 'registered' &&
				!isWebhookRegisteredForModel(account, actor),
		);
		expect(isWebhookRegisteredForModel(account, x)).toBe(true);
		expect(isSameWebhookTarget(account.url, x.receiver)).toBe(true);
		expect(believers).toEqual([y]);
		await y.run.deactivate();
		await x.run.deactivate();
	});
});

/** Holding the webhook, or recorded under the holder. */
function isWebhookRegisteredForModel(account: WebhookConfig, actor: Actor): boolean {
	if (isSameWebhookTarget(account.url, actor.receiver)) return account.events.length > 0;
	return (readWebhookMark(account.url)?.record.suspended ?? []).some((s) =>
		isSameWebhookTarget(s.url, actor.receiver),
	);
}
