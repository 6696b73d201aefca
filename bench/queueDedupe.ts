/**
 * `npx tsx bench/queueDedupe.ts [--trials 20]`: what the trigger's exactly-once memory does when
 * several n8n processes receive production webhooks (queue mode: Postgres 17, Redis, one
 * worker; main and the webhook processor both serve production webhooks, so a redelivery can
 * reach another process than the first copy). Per trial, fresh event ids:
 *
 * - sequentialOtherProcess: copy 1 to process A, answered, then copy 2 to process B;
 * - simultaneousSameProcess: two copies to B at once;
 * - simultaneousTwoProcesses: copy 1 to A and copy 2 to B at once;
 * - lostUpdate (crossed pairs): x to A and y to B at once, then, once answered, x to B and y to A.
 *
 * Counted: executions per event id (finished executions, listed by main). Writes
 * bench/results/queue-dedupe-latest.json (only the latest run is kept).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { startEmulator } from '../emulator';
import { startQueue } from '../scripts/n8n/queue/start-queue';
import { N8N_VERSION, type Execution, type WorkflowJson } from '../scripts/n8n/start';

const API_KEY = `ik_test_qdedupe_${randomBytes(12).toString('hex')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function workflow(credential: { id: string; name: string }): WorkflowJson {
	return {
		name: 'Exactly once across webhook processes',
		nodes: [
			{
				id: 't',
				name: 'IntelliPortal Trigger',
				type: 'n8n-nodes-intelliportal.intelliPortalTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: `7a1e0c2d-${randomBytes(2).toString('hex')}-4000-8000-${randomBytes(6).toString('hex')}`,
				credentials: { intelliPortalApi: credential },
				parameters: { events: ['*'] },
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

function event() {
	const id = `evt_q_${randomBytes(10).toString('hex')}`;
	return JSON.stringify({
		id,
		type: 'message.delivered',
		created_at: new Date().toISOString(),
		data: { message_id: `msg_${id}`, client_ref: 'c', to: '+14155550123', channel: 'sms' },
	});
}
const idOf = (body: string) => (JSON.parse(body) as { id: string }).id;

function triggeredIds(execution: Execution): string[] {
	const runs = execution.data?.resultData.runData['IntelliPortal Trigger'] ?? [];
	return runs.flatMap((run) => (run.data?.main[0] ?? []).map((item) => String(item.json.id)));
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: { trials: { type: 'string', default: '20' } },
		strict: true,
	});
	const trials = Number(values.trials);
	const emulator = await startEmulator({ statusStepMs: 0, seedClients: 0 });
	process.stderr.write(
		'queue-dedupe: starting n8n queue mode (Postgres, Redis, main, 1 worker, webhook processor) ...\n',
	);
	const queue = await startQueue({
		workers: 1,
		// main serves production webhooks too: two receiving processes on one database
		env: { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'false' },
	});
	try {
		const created = await queue.main.createCredential({
			name: 'IntelliPortal (emulator)',
			type: 'intelliPortalApi',
			data: { apiKey: API_KEY, environment: 'custom', baseUrl: emulator.baseUrl },
		});
		const wf = await queue.main.importWorkflow(workflow({ id: created.id, name: created.name }));
		await queue.main.activate(wf.id);
		const registered = new URL(String(emulator.admin.webhookConfig().url));
		const path = `${registered.pathname.replace(/^\//, '')}${registered.search}`;
		const at = (base: string) => `${base.replace(/\/$/, '')}/${path}`;
		const processes = { A: at(queue.main.url), B: at(queue.webhook.url) };
		const post = async (to: 'A' | 'B', body: string) => {
			const response = await fetch(processes[to], {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body,
			});
			await response.arrayBuffer();
			if (response.status !== 200) throw new Error(`${to} answered ${response.status}`);
		};
		// Both processes accept deliveries before the trials start.
		await post('A', event());
		await post('B', event());

		const sent: Record<string, string[]> = {
			sequentialOtherProcess: [],
			simultaneousSameProcess: [],
			simultaneousTwoProcesses: [],
			lostUpdate: [],
		};
		for (let i = 0; i < trials; i++) {
			const s = event();
			await post('A', s);
			await post('B', s);
			sent.sequentialOtherProcess.push(idOf(s));

			const same = event();
			await Promise.all([post('B', same), post('B', same)]);
			sent.simultaneousSameProcess.push(idOf(same));

			const two = event();
			await Promise.all([post('A', two), post('B', two)]);
			sent.simultaneousTwoProcesses.push(idOf(two));

			const x = event();
			const y = event();
			await Promise.all([post('A', x), post('B', y)]);
			await post('B', x);
			await post('A', y);
			sent.lostUpdate.push(idOf(x), idOf(y));
		}

		// Count executions per id once the worker has run everything.
		const expected = Object.values(sent).reduce((n, ids) => n + ids.length, 0);
		let executions: Execution[] = [];
		let previous = -1;
		for (let stable = 0; stable < 3; ) {
			executions = await listAll(queue.main, wf.id);
			stable = executions.length === previous && executions.length >= expected ? stable + 1 : 0;
			previous = executions.length;
			await sleep(2_000);
		}
		const runs = new Map<string, number>();
		for (const e of executions)
			for (const id of triggeredIds(e)) runs.set(id, (runs.get(id) ?? 0) + 1);
		const summary = Object.fromEntries(
			Object.entries(sent).map(([kind, ids]) => {
				const counts = ids.map((id) => runs.get(id) ?? 0);
				return [
					kind,
					{
						events: ids.length,
						ranOnce: counts.filter((c) => c === 1).length,
						ranTwice: counts.filter((c) => c >= 2).length,
						neverRan: counts.filter((c) => c === 0).length,
					},
				];
			}),
		);
		const report = {
			timestamp: new Date().toISOString(),
			n8n: N8N_VERSION,
			setup:
				'queue mode: Postgres 17, Redis, main + webhook processor both serving production webhooks, 1 worker',
			trials,
			loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
			summary,
		};
		const dir = join(__dirname, 'results');
		mkdirSync(dir, { recursive: true });
		const text = `${JSON.stringify(report, null, '\t')}\n`;
		writeFileSync(join(dir, 'queue-dedupe-latest.json'), text);
		process.stdout.write(text);
	} finally {
		await queue.stop();
		await emulator.stop();
	}
}

async function listAll(
	main: { listExecutions(workflowId: string, limit?: number): Promise<Execution[]> },
	workflowId: string,
): Promise<Execution[]> {
	// the public API pages by cursor; 250 a page is its maximum, enough for the default trials
	return await main.listExecutions(workflowId, 250);
}

main().catch((error: unknown) => {
	process.stderr.write(
		`queue-dedupe failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exit(1);
});
