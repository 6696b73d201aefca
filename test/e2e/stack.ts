/**
 * What every real-n8n end-to-end file starts with: the skip switch, the dist/ built for this run
 * (jest's global set-up), and one emulator plus one pinned n8n with this package installed, an
 * owner and a credential.
 */
import { startEmulator, type RunningEmulator } from '../../emulator';
import { installN8n, isN8nInstalled, startN8n, type N8nInstance } from '../../scripts/n8n/start';
import { builtPackageDir } from '../support/builtTrees';

const skip = process.env.IP_SKIP_E2E === '1' && !isN8nInstalled();
if (skip) {
	console.warn(
		'real-n8n tests skipped: IP_SKIP_E2E=1 and n8n is not installed (run scripts/n8n/install.sh to enable them)',
	);
}
/** `describe`, or `describe.skip` when IP_SKIP_E2E=1 on a machine without the n8n install. */
export const describeE2e = skip ? describe.skip : describe;

/** IP_E2E_PACKAGE_DIR: test another built checkout; else the dist/ jest built for this run. */
export function packageDirUnderTest(): string {
	return process.env.IP_E2E_PACKAGE_DIR ?? builtPackageDir();
}

export interface E2eStack {
	emulator: RunningEmulator;
	n8n: N8nInstance;
	/** The IntelliPortal credential, pointing at the emulator. */
	credential: { id: string; name: string };
	stop(): Promise<void>;
}

/** One emulator and one pinned n8n (owner set up, one IntelliPortal credential with `apiKey`). */
export async function startE2eStack(options: {
	apiKey: string;
	emulator?: Parameters<typeof startEmulator>[0];
}): Promise<E2eStack> {
	installN8n();
	const packageDir = packageDirUnderTest();
	const emulator = await startEmulator({ statusStepMs: 0, seedClients: 0, ...options.emulator });
	let n8n: N8nInstance | undefined;
	try {
		n8n = await startN8n({ packageDir });
		await n8n.setupOwner();
		const created = await n8n.createCredential({
			name: 'IntelliPortal (emulator)',
			type: 'intelliPortalApi',
			data: { apiKey: options.apiKey, environment: 'custom', baseUrl: emulator.baseUrl },
		});
		const started = n8n;
		return {
			emulator,
			n8n: started,
			credential: { id: created.id, name: created.name },
			stop: async () => {
				await started.stop();
				await emulator.stop();
			},
		};
	} catch (error) {
		await n8n?.stop().catch(() => undefined);
		await emulator.stop();
		throw error;
	}
}
