import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_TOKEN_HEADER, DEFAULT_CONFIG } from '../../emulator';
import { parseCli } from '../../emulator/cli';
import { CONFIG_KNOBS, START_FLAGS } from '../../emulator/options';
import type { KnobSpec } from '../../emulator/options';

const ROOT = join(__dirname, '..', '..');

describe('emulator CLI flags and env', () => {
	test('defaults: port 4010, loopback host, not quiet', () => {
		expect(parseCli([], {})).toMatchObject({
			port: 4010,
			quiet: false,
			allowRemoteWebhooks: false,
		});
		expect(parseCli([], {}).host).toBeUndefined();
	});

	test('flags map to options; flags win over env', () => {
		const o = parseCli(
			[
				'--port',
				'0',
				'--latency',
				'25',
				'--jitter',
				'5',
				'--rate',
				'3',
				'--burst',
				'2',
				'--fault-500',
				'0.1',
				'--fault-503',
				'0.2',
				'--fault-429',
				'0.1',
				'--fault-reset',
				'0.05',
				'--fault-reset-before',
				'0.01',
				'--fault-slow',
				'0.02',
				'--slow-ms',
				'900',
				'--retry-after',
				'4',
				'--seed-clients',
				'12',
				'--seed',
				'9',
				'--quiet',
			],
			{ EMULATOR_LATENCY_MS: '999', EMULATOR_STATUS_STEP_MS: '50' },
		);
		expect(o).toMatchObject({
			port: 0,
			latencyMs: 25,
			jitterMs: 5,
			rateLimitRps: 3,
			rateLimitBurst: 2,
			fault500: 0.1,
			fault503: 0.2,
			fault429: 0.1,
			faultResetAfter: 0.05,
			faultResetBefore: 0.01,
			faultSlow: 0.02,
			slowMs: 900,
			retryAfterSeconds: 4,
			seedClients: 12,
			seed: 9,
			statusStepMs: 50,
			quiet: true,
		});
	});

	test('bad values name the flag and its env variable', () => {
		expect(() => parseCli(['--fault-500', '1.5'], {})).toThrow(
			/--fault-500 \(EMULATOR_FAULT_500\) must be a probability/,
		);
		expect(() => parseCli(['--fault-429', '2'], {})).toThrow(
			/--fault-429 \(EMULATOR_FAULT_429\) must be a probability/,
		);
		expect(parseCli([], { EMULATOR_FAULT_429: '0.25' }).fault429).toBe(0.25);
		expect(() => parseCli([], { EMULATOR_RATE_RPS: 'fast' })).toThrow(
			/--rate \(EMULATOR_RATE_RPS\)/,
		);
		expect(() => parseCli(['--bogus'], {})).toThrow(/bogus/);
	});

	/** Starts `npm run emulator` (tsx emulator/cli.ts) on a free port; runs `check`; SIGTERM; exit code. */
	async function withCli(
		env: NodeJS.ProcessEnv,
		check: (banner: string) => Promise<void>,
	): Promise<number | null> {
		const child = spawn(
			process.execPath,
			[
				join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
				'emulator/cli.ts',
				'--port',
				'0',
				'--quiet',
			],
			{ cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
		);
		let out = '';
		child.stdout.on('data', (c: Buffer) => (out += c.toString()));
		child.stderr.on('data', (c: Buffer) => (out += c.toString()));
		const exited = new Promise<number | null>((resolve) =>
			child.on('exit', (code) => resolve(code)),
		);
		try {
			// No clock here: tsx starts slowly on a loaded machine; the test's timeout bounds the wait.
			while (!/Press Ctrl-C/.test(out)) {
				if (child.exitCode !== null) throw new Error(`no banner: ${out}`);
				await new Promise((r) => setTimeout(r, 50));
			}
			await check(out);
		} finally {
			child.kill('SIGTERM');
		}
		return await exited;
	}

	test('npm run emulator prints the base URL, an example key and a random admin token, serves, and stops on SIGTERM', async () => {
		const code = await withCli({ EMULATOR_ADMIN_TOKEN: '' }, async (out) => {
			const baseUrl = /base URL:\s+(\S+)/.exec(out)![1];
			const key = /example key:\s+(ik_test_\S+)/.exec(out)![1];
			const token = /admin token:\s+(\S+)/.exec(out)![1];
			expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
			expect(token).toMatch(/^[0-9a-f]{48}$/);
			const res = await fetch(`${baseUrl}/webhooks`, {
				headers: { Authorization: `Bearer ${key}` },
			});
			expect(res.status).toBe(200);
			expect(await res.json()).toEqual({ url: null, events: [] });
			const admin = baseUrl.replace(/\/v1$/, '/__admin/counters');
			expect((await fetch(admin)).status).toBe(401);
			expect((await fetch(admin, { headers: { [ADMIN_TOKEN_HEADER]: token } })).status).toBe(200);
		});
		expect(code).toBe(0);
	}, 90_000);

	test("the project's tooling that starts the CLI gives it the admin token in EMULATOR_ADMIN_TOKEN", async () => {
		const token = `tooling-${'7'.repeat(24)}`;
		const code = await withCli({ EMULATOR_ADMIN_TOKEN: token }, async (out) => {
			expect(/admin token:\s+(\S+)/.exec(out)![1]).toBe(token);
			const admin = /base URL:\s+(\S+)/.exec(out)![1].replace(/\/v1$/, '/__admin/counters');
			expect((await fetch(admin, { headers: { [ADMIN_TOKEN_HEADER]: token } })).status).toBe(200);
		});
		expect(code).toBe(0);
		expect(parseCli(['--admin-token', token], {}).adminToken).toBe(token);
	}, 90_000);
});

describe('one place for the knobs (emulator/options.ts)', () => {
	test('every runtime knob has a flag and an env variable that set it', () => {
		for (const [option, spec] of Object.entries(CONFIG_KNOBS) as Array<[string, KnobSpec]>) {
			expect(spec.cli).toBeDefined();
			const value = spec.cli!.kind === 'probability' ? 0.5 : 7;
			expect(parseCli([`--${spec.cli!.flag}`, String(value)], {})).toMatchObject({
				[option]: value,
			});
			expect(parseCli([], { [spec.cli!.env]: String(value) })).toMatchObject({ [option]: value });
		}
		expect(Object.keys(DEFAULT_CONFIG)).toEqual(Object.keys(CONFIG_KNOBS));
	});

	test('docs/EMULATOR.md has a row for every knob with its flag, env, default and what it models', () => {
		const doc = readFileSync(join(ROOT, 'docs', 'EMULATOR.md'), 'utf8');
		const row = (option: string) =>
			doc.split('\n').find((line) => line.startsWith(`| \`${option}\` `)) ?? '';
		for (const [option, spec] of Object.entries(CONFIG_KNOBS) as Array<[string, KnobSpec]>) {
			const line = row(option);
			expect(line).toContain(`\`--${spec.cli!.flag}\``);
			expect(line).toContain(`\`${spec.cli!.env}\``);
			const shownDefault = option === 'rateLimitBurst' ? '= rate' : `${spec.default}`;
			expect(line).toMatch(new RegExp(`\\| ${shownDefault}( \\(off\\))? +\\|`));
			expect(line).toContain(spec.models);
		}
		for (const [option, flag] of Object.entries(START_FLAGS)) {
			expect(row(option)).toContain(`\`--${flag.flag}\``);
			expect(row(option)).toContain(`\`${flag.env}\``);
		}
	});
});
