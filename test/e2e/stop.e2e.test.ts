/**
 * Stop in a real n8n (the pinned version, or another via IP_N8N_HOME): a 5 000-message campaign
 * at a low rate limit, stopped through n8n's REST API after about two seconds. Checked at the
 * emulator: sending stopped (no message accepted after the execution ended) and no message went
 * twice.
 *
 * Set IP_SKIP_E2E=1 to skip on a machine without the n8n install.
 */
import { randomBytes } from 'node:crypto';

import type { RunningEmulator } from '../../emulator';
import type { N8nInstance, WorkflowJson } from '../../scripts/n8n/start';
import { describeE2e, startE2eStack, type E2eStack } from './stack';

const API_KEY = `ik_test_stop_${randomBytes(12).toString('hex')}`;
const N = 5_000;
const RATE = 50;

function campaign(
	runId: string,
	credential: { id: string; name: string },
	typeVersion: number,
): WorkflowJson {
	const rows = [
		'const items = [];',
		`for (let i = 0; i < ${N}; i++) items.push({ json: { to: '+1555' + String(i).padStart(7, '0'), text: ${JSON.stringify(`stop:${runId}:`)} + i } });`,
		'return items;',
	].join('\n');
	return {
		name: `Stop campaign ${runId}`,
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
			'node version %i: 5 000 messages at 50 req/s, Stop after ~2 s: sending stops, nothing twice, the execution ends canceled',
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
				// Wait until sending has begun, then about two seconds more.
				const begin = Date.now();
				while (mine().length === 0 && Date.now() - begin < 60_000) await sleep(50);
				expect(mine().length).toBeGreaterThan(0);
				await sleep(2_000);
				await n8n.stopExecution(executionId);
				const stoppedAt = Date.now();
				const execution = await n8n.waitForExecution(executionId, 60_000);
				const endedWithin = Date.now() - stoppedAt;
				const atEnd = mine().length;
				await sleep(3_000);
				const later = mine();

				expect(execution.status).toBe('canceled');
				expect(endedWithin).toBeLessThan(10_000);
				// Sending stopped: nothing accepted after the execution ended, far from all 5 000.
				expect(later.length).toBe(atEnd);
				expect(later.length).toBeLessThan(N / 2);
				// No message twice.
				const bodies = later.map((m) => (m.body.text as { body: string }).body);
				expect(new Set(bodies).size).toBe(bodies.length);
				console.log(
					`v${typeVersion}: ${later.length} sent before Stop took effect; execution ended ${endedWithin} ms after Stop`,
				);
			},
			5 * 60_000,
		);
	},
);
