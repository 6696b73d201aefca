import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Runs `npm run demo:core -- --once` (tsx scripts/demo.ts) in a child process, as a user would. */
function runDemo(args: string[]): Promise<{ code: number | null; out: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			[join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/demo.ts', ...args],
			{
				cwd: ROOT,
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		let out = '';
		child.stdout.on('data', (c: Buffer) => (out += c.toString()));
		child.stderr.on('data', (c: Buffer) => (out += c.toString()));
		const killer = setTimeout(() => child.kill('SIGKILL'), 50_000);
		child.on('error', reject);
		child.on('exit', (code) => {
			clearTimeout(killer);
			resolve({ code, out });
		});
	});
}

test('npm run demo:core -- --once: onboards, sends, lists and prints the webhook events in order', async () => {
	const { code, out } = await runDemo(['--once', '--port', '0', '--status-step-ms', '150']);
	expect(out).toMatch(/Emulator listening at http:\/\/127\.0\.0\.1:\d+\/v1/);
	expect(out).toMatch(/Webhook registered: http:\/\/127\.0\.0\.1:\d+\//);
	expect(out).toMatch(/Client onboarded: Acme Coffee Roasters \(cl_/);
	const text = /Text message accepted: (msg_\w+)/.exec(out);
	const template = /Template 'order_update' accepted: (msg_\w+)/.exec(out);
	expect(text).not.toBeNull();
	expect(template).not.toBeNull();
	expect(out).toMatch(/1 client\(s\) on the partner account/);
	for (const id of [text![1], template![1]]) {
		const lines = out.split('\n').filter((l) => l.includes('webhook') && l.includes(id));
		expect(lines.map((l) => /webhook (message\.\w+)/.exec(l)?.[1])).toEqual([
			'message.queued',
			'message.sent',
			'message.delivered',
			'message.read',
		]);
	}
	expect(out).toMatch(/webhook client\.onboarded\s+Acme Coffee Roasters/);
	expect(out).toContain('All messages delivered and read');
	expect(out).toContain('Done (--once).');
	expect(out).not.toMatch(/demo failed/);
	expect(code).toBe(0);
}, 60_000);

test('a bad flag exits 2 with usage', async () => {
	const { code, out } = await runDemo(['--port', 'abc']);
	expect(code).toBe(2);
	expect(out).toMatch(/--port must be a whole number/);
	expect(out).toMatch(/usage: npm run demo:core/);
}, 60_000);
