/**
 * How `--profile` splits a CPU profile into buckets: which frame owns a sample, that logging and
 * credential handling win over what they call (except the HTTP call), that Node internals and
 * unlisted packages go to their caller, and the per-item arithmetic over sample durations.
 */
import { classify, ownerOf, shortUrl, summariseProfile } from '../../bench/profile-summary';
import type { CallFrame, CpuProfile } from '../../bench/profile-summary';

const N8N = 'file:///home/u/.cache/intelliportal/n8n-2.41.1/node_modules';
const OURS = 'file:///tmp/ip-n8n-x/.n8n/nodes/node_modules/n8n-nodes-intelliportal/dist';

const frame = (functionName: string, url = ''): CallFrame => ({ functionName, url, lineNumber: 0 });

const f = {
	bulk: frame('lane', `${OURS}/shared/pacing/bulk.js`),
	validate: frame('validateSendMessage', `${OURS}/shared/validation.js`),
	client: frame('send', `${OURS}/shared/client.js`),
	transport: frame('request', `${OURS}/nodes/IntelliPortal/transport/N8nTransport.js`),
	sendOne: frame('sendOne', `${OURS}/nodes/IntelliPortal/actions/sendMessages.js`),
	getParam: frame(
		'_getNodeParameter',
		`${N8N}/n8n-core/dist/execution-engine/node-execution-context/node-execution-context.js`,
	),
	expression: frame('renderExpression', `${N8N}/n8n-workflow/dist/cjs/expression.js`),
	withAuth: frame(
		'httpRequestWithAuthentication',
		`${N8N}/n8n-core/dist/execution-engine/node-execution-context/utils/request-helpers/authentication.js`,
	),
	authenticate: frame('authenticate', `${N8N}/n8n/dist/credentials-helper.js`),
	axios: frame('dispatchHttpRequest', `${N8N}/axios/dist/node/axios.cjs`),
	nodeHttp: frame('ClientRequest', 'node:_http_client'),
	luxon: frame('partsOffset', `${N8N}/luxon/build/node/luxon.js`),
	winston: frame('log', `${N8N}/winston/lib/winston/logger.js`),
	native: frame('evalClosureSync'),
	ticks: frame('processTicksAndRejections', 'node:internal/process/task_queues'),
};

/** Stacks are given leaf first, as `classify` takes them. */
test('the innermost known owner takes the sample; natives, Node and other packages are transparent', () => {
	expect(classify([f.validate, f.client, f.bulk, f.ticks])).toBe('oursValidation');
	expect(classify([f.client, f.bulk])).toBe('oursCore');
	expect(classify([f.bulk, f.ticks])).toBe('oursPacing');
	expect(classify([f.transport, f.sendOne])).toBe('oursNode');
	// Our node reading a parameter: the expression engine's time, luxon's and the isolate's included.
	expect(classify([f.native, f.expression, f.getParam, f.sendOne, f.bulk])).toBe('expressions');
	expect(classify([f.luxon, f.expression, f.getParam, f.sendOne])).toBe('expressions');
	expect(classify([f.nodeHttp, f.axios, f.ticks])).toBe('httpHelper');
	expect(classify([f.nodeHttp, f.ticks])).toBe('nodeInternals');
	expect(classify([f.luxon])).toBe('otherPackages');
});

test('credential handling keeps the expressions it evaluates, not the HTTP call it makes', () => {
	expect(classify([f.native, f.expression, f.authenticate, f.withAuth, f.transport])).toBe(
		'credentials',
	);
	expect(classify([f.withAuth, f.transport])).toBe('credentials');
	expect(classify([f.nodeHttp, f.axios, f.withAuth, f.transport])).toBe('httpHelper');
});

test('logging wins wherever it is called from; V8 pseudo-frames have their own buckets', () => {
	expect(classify([f.native, f.winston, f.client, f.bulk])).toBe('logging');
	expect(classify([frame('(garbage collector)')])).toBe('gc');
	expect(classify([frame('(idle)')])).toBe('idle');
	expect(classify([frame('(program)')])).toBe('program');
});

test('owners from URLs: our folders, the HTTP Request node, the database, the engine', () => {
	expect(shortUrl(`${N8N}/axios/dist/node/axios.cjs`)).toBe('axios/dist/node/axios.cjs');
	expect(ownerOf(frame('execute', `${N8N}/n8n-nodes-base/dist/nodes/HttpRequest/V3/x.js`))).toBe(
		'httpNode',
	);
	expect(ownerOf(frame('run', `${N8N}/sqlite3/lib/trace.js`))).toBe('database');
	expect(
		ownerOf(frame('runNode', `${N8N}/n8n-core/dist/execution-engine/workflow-execute.js`)),
	).toBe('engine');
	expect(ownerOf(frame('observe', `${N8N}/n8n/dist/expression-observability/p.js`))).toBe(
		'expressions',
	);
	expect(ownerOf(frame('string', `${OURS}/shared/collector.js`))).toBe('oursValidation');
	expect(ownerOf(frame('send', `${OURS}/shared/send.js`))).toBe('oursCore');
	expect(ownerOf(f.native)).toBeUndefined();
});

test('ms per item from sample durations (each sample lasts until the next), idle left out', () => {
	// Root → sendOne → getParam → expression; root → axios; root → (idle).
	const profile: CpuProfile = {
		startTime: 0,
		endTime: 10_000,
		nodes: [
			{ id: 1, callFrame: frame('(root)'), children: [2, 5, 6] },
			{ id: 2, callFrame: f.sendOne, children: [3] },
			{ id: 3, callFrame: f.getParam, children: [4] },
			{ id: 4, callFrame: f.expression },
			{ id: 5, callFrame: f.axios },
			{ id: 6, callFrame: frame('(idle)') },
		],
		// Durations (µs): 1000, 3000, 2000, 4000, then the last sample gets the mean (2500).
		samples: [4, 4, 5, 6, 5],
		timeDeltas: [0, 1000, 3000, 2000, 4000],
	};
	const summary = summariseProfile(profile, 2);
	const cost = (bucket: string) => summary.buckets.find((b) => b.bucket === bucket)?.msPerItem;
	expect(cost('expressions')).toBe(2); // (1000 + 3000) µs / 2 items
	expect(cost('httpHelper')).toBe(2.25); // (2000 + 2500) µs / 2 items
	expect(summary.busyMsPerItem).toBe(4.25);
	expect(summary.idleMs).toBe(4);
	expect(summary.buckets.map((b) => b.bucket)).toEqual(['httpHelper', 'expressions']);
	expect(summary.buckets[1].topSelf[0].name).toMatch(/^renderExpression n8n-workflow\//);
	const inclusive = Object.fromEntries(
		summary.topInclusive.map((x) => [x.name.split(' ')[0], x.msPerItem]),
	);
	expect(inclusive).toMatchObject({ sendOne: 2, _getNodeParameter: 2, dispatchHttpRequest: 2.25 });
});
