/**
 * n8n demo: the IntelliPortal sandbox emulator and a real n8n with this package installed, a
 * credential pointing at the emulator and the example workflows imported:
 *
 *   examples/intelliportal-tour.json            run it: send, template, onboard, list clients
 *   examples/intelliportal-status-trigger.json  active: receives the status events of what you send
 *   examples/intelliportal-send-and-wait.json   started: waits for an answer (a link it sent, printed: open it, press the button)
 *
 *   npm run build && tsx scripts/demo-n8n.ts [--emulator-port 4010] [--n8n-port 5678] [--queue]
 *
 * --queue: n8n in queue mode instead (scripts/n8n/queue/start-queue.ts): Postgres 17, Redis, a
 * main, two workers that run the executions and a webhook processor that receives the events.
 *
 * Needs the pinned n8n (installed on first use by scripts/n8n/install.sh, a few minutes) and a
 * built dist/. Runs until Ctrl-C, then stops n8n (its process group) and the emulator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ADMIN_TOKEN_HEADER, EXAMPLE_API_KEY, startEmulator } from '../emulator';
import { startSendAndWait } from './demo-send-and-wait';
import { startQueue } from './n8n/queue/start-queue';
import {
	N8N_VERSION,
	OWNER,
	REPO_ROOT,
	startN8n,
	type Execution,
	type N8nInstance,
	type WorkflowJson,
} from './n8n/start';

function option(name: string, fallback: number): number {
	const i = process.argv.indexOf(name);
	if (i < 0) return fallback;
	const value = Number(process.argv[i + 1]);
	if (!Number.isInteger(value) || value < 0 || value > 65535) {
		throw new Error(`${name} must be a port number (0-65535), got "${process.argv[i + 1]}"`);
	}
	return value;
}

function example(file: string): WorkflowJson {
	return JSON.parse(readFileSync(join(REPO_ROOT, 'examples', file), 'utf8')) as WorkflowJson;
}

/** One line per node of an execution: items out, and the first item's id/status or error. */
function describeRun(execution: Execution): string[] {
	const runData = execution.data?.resultData.runData ?? {};
	return Object.entries(runData).map(([node, runs]) => {
		const items = runs[0]?.data?.main[0] ?? [];
		const first = items[0]?.json ?? {};
		const error = runs[0]?.error?.message;
		const detail = error
			? `error: ${error}`
			: ['id', 'status', 'business_name']
					.filter((key) => typeof first[key] === 'string')
					.map((key) => `${key} ${String(first[key])}`)
					.join(', ');
		return `${node}: ${items.length} item${items.length === 1 ? '' : 's'}${detail ? ` (${detail})` : ''}`;
	});
}

/**
 * Runs the tour once, so the demo shows the integration working without a click, then waits for
 * the trigger workflow to receive the status events of what the tour sent.
 */
async function runTourOnce(
	n8n: N8nInstance,
	tourId: string,
	triggerId: string,
	log: (line: string) => void,
): Promise<void> {
	log('running the tour workflow once…');
	const execution = await n8n.runManually(tourId, { timeoutMs: 120_000 });
	log(`tour ${execution.status}:`);
	for (const line of describeRun(execution)) log(`  ${line}`);
	log('waiting for the status events to reach the trigger workflow…');
	try {
		const received = await n8n.waitForExecutions(triggerId, (list) => list.length >= 3, 20_000);
		// Oldest first (n8n lists the newest first).
		const events = [...received]
			.reverse()
			.flatMap((e) => e.data?.resultData.runData['Status update']?.[0]?.data?.main[0] ?? [])
			.map((item) => `${String(item.json.event)} ${String(item.json.to ?? '')}`.trim());
		log(`trigger workflow ran ${received.length} times: ${events.join('; ')}`);
	} catch {
		log("no status events arrived within 20 s (see the trigger workflow's Executions tab)");
	}
}

