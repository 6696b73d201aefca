/**
 * n8n demo: the IntelliPortal sandbox emulator and a real n8n with this package installed, a
 * credential pointing at the emulator and the example workflows imported:
 *
 *   examples/intelliportal-tour.json            run it: send, template, onboard, list clients
 *   examples/intelliportal-status-trigger.json  active: receives the status events of what you send
 *
 *   npm run build && tsx scripts/demo-n8n.ts [--emulator-port 4010] [--n8n-port 5678]
 *
 * Needs the pinned n8n (installed on first use by scripts/n8n/install.sh, a few minutes) and a
 * built dist/. Runs until Ctrl-C, then stops n8n (its process group) and the emulator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { EXAMPLE_API_KEY, startEmulator } from '../emulator';
import {
	N8N_VERSION,
	OWNER,
	REPO_ROOT,
	startN8n,
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
	try {
		n8n = await startN8n({
			port: n8nPort,
			packageDir: REPO_ROOT,
			onLog: process.argv.includes('--verbose')
				? (line) => console.log(`[n8n] ${line}`)
				: undefined,
		});
	} catch (error) {
		await emulator.stop();
		throw error;
	}
	const stopAll = async () => {
		log('stopping…');
		await n8n.stop();
		await emulator.stop();
		process.exit(0);
	};
	process.once('SIGINT', () => void stopAll());
	process.once('SIGTERM', () => void stopAll());

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
		log(`webhook now points at n8n: ${emulator.admin.webhookConfig().url ?? '(none)'}`);

		console.log('');
		console.log(`  Open        ${n8n.url}/workflow/${tour.id}`);
		console.log(`  Log in as   ${OWNER.email}  /  ${OWNER.password}`);
		console.log('');
		console.log(
			'  Click "Execute workflow": it sends a WhatsApp message and a template, onboards a',
		);
		console.log('  client and lists every client. The active workflow');
		console.log(`  ${n8n.url}/workflow/${trigger.id}`);
		console.log(
			"  then receives each message's status events (sent, delivered, read): see its Executions tab.",
		);
		console.log('');
		console.log(`  Emulator admin: ${emulator.url}/__admin/messages, /__admin/webhook-deliveries`);
		console.log('  Ctrl-C stops n8n and the emulator.');
	} catch (error) {
		await n8n.stop();
		await emulator.stop();
		throw error;
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
