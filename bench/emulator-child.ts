/**
 * Runs the sandbox emulator in its own process for the benchmark, so that the server's work
 * (validation, state, JSON) does not share an event loop with the client being measured.
 * Started by bench/emulator-process.ts with `fork`; options arrive as JSON in argv[2].
 */
import { startEmulator } from '../emulator/index';
import type { EmulatorOptions } from '../emulator/index';

async function main(): Promise<void> {
	const options = JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions;
	const emulator = await startEmulator({ ...options, port: 0, host: '127.0.0.1' });
	const stop = (): void => {
		void emulator.stop().finally(() => process.exit(0));
	};
	process.on('disconnect', stop);
	process.on('SIGTERM', stop);
	process.send?.({
		ready: true,
		url: emulator.url,
		baseUrl: emulator.baseUrl,
		adminToken: emulator.adminToken,
	});
}

main().catch((error: unknown) => {
	process.stderr.write(`emulator child failed: ${String(error)}\n`);
	process.exit(1);
});
