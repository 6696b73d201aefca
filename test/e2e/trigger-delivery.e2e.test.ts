/**
 * What a sender gets from the IntelliPortal Trigger in a REAL n8n (the pinned 2.41.1, or
 * IP_N8N_HOME), and which deliveries start an execution: a redelivered event (same id) starts
 * one execution, sent twice in a row or five times at once; a body that is not JSON gets n8n's
 * own 422 before the trigger runs, a body that is JSON or text but not an event gets the trigger's
 * 400; none of those starts anything; a delivery is answered while its execution still runs.
 *
 * Needs `npm run build` (./dev test builds first). Set IP_SKIP_E2E=1 to skip on a machine
 * without the n8n install.
 */
import { randomBytes } from 'node:crypto';

import type { RunningEmulator } from '../../emulator';
import type { Execution, N8nInstance, WorkflowJson } from '../../scripts/n8n/start';
import { describeE2e, startE2eStack, type E2eStack } from './stack';

const API_KEY = `ik_test_dedupe_${randomBytes(12).toString('hex')}`;
/** The workflow waits this long after the trigger, so "answered before the run ended" shows. */
const WAIT_SECONDS = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function triggerWorkflow(credential: { id: string; name: string }): WorkflowJson {
	return {
		name: 'IntelliPortal deliveries, exactly once',
		nodes: [
			{
				id: 't',
				name: 'IntelliPortal Trigger',
				type: 'n8n-nodes-intelliportal.intelliPortalTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: `5f0e3c1a-${randomBytes(2).toString('hex')}-4000-8000-${randomBytes(6).toString('hex')}`,
				credentials: { intelliPortalApi: credential },
				parameters: { events: ['*'] },
			},
			{
				id: 'w',
				name: 'Wait',
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				position: [240, 0],
				webhookId: `5f0e3c1b-${randomBytes(2).toString('hex')}-4000-8000-${randomBytes(6).toString('hex')}`,
				parameters: { resume: 'timeInterval', amount: WAIT_SECONDS, unit: 'seconds' },
			},
		],
		connections: {
			'IntelliPortal Trigger': { main: [[{ node: 'Wait', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

function statusEvent() {
	const id = `evt_e2e_${randomBytes(10).toString('hex')}`;
	return {
		id,
		type: 'message.delivered',
		created_at: new Date().toISOString(),
		data: {
			message_id: `msg_${id}`,
			client_ref: 'acme-bakery',
			to: '+14155550123',
			channel: 'whatsapp',
			status: 'delivered',
		},
	};
}

/** The event ids an execution's trigger emitted. */
function triggeredIds(execution: Execution): string[] {
	const runs = execution.data?.resultData.runData['IntelliPortal Trigger'] ?? [];
	return runs.flatMap((run) => (run.data?.main[0] ?? []).map((item) => String(item.json.id)));
}

describeE2e(
	`IntelliPortal Trigger deliveries in a real n8n (${process.env.IP_N8N_HOME ?? 'pinned n8n'})`,
	() => {
		let stack: E2eStack | undefined;
		let emulator: RunningEmulator;
		let n8n: N8nInstance;
		let workflowId: string;
		/** n8n's webhook URL with the secret the activation registered. */
		let receiver: string;

		/** The workflow's finished executions (n8n's public API lists no running ones). */
		const finishedExecutions = async () => await n8n.listExecutions(workflowId, 250);

		/** Waits until an execution that carried `eventId` has finished. */
		async function finished(eventId: string): Promise<void> {
			const deadline = Date.now() + 60_000;
			while (!(await finishedExecutions()).some((e) => triggeredIds(e).includes(eventId))) {
				if (Date.now() > deadline) throw new Error(`no execution carried ${eventId} within 60 s`);
				await sleep(250);
			}
		}

		/**
		 * The finished executions once a later sentinel delivery's execution has finished too: an
		 * execution started by anything delivered before it started earlier and waits as long
		 * (WAIT_SECONDS), so it would be in the list by then (a count it would have raised).
		 */
		async function afterSentinel(): Promise<Execution[]> {
			const sentinel = statusEvent();
			expect((await post(JSON.stringify(sentinel))).status).toBe(200);
			await finished(sentinel.id);
			return await finishedExecutions();
		}

		/** The executions that carried `eventId`, counted after a sentinel (see afterSentinel). */
		async function executionsOf(eventId: string): Promise<Execution[]> {
			await finished(eventId);
			return (await afterSentinel()).filter((e) => triggeredIds(e).includes(eventId));
		}

		const post = async (body: string, contentType = 'application/json') => {
			const response = await fetch(receiver, {
				method: 'POST',
				headers: { 'content-type': contentType },
				body,
			});
			return { status: response.status, body: await response.text() };
		};

		beforeAll(async () => {
			stack = await startE2eStack({ apiKey: API_KEY });
			({ emulator, n8n } = stack);
			const workflow = await n8n.importWorkflow(triggerWorkflow(stack.credential));
			workflowId = workflow.id;
			await n8n.activate(workflowId);
			receiver = String(emulator.admin.webhookConfig().url);
			expect(receiver).toContain('ip_secret=');
		}, 20 * 60_000);

		afterAll(async () => {
			if (workflowId) await n8n?.deactivate(workflowId).catch(() => undefined);
			await stack?.stop();
		}, 60_000);

		test('the same delivery twice: both acknowledged with 200, one execution', async () => {
			const event = statusEvent();
			const first = await post(JSON.stringify(event));
			const answeredAt = Date.now();
			expect(first).toEqual({ status: 200, body: '' });

			const again = await post(JSON.stringify(event));
			expect({ status: again.status, body: JSON.parse(again.body) as unknown }).toEqual({
				status: 200,
				body: { received: true, duplicate: 1 },
			});

			const executions = await executionsOf(event.id);
			expect(executions.map((e) => e.status)).toEqual(['success']);
			// the delivery was answered before its execution ended (it waits WAIT_SECONDS)
			expect(Date.parse(String(executions[0].stoppedAt))).toBeGreaterThan(answeredAt);
			// a redelivery after the execution ended is still recognised
			expect((await post(JSON.stringify(event))).status).toBe(200);
			expect(await executionsOf(event.id)).toHaveLength(1);
		}, 120_000);

		test('the same delivery five times at once: all acknowledged with 200, one execution', async () => {
			const event = statusEvent();
			const answers = await Promise.all(
				Array.from({ length: 5 }, async () => await post(JSON.stringify(event))),
			);
			expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
			expect(answers.filter((a) => a.body.includes('"duplicate"'))).toHaveLength(4);
			expect(await executionsOf(event.id)).toHaveLength(1);
		}, 120_000);

		test.each([
			// n8n parses an application/json body before any node runs and refuses what is not JSON
			['a body that is not JSON (application/json)', 422, 'application/json', '{"id": "evt_'],
			['a text body that is not an event (text/plain)', 400, 'text/plain', 'hello'],
			['a JSON body that is not an event', 400, 'application/json', '{"hello":"world"}'],
			[
				'an event of an unknown type',
				400,
				'application/json',
				JSON.stringify({ ...statusEvent(), type: 'message.exploded' }),
			],
		])(
			'%s gets HTTP %i and starts nothing',
			async (_label, status, contentType, body) => {
				const before = (await finishedExecutions()).length;
				const answer = await post(body, contentType);
				expect(answer.status).toBe(status);
				// an execution started by it would be finished once the sentinel's is: only that one
				expect((await afterSentinel()).length).toBe(before + 1);
			},
			60_000,
		);

		test('a well-formed delivery after all that still starts its execution', async () => {
			const event = statusEvent();
			expect((await post(JSON.stringify(event))).status).toBe(200);
			expect(await executionsOf(event.id)).toHaveLength(1);
			expect(n8n.logs()).not.toContain(API_KEY);
		}, 60_000);
	},
);
