/**
 * `npm run emulator -- [flags]`: run the IntelliPortal sandbox emulator until Ctrl-C.
 * Every flag also has an environment variable (flag wins); see docs/EMULATOR.md.
 */
import { parseArgs } from 'node:util';
import { EXAMPLE_API_KEY, startEmulator } from './index';
import type { EmulatorOptions } from './index';

interface FlagSpec {
	flag: string;
	env: string;
	option: keyof EmulatorOptions;
	kind: 'number' | 'probability' | 'string';
	help: string;
}

export const FLAGS: FlagSpec[] = [
	{
		flag: 'port',
		env: 'EMULATOR_PORT',
		option: 'port',
		kind: 'number',
		help: 'TCP port (default 4010; 0 = any free port)',
	},
	{
		flag: 'host',
		env: 'EMULATOR_HOST',
		option: 'host',
		kind: 'string',
		help: 'bind address (default 127.0.0.1)',
	},
	{
		flag: 'latency',
		env: 'EMULATOR_LATENCY_MS',
		option: 'latencyMs',
		kind: 'number',
		help: 'added latency per request, ms',
	},
	{
		flag: 'jitter',
		env: 'EMULATOR_JITTER_MS',
		option: 'jitterMs',
		kind: 'number',
		help: 'extra random latency 0..N ms',
	},
	{
		flag: 'rate',
		env: 'EMULATOR_RATE_RPS',
		option: 'rateLimitRps',
		kind: 'number',
		help: 'rate limit, requests/second (0 = off)',
	},
	{
		flag: 'burst',
		env: 'EMULATOR_BURST',
		option: 'rateLimitBurst',
		kind: 'number',
		help: 'token bucket size (default = rate)',
	},
	{
		flag: 'fault-500',
		env: 'EMULATOR_FAULT_500',
		option: 'fault500',
		kind: 'probability',
		help: 'probability of a 500',
	},
	{
		flag: 'fault-503',
		env: 'EMULATOR_FAULT_503',
		option: 'fault503',
		kind: 'probability',
		help: 'probability of a 503 + Retry-After',
	},
	{
		flag: 'fault-429',
		env: 'EMULATOR_FAULT_429',
		option: 'fault429',
		kind: 'probability',
		help: 'probability of a 429 + Retry-After (not processed; independent of --rate)',
	},
	{
		flag: 'fault-reset',
		env: 'EMULATOR_FAULT_RESET',
		option: 'faultResetAfter',
		kind: 'probability',
		help: 'probability of a connection reset AFTER processing (the ambiguous case)',
	},
	{
		flag: 'fault-reset-before',
		env: 'EMULATOR_FAULT_RESET_BEFORE',
		option: 'faultResetBefore',
		kind: 'probability',
		help: 'probability of a connection reset BEFORE processing',
	},
	{
		flag: 'fault-slow',
		env: 'EMULATOR_FAULT_SLOW',
		option: 'faultSlow',
		kind: 'probability',
		help: 'probability of a slow response',
	},
	{
		flag: 'slow-ms',
		env: 'EMULATOR_SLOW_MS',
		option: 'slowMs',
		kind: 'number',
		help: 'how long a slow response is held (default 35000)',
	},
	{
		flag: 'retry-after',
		env: 'EMULATOR_RETRY_AFTER',
		option: 'retryAfterSeconds',
		kind: 'number',
		help: 'Retry-After seconds on injected 503s and 429s (default 1)',
	},
	{
		flag: 'status-step-ms',
		env: 'EMULATOR_STATUS_STEP_MS',
		option: 'statusStepMs',
		kind: 'number',
		help: 'ms between message status steps (default 1000; 0 = manual)',
	},
	{
		flag: 'seed',
		env: 'EMULATOR_SEED',
		option: 'seed',
		kind: 'number',
		help: 'RNG seed for faults/jitter/ids (default 1)',
	},
	{
		flag: 'seed-clients',
		env: 'EMULATOR_SEED_CLIENTS',
		option: 'seedClients',
		kind: 'number',
		help: 'clients created at start',
	},
];

export function parseCli(
	argv: string[],
	env: NodeJS.ProcessEnv,
): EmulatorOptions & { quiet: boolean; help: boolean } {
	const spec: Record<string, { type: 'string' | 'boolean' }> = {
		quiet: { type: 'boolean' },
		help: { type: 'boolean' },
		'allow-remote-webhooks': { type: 'boolean' },
	};
	for (const f of FLAGS) spec[f.flag] = { type: 'string' };
	const { values } = parseArgs({
		args: argv,
		options: spec,
		strict: true,
		allowPositionals: false,
	});
	const options: Record<string, unknown> = { port: 4010 };
	for (const f of FLAGS) {
		const raw = (values[f.flag] as string | undefined) ?? env[f.env];
		if (raw === undefined || raw === '') continue;
		if (f.kind === 'string') {
			options[f.option] = raw;
			continue;
		}
		const n = Number(raw);
		if (!Number.isFinite(n) || n < 0 || (f.kind === 'probability' && n > 1)) {
			throw new Error(
				`--${f.flag} (${f.env}) must be ${f.kind === 'probability' ? 'a probability between 0 and 1' : 'a number ≥ 0'}, got '${raw}'`,
			);
		}
		options[f.option] = n;
	}
	return {
		...(options as EmulatorOptions),
		allowRemoteWebhooks:
			Boolean(values['allow-remote-webhooks']) || env.EMULATOR_ALLOW_REMOTE_WEBHOOKS === '1',
		quiet: Boolean(values.quiet) || env.EMULATOR_QUIET === '1',
		help: Boolean(values.help),
	};
}

function usage(): string {
	const lines = ['Usage: npm run emulator -- [flags]', ''];
	for (const f of FLAGS) lines.push(`  --${f.flag.padEnd(20)} ${f.env.padEnd(28)} ${f.help}`);
	lines.push(
		`  --${'allow-remote-webhooks'.padEnd(20)} ${'EMULATOR_ALLOW_REMOTE_WEBHOOKS=1'.padEnd(28)} deliver webhooks to non-loopback hosts`,
	);
	lines.push(`  --${'quiet'.padEnd(20)} ${'EMULATOR_QUIET=1'.padEnd(28)} no per-request log lines`);
	return lines.join('\n');
}

async function main(): Promise<void> {
	let opts: ReturnType<typeof parseCli>;
	try {
		opts = parseCli(process.argv.slice(2), process.env);
	} catch (err) {
		process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${usage()}\n`);
		process.exit(2);
	}
	if (opts.help) {
		process.stdout.write(`${usage()}\n`);
		return;
	}
	const { quiet, help: _help, ...options } = opts;
	const emulator = await startEmulator({
		...options,
		log: quiet ? undefined : (line) => process.stdout.write(`[emulator] ${line}\n`),
	});
	process.stdout.write(
		[
			`IntelliPortal sandbox emulator listening`,
			`  base URL:    ${emulator.baseUrl}`,
			`  admin:       ${emulator.url}/__admin/counters`,
			`  example key: ${EXAMPLE_API_KEY}   (any ik_test_/ik_live_ key is accepted)`,
			`Press Ctrl-C to stop.`,
			'',
		].join('\n'),
	);
	const shutdown = () => {
		void emulator.stop().then(() => process.exit(0));
	};
	process.once('SIGINT', shutdown);
	process.once('SIGTERM', shutdown);
}

if (require.main === module) {
	main().catch((err: unknown) => {
		process.stderr.write(
			`emulator failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
		);
		process.exit(1);
	});
}
