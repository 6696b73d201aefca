/**
 * n8n's queue mode, real: Postgres 17 and Redis, one main, two workers and a webhook processor
 * (scripts/n8n/queue/start-queue.ts), all with the built package installed. The action node must
 * run on a worker, the trigger must be registered by main with the webhook processor's URL, the
 * deliveries must be received and verified there, and deactivation from main must restore the
 * account's previous webhook configuration. Send and Wait's approval links go to the webhook
 * processor: a mail scanner's GET answers nothing there, the person's button (POST) does.
 *
 * Bounded: one queue set-up for the file (~50 s to start on 2 busy cores), every process stopped
 * in afterAll and, should jest die, by the launchers' exit hooks. IP_SKIP_E2E=1 skips it where
 * n8n is not installed, like test/e2e.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startEmulator, type RunningEmulator } from '../../emulator';
import { answerApprovalLink, openLink } from '../e2e/approval';
import { startQueue, type QueueSetup } from '../../scripts/n8n/queue/start-queue';
import { builtPackageDir } from '../support/builtTrees';
import {
	installN8n,
	isN8nInstalled,
	REPO_ROOT,
	type Execution,
	type WorkflowJson,
} from '../../scripts/n8n/start';

const API_KEY = `ik_test_queue_${randomBytes(12).toString('hex')}`;
const CREDENTIAL_TYPE = 'intelliPortalApi';

const skip = process.env.IP_SKIP_E2E === '1' && !isN8nInstalled();
const describeQueue = skip ? describe.skip : describe;

function loadExample(file: string): WorkflowJson {
	return JSON.parse(readFileSync(join(REPO_ROOT, 'examples', file), 'utf8')) as WorkflowJson;
}

function nodeOutput(execution: Execution, nodeName: string): Array<Record<string, unknown>> {
	const runs = execution.data?.resultData.runData[nodeName];
	if (!runs?.length) throw new Error(`node "${nodeName}" did not run in execution ${execution.id}`);
	return (runs[0].data?.main[0] ?? []).map((item) => item.json);
}

/** What Microsoft Defender Safe Links and similar mail/SMS scanners send: a desktop Chrome. */
const SCANNER =
	'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

function withoutQuery(url: string): string {
	const parsed = new URL(url);
	return `${parsed.origin}${parsed.pathname}`;
}

/** n8n's worker logs "Worker started execution <id> (job <n>)" for every job it takes. */
function ranOn(queue: QueueSetup, executionId: string): string[] {
	const line = new RegExp(`Worker started execution ${executionId}\\b`);
	return queue.workers.filter((w) => line.test(w.logs())).map((w) => String(w.pid));
}