async function main(): Promise<void> {
	const emulatorPort = option('--emulator-port', 4010);
	const n8nPort = option('--n8n-port', 5678);
	const log = (line: string) => console.log(`[demo] ${line}`);

	const emulator = await startEmulator({
		port: emulatorPort,
		statusStepMs: 1500, // queued → sent → delivered → read, one step every 1.5 s
		seedClients: 3,
		log: (line) => console.log(`[emulator] ${line}`),
	});
	log(`emulator: ${emulator.baseUrl}`);

	log(`starting n8n ${N8N_VERSION} (first start migrates its database: ~20 s)…`);
	let n8n: N8nInstance;
	let stopN8n: () => Promise<void>;
	const queueMode = process.argv.includes('--queue');
	try {
		if (queueMode) {
			log('queue mode: Postgres 17, Redis, main, 2 workers, webhook processor (~1 min)…');
			const queue = await startQueue({
				workers: 2,
				onLog: process.argv.includes('--verbose')
					? (role, line) => console.log(`[${role}] ${line}`)
					: undefined,
			});
			n8n = queue.main;
			stopN8n = () => queue.stop();
			log(
				`queue mode ready in ${queue.startSeconds.toFixed(1)} s; webhooks at ${queue.webhook.url}`,
			);
		} else {
			n8n = await startN8n({
				port: n8nPort,
				packageDir: REPO_ROOT,
				onLog: process.argv.includes('--verbose')
					? (line) => console.log(`[n8n] ${line}`)
					: undefined,
			});
			const single = n8n;
			stopN8n = () => single.stop();
		}
	} catch (error) {
		await emulator.stop();
		throw error;
	}
	let stopping = false;
	const stopAll = async () => {
		// A second Ctrl-C or SIGTERM must not kill the demo before it has stopped what it started.
		if (stopping) return;
		stopping = true;
		log('stopping…');
		await stopN8n();
		await emulator.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stopAll());
	process.on('SIGTERM', () => void stopAll());

	try {
		await n8n.setupOwner();
		const credential = await n8n.createCredential({
			name: 'IntelliPortal sandbox',
			type: 'intelliPortalApi',
			data: { apiKey: EXAMPLE_API_KEY, environment: 'custom', baseUrl: emulator.baseUrl },
		});
		const credentials = { intelliPortalApi: { id: credential.id, name: credential.name } };
		const tour = await n8n.importWorkflow(example('intelliportal-tour.json'), { credentials });
		const trigger = await n8n.importWorkflow(example('intelliportal-status-trigger.json'), {
			credentials,
		});
		await n8n.activate(trigger.id);
		// Without its query: the registered URL carries the webhook secret.
		const registered = emulator.admin.webhookConfig().url;
		log(`webhook now points at n8n: ${registered ? registered.split('?')[0] : '(none)'}`);
		await runTourOnce(n8n, tour.id, trigger.id, log);
		const confirm = await n8n.importWorkflow(example('intelliportal-send-and-wait.json'), {
			credentials,
		});
		const sendAndWait = await startSendAndWait(n8n, emulator, confirm.id, log);

		console.log('');
		console.log(`  Open        ${n8n.url}/workflow/${tour.id}`);
		console.log(`  Log in as   ${OWNER.email}  /  ${OWNER.password}`);
		console.log('');
		console.log(
			'  Click "Execute workflow" to run it again: it sends a WhatsApp message and a template,',
		);
		console.log('  onboards a client and lists every client. The active workflow');
		console.log(`  ${n8n.url}/workflow/${trigger.id}`);
		console.log(
			"  then receives each message's status events (sent, delivered, read): see its Executions tab.",
		);
		console.log('');
		for (const line of sendAndWait) console.log(line);
		console.log('');
		console.log(
			`  Emulator admin: ${emulator.url}/__admin/messages, /__admin/webhook-deliveries (send ${ADMIN_TOKEN_HEADER}: ${emulator.adminToken})`,
		);
		console.log('  Ctrl-C stops n8n and the emulator.');
	} catch (error) {
		await stopN8n();
		await emulator.stop();
		throw error;
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
