/**
 * `npm run emulator -- [flags]`: run the IntelliPortal sandbox emulator until Ctrl-C.
 * Every flag also has an environment variable (flag wins); see docs/EMULATOR.md.
 */
import { parseArgs } from 'node:util';
import { ADMIN_TOKEN_HEADER, EXAMPLE_API_KEY, startEmulator } from './index';
import { CONFIG_KNOBS, START_FLAGS } from './options';
import type { EmulatorOptions, KnobFlag, KnobSpec } from './options';

interface FlagSpec extends KnobFlag {
	option: keyof EmulatorOptions;
}

/** Every flag, from the one table of knobs (emulator/options.ts). */
export const FLAGS: FlagSpec[] = [
	...Object.entries(START_FLAGS).map(([option, spec]) => ({
		...spec,
		option: option as keyof EmulatorOptions,
	})),
	...Object.entries(CONFIG_KNOBS).flatMap(([option, spec]: [string, KnobSpec]) =>
		spec.cli ? [{ ...spec.cli, option: option as keyof EmulatorOptions }] : [],
	),
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
	for (const f of FLAGS) lines.push(`  --${f.flag.padEnd(28)} ${f.env.padEnd(37)} ${f.help}`);
	lines.push(
		`  --${'allow-remote-webhooks'.padEnd(28)} ${'EMULATOR_ALLOW_REMOTE_WEBHOOKS=1'.padEnd(37)} deliver webhooks to non-loopback hosts`,
	);
	lines.push(`  --${'quiet'.padEnd(28)} ${'EMULATOR_QUIET=1'.padEnd(37)} no per-request log lines`);
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
			`  admin:       ${emulator.url}/__admin/counters   (send ${ADMIN_TOKEN_HEADER}: <admin token>)`,
			`  admin token: ${emulator.adminToken}`,
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