describeQueue(
	'IntelliPortal package in n8n queue mode (main, 2 workers, webhook processor)',
	() => {
		let emulator: RunningEmulator;
		let queue: QueueSetup;
		let credential: { id: string; name: string };

		beforeAll(async () => {
			installN8n();
			emulator = await startEmulator({ statusStepMs: 0, seedClients: 0 });
			queue = await startQueue({ workers: 2, packageDir: builtPackageDir() });
			console.log(`queue mode ready in ${queue.startSeconds.toFixed(1)} s`);
			const created = await queue.main.createCredential({
				name: 'IntelliPortal sandbox (emulator)',
				type: CREDENTIAL_TYPE,
				data: { apiKey: API_KEY, environment: 'custom', baseUrl: emulator.baseUrl },
			});
			credential = { id: created.id, name: created.name };
		}, 15 * 60_000);

		afterAll(async () => {
			await queue?.stop();
			await emulator?.stop();
		}, 120_000);

		test('a manual run is offloaded to a worker, which sends through the action node', async () => {
			emulator.admin.seedClients(5);
			const workflow = await queue.main.importWorkflow(loadExample('intelliportal-tour.json'), {
				credentials: { [CREDENTIAL_TYPE]: credential },
			});
			const execution = await queue.main.runManually(workflow.id, { timeoutMs: 120_000 });
			expect(execution.data?.resultData.error ?? null).toBeNull();
			expect(execution.status).toBe('success');

			const [sent] = nodeOutput(execution, 'Send WhatsApp message');
			expect(sent).toMatchObject({ id: expect.stringMatching(/^msg_/), status: 'queued' });
			expect(emulator.admin.messages().map((m) => m.id)).toContain(sent.id);
			// Exactly one worker took the job; main only enqueued it.
			expect(ranOn(queue, execution.id)).toHaveLength(1);
			expect(queue.main.logs()).not.toMatch(
				new RegExp(`Worker started execution ${execution.id}\\b`),
			);
			for (const log of [queue.main, queue.webhook, ...queue.workers].map((p) => p.logs())) {
				expect(log).not.toContain(API_KEY);
			}
		}, 180_000);

		test("Send and Wait: the approval links point at the webhook processor; a scanner's GET of both leaves the run waiting, the person's button (POST) resumes it on a worker with the right branch", async () => {
			const workflow = await queue.main.importWorkflow(
				loadExample('intelliportal-send-and-wait.json'),
				{ credentials: { [CREDENTIAL_TYPE]: credential } },
			);
			const toAda = () => emulator.admin.messages().filter((m) => m.to === '+14155550123');
			const before = toAda().length;
			const executionId = await queue.main.startManually(
				workflow.id,
				"When clicking 'Execute workflow'",
			);
			const status = async () =>
				(await queue.main.request<Execution>('GET', `/api/v1/executions/${executionId}`)).status;
			const deadline = Date.now() + 120_000;
			while ((await status().catch(() => 'new')) !== 'waiting') {
				expect(Date.now()).toBeLessThan(deadline);
				await new Promise((r) => setTimeout(r, 250));
			}
			const asked = toAda().slice(before);
			expect(asked).toHaveLength(1);
			const body = (asked[0].body.text as { body: string }).body;
			const link = (label: string) => new RegExp(`^${label}: (http\\S+)$`, 'm').exec(body)![1];
			const [approve, decline] = [link('Yes, confirm'), link('No, cancel')];
			expect(withoutQuery(approve)).toMatch(
				new RegExp(`^${queue.webhook.url}/webhook-waiting/${executionId}/`),
			);

			for (const url of [decline, approve]) {
				const scanned = await openLink(url, { userAgent: SCANNER });
				expect(scanned.status).toBe(200);
				expect(scanned.html).toContain('<form method="post">');
			}
			// Positive signal: the webhook processor still routes the person's later GET to the
			// waiting node (a resumed execution would get "No action required" or 409).
			const { page, answer } = await answerApprovalLink(approve);
			expect(page.html).toContain('Your answer: <strong>Yes, confirm</strong>');
			expect(answer.status).toBe(200);
			expect(answer.html).toContain('Got it, thanks');

			const finished = await queue.main.waitForExecution(executionId, 120_000);
			expect(finished.status).toBe('success');
			expect(nodeOutput(finished, 'Ask for confirmation')).toEqual([
				{ data: { approved: true, respondedAt: expect.any(String) } },
			]);
			const ran = Object.keys(finished.data?.resultData.runData ?? {});
			expect(ran).toContain('Send confirmation');
			expect(ran).not.toContain('Release the table');
			expect(ranOn(queue, executionId).length).toBeGreaterThanOrEqual(1);
			expect((await openLink(decline, { method: 'POST' })).html).toContain('No action required');
			expect(await queue.main.listExecutions(workflow.id)).toHaveLength(1);
			expect(
				toAda()
					.slice(before)
					.map((m) => (m.body.text as { body: string }).body),
			).toEqual([body, 'Thanks Ada, your table for 2 on Friday at 19:00 is confirmed.']);
		}, 300_000);

		describe('trigger', () => {
			const PREVIOUS = {
				url: 'http://127.0.0.1:9/previous-receiver',
				events: ['message.delivered'],
			};
			let workflowId: string;
			let registered: string;

			test("main registers the webhook processor's URL at activation, after saving the previous configuration", async () => {
				const put = await fetch(`${emulator.baseUrl}/webhooks`, {
					method: 'PUT',
					headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
					body: JSON.stringify(PREVIOUS),
				});
				expect(put.status).toBe(200);
				const example = loadExample('intelliportal-status-trigger.json');
				const triggerNode = example.nodes.find((n) => n.type.endsWith('.intelliPortalTrigger'));
				const workflow = await queue.main.importWorkflow(example, {
					credentials: { [CREDENTIAL_TYPE]: credential },
				});
				workflowId = workflow.id;
				await queue.main.activate(workflowId, 60_000);

				registered = String(emulator.admin.webhookConfig().url);
				expect(withoutQuery(registered)).toBe(
					`${queue.webhook.url}/webhook/${String(triggerNode?.webhookId)}/webhook`,
				);
			}, 90_000);

			test('a delivery is received and verified by the webhook processor and runs on a worker', async () => {
				const event = emulator.admin.emitEvent('message.delivered', {
					message_id: 'msg_queue_1',
					client_ref: 'acme-bakery',
					to: '+14155550123',
					channel: 'whatsapp',
					status: 'delivered',
				});
				await emulator.admin.webhooksIdle();
				const delivery = emulator.admin.webhookDeliveries().find((d) => d.event.id === event.id);
				expect({
					url: delivery?.url,
					state: delivery?.state,
					attempts: delivery?.attempts.map((a) => a.status ?? a.error),
				}).toEqual({ url: registered, state: 'delivered', attempts: [200] });

				const executions = await queue.main.waitForExecutions(
					workflowId,
					(l) => l.length >= 1,
					60_000,
				);
				expect(executions[0].status).toBe('success');
				const [received] = nodeOutput(executions[0], 'IntelliPortal Trigger');
				expect(received).toMatchObject({ id: event.id, type: 'message.delivered' });
				expect(ranOn(queue, executions[0].id)).toHaveLength(1);

				// The secret main stored at activation is what the webhook processor checks: a delivery
				// without it, or with another one, is refused there and starts nothing (fails closed).
				const url = new URL(registered);
				// (ip_owner is the ownership record, not a credential: the secret is ip_secret.)
				const tampered = [...url.searchParams.keys()]
					.filter((key) => key !== 'ip_owner')
					.map((key) => {
						const wrong = new URL(registered);
						wrong.searchParams.set(key, 'x'.repeat(url.searchParams.get(key)?.length ?? 8));
						return wrong.toString();
					});
				expect(tampered.length).toBeGreaterThan(0);
				for (const forgedUrl of [withoutQuery(registered), ...tampered]) {
					const forged = await fetch(forgedUrl, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ ...event, id: 'evt_forged' }),
					});
					expect({ forgedUrl, status: forged.status }).toEqual({ forgedUrl, status: 401 });
				}
				await new Promise((r) => setTimeout(r, 2000));
				const after = await queue.main.waitForExecutions(workflowId, () => true, 10_000);
				expect(after).toHaveLength(1);
			}, 120_000);

			test('deactivation from main restores the previous webhook configuration', async () => {
				await queue.main.deactivate(workflowId, 60_000);
				expect(emulator.admin.webhookConfig()).toEqual(PREVIOUS);
			}, 90_000);
		});
	},
);
