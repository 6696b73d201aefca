/**
 * The Zapier upload tested the way Zapier runs it: `npm run build:zapier` (the CLI's own build,
 * as `zapier push` does it; jest's global set-up runs it once per run), unzipped into an empty folder with no node_modules above it, loaded
 * under Node 22 (Zapier platform 19's runtime) and driven with zapier-platform-core's app tester
 * FROM INSIDE THE ZIP against the emulator. What the emulator received is checked here.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

import { hookReceiver, emulator, API_KEY } from '../zapier/helpers';
import type { HookReceiver } from '../zapier/helpers';
import type { RunningEmulator } from '../../emulator';
import { builtZapier } from '../support/builtTrees';

const repo = resolve(__dirname, '../..');
const zipPath = builtZapier().zip;
const MARKER = '@@ip-zip-driver ';

type Step = { ok: boolean; result?: unknown; error?: string };
type Item = { id: string; [field: string]: unknown };
type Report = { phase: string; steps: Record<string, Step>; error?: string };

let emu: RunningEmulator;
let receiver: HookReceiver;
let unzipped: string;
let node22: string;
let report: Report;

function hasNodeModulesAbove(dir: string): boolean {
	for (let d = dirname(dir); d !== dirname(d); d = dirname(d)) {
		if (existsSync(join(d, 'node_modules'))) return true;
	}
	return existsSync('/node_modules');
}

beforeAll(async () => {
	node22 = execFileSync('bash', [join(repo, 'scripts/node22.sh')], { encoding: 'utf8' }).trim();
	unzipped = mkdtempSync(join(tmpdir(), 'ip-zapier-zip-'));
	execFileSync('unzip', ['-q', zipPath, '-d', unzipped]);
	emu = await emulator();
	receiver = await hookReceiver();

	const child = spawn(
		node22,
		[join(__dirname, 'driver.cjs'), unzipped, emu.baseUrl, API_KEY, receiver.url],
		{
			cwd: unzipped,
			env: { PATH: process.env.PATH ?? '', HOME: unzipped },
			stdio: ['pipe', 'pipe', 'pipe'],
		},
	);
	const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
	let stderr = '';
	child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
	const lines = createInterface({ input: child.stdout });
	const exited = new Promise<number | null>((done) => child.on('close', done));
	let output = '';
	for await (const line of lines) {
		if (!line.startsWith(MARKER)) {
			output += line + '\n';
			continue;
		}
		const message = JSON.parse(line.slice(MARKER.length)) as Report;
		if (message.phase === 'subscribed') {
			await emu.admin.webhooksIdle();
			const delivery = receiver.received[0];
			const query = new URL(delivery?.url ?? '/', 'http://x').search.slice(1);
			child.stdin.end(JSON.stringify({ querystring: query, body: delivery?.body }) + '\n');
		} else {
			report = message;
		}
	}
	const code = await exited;
	clearTimeout(killer);
	if (!report || report.phase !== 'done') {
		throw new Error(
			`the zip driver did not finish (exit ${code}): ${report?.error ?? ''}\n${output}\n${stderr}`,
		);
	}
}, 300_000);

afterAll(async () => {
	await receiver?.stop();
	await emu?.stop();
	if (unzipped) rmSync(unzipped, { recursive: true, force: true });
});

function ok<T = Item>(name: string): T {
	const step = report.steps[name];
	if (!step.ok) throw new Error(`${name} failed inside the zip: ${step.error}`);
	return step.result as T;
}

test('the upload is a zip of a sane size with its entry points and no CLI inside', () => {
	const listing = execFileSync('unzip', ['-Z1', zipPath], { encoding: 'utf8' }).split('\n');
	expect(listing).toEqual(
		expect.arrayContaining(['index.js', 'zapierwrapper.js', 'definition.json']),
	);
	expect(listing.some((f) => f.startsWith('node_modules/zapier-platform-core/'))).toBe(true);
	expect(listing.some((f) => f.startsWith('node_modules/zapier-platform-cli/'))).toBe(false);
	expect(listing.some((f) => f.startsWith('node_modules/typescript/'))).toBe(false);
	expect(statSync(zipPath).size).toBeLessThan(5 * 1024 * 1024);
	expect(hasNodeModulesAbove(unzipped)).toBe(false);
});

test('the app and zapier-platform-core are loaded from the zip under Node 22', () => {
	const loaded = report.steps.loadedFrom as unknown as { core: string; node: string };
	expect(loaded.node).toMatch(/^v22\./);
	expect(loaded.core.startsWith(unzipped)).toBe(true);
});

test('authentication test and connection label work from the zip', () => {
	expect(ok('authTest')).toBeTruthy();
	expect(ok<string>('connectionLabel')).toMatch(/^Sandbox|^Custom|••••/);
	expect(JSON.stringify(report)).not.toContain(API_KEY);
});

test('every create reaches the emulator from the zip', () => {
	const client = ok('onboard_client');
	expect(
		emu.admin.clients().some((c) => c.id === client.id && c.business_name === 'Zip Test Ltd'),
	).toBe(true);
	const message = ok('send_message');
	const template = ok('send_template');
	const received = emu.admin.messages();
	expect(received.map((m) => m.id)).toEqual(expect.arrayContaining([message.id, template.id]));
	expect(received.find((m) => m.id === message.id)?.body).toMatchObject({
		client_ref: client.id,
		text: { body: 'Hello from the zip' },
	});
	expect(received.find((m) => m.id === template.id)?.body).toMatchObject({
		template: { name: 'order_update', parameters: ['A-1001', 'shipped'] },
	});
});

test('the search finds the onboarded client from the zip', () => {
	const found = ok<Item[]>('find_client');
	expect(found[0].id).toBe(ok('onboard_client').id);
});

test('the polling triggers list clients from the zip', () => {
	const onboarded = ok('onboard_client').id;
	expect(ok<Item[]>('list_clients').map((c) => c.id)).toContain(onboarded);
	expect(ok<Item[]>('new_client').map((c) => c.id)).toContain(onboarded);
});

test('the REST hook subscribes, turns a real delivery into an item and unsubscribes from the zip', () => {
	ok('subscribe');
	expect(receiver.received.length).toBeGreaterThan(0);
	expect(receiver.received[0].url).toContain('ip_secret=');
	const items = ok<Item[]>('perform');
	expect(items).toHaveLength(1);
	expect(items[0].type).toBe('message.queued');
	expect(items[0].id).toBe((receiver.received[0].body as { id: string }).id);
	expect(ok<Item[]>('performList')[0].type).toBe('message.queued');
	ok('unsubscribe');
	// the account had no webhook before the Zap: unsubscribing switches deliveries off again
	expect(String(receiver.received[0].url)).toContain('&ip_owner='); // what it replaced: nothing, sealed
	expect(emu.admin.webhookConfig().events).toEqual([]);
});
