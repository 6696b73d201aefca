/**
 * Stop in a real n8n (the pinned version, or another via IP_N8N_HOME): a 5 000-message campaign
 * at a low rate limit, stopped through n8n's REST API once 100 messages (two seconds' worth) went
 * out. Checked at the emulator: after Stop at most the in-flight requests land, nothing is
 * accepted after the execution ended (until a later one-message run is), and no message went
 * twice.
 *
 * Set IP_SKIP_E2E=1 to skip on a machine without the n8n install.
 */
import { randomBytes } from 'node:crypto';

import type { RunningEmulator } from '../../emulator';
import { DEFAULT_CONCURRENCY } from '../../nodes/IntelliPortal/actions/message/sendFields';
import type { N8nInstance, WorkflowJson } from '../../scripts/n8n/start';
import { describeE2e, startE2eStack, type E2eStack } from './stack';

const API_KEY = `ik_test_stop_${randomBytes(12).toString('hex')}`;
const N = 5_000;
const RATE = 50;

function campaign(
	runId: string,
	credential: { id: string; name: string },
	typeVersion: number,
	{ count = N, prefix = 'stop' } = {},
): WorkflowJson {
	const rows = [
		'const items = [];',
		`for (let i = 0; i < ${count}; i++) items.push({ json: { to: '+1555' + String(i).padStart(7, '0'), text: ${JSON.stringify(`${prefix}:${runId}:`)} + i } });`,
		'return items;',
	].join('\n');
	return {
		name: `${prefix} campaign ${runId}`,
		nodes: [
			{
				id: 'm',
				name: 'Manual',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'r',
				name: 'Rows',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
				parameters: { jsCode: rows },
			},
			{
				id: 's',
				name: 'Send',
				type: 'n8n-nodes-intelliportal.intelliPortal',
				typeVersion,
				position: [400, 0],
				onError: 'continueRegularOutput',
				credentials: { intelliPortalApi: credential },
				parameters: {
					resource: 'message',
					operation: 'send',
					clientRef: { __rl: true, mode: 'id', value: 'client_stop' },
					to: '={{ $json.to }}',
					messageType: 'text',
					textBody: '={{ $json.text }}',
					options: {},
				},
			},
		],
		connections: {
			Manual: { main: [[{ node: 'Rows', type: 'main', index: 0 }]] },
			Rows: { main: [[{ node: 'Send', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Resolves once `condition` holds (a positive signal), polling the emulator's state. */
async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await sleep(20);
}

describeE2e(
	`Stop a running campaign in a real n8n (${process.env.IP_N8N_HOME ?? 'pinned n8n'})`,
	() => {
		let stack: E2eStack | undefined;
		let emulator: RunningEmulator;
		let n8n: N8nInstance;
		let credential: { id: string; name: string };

		beforeAll(async () => {
			stack = await startE2eStack({
				apiKey: API_KEY,
				emulator: { rateLimitRps: RATE, requestLogSize: 10 },
			});
			({ emulator, n8n, credential } = stack);
		}, 20 * 60_000);

		afterAll(async () => {
			await stack?.stop();
		}, 60_000);

		test.each([2, 1])(
			'node version %i: 5 000 messages at 50 req/s, Stop once 100 went out: sending stops, nothing twice, the execution ends canceled',
			async (typeVersion) => {
				emulator.admin.reset();
				const runId = `v${typeVersion}-${randomBytes(4).toString('hex')}`;
				const workflow = await n8n.importWorkflow(campaign(runId, credential, typeVersion));
				const mine = () =>
					emulator.admin
						.messages()
						.filter((m) =>
							String((m.body.text as { body?: string })?.body ?? '').startsWith(`stop:${runId}:`),
						);

				const executionId = await n8n.startManually(workflow.id, 'Manual');
				// Stop once about two seconds' worth of messages went out (counted, not timed).
				await until(() => mine().length >= 2 * RATE);
				await n8n.stopExecution(executionId);
				const atStop = mine().length;
				const execution = await n8n.waitForExecution(executionId, 60_000);
				const atEnd = mine().length;
				// Positive signal that the canceled run is quiet: a one-message run through the same
				// node, account and governor is accepted; a campaign still sending at 50/s would
				// have added messages meanwhile.
				const sentinel = await n8n.importWorkflow(
					campaign(runId, credential, typeVersion, { count: 1, prefix: 'sentinel' }),
				);
				const sentinelRun = await n8n.waitForExecution(
					await n8n.startManually(sentinel.id, 'Manual'),
					60_000,
				);
				const later = mine();

				expect(execution.status).toBe('canceled');
				expect(sentinelRun.status).toBe('success');
				expect(
					emulator.admin
						.messages()
						.filter((m) =>
							String((m.body.text as { body?: string })?.body).startsWith(`sentinel:${runId}:`),
						),
				).toHaveLength(1);
				// After Stop, at most the requests already in flight (the node's concurrency) land.
				expect(atEnd - atStop).toBeLessThanOrEqual(DEFAULT_CONCURRENCY);
				// Sending stopped: nothing accepted after the execution ended, far from all 5 000.
				expect(later.length).toBe(atEnd);
				expect(later.length).toBeLessThan(N / 2);
				// No message twice.
				const bodies = later.map((m) => (m.body.text as { body: string }).body);
				expect(new Set(bodies).size).toBe(bodies.length);
				console.log(
					`v${typeVersion}: ${atStop} sent when Stop returned, ${atEnd} when the execution ended`,
				);
			},
			5 * 60_000,
		);
	},
);
