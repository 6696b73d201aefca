/**
 * What every real-n8n end-to-end file starts with: the skip switch, a fresh-enough dist/, and one
 * emulator plus one pinned n8n with this package installed, an owner and a credential.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { startEmulator, type RunningEmulator } from '../../emulator';
import {
	installN8n,
	isN8nInstalled,
	REPO_ROOT,
	startN8n,
	type N8nInstance,
} from '../../scripts/n8n/start';

const skip = process.env.IP_SKIP_E2E === '1' && !isN8nInstalled();
if (skip) {
	console.warn(
		'real-n8n tests skipped: IP_SKIP_E2E=1 and n8n is not installed (run scripts/n8n/install.sh to enable them)',
	);
}
/** `describe`, or `describe.skip` when IP_SKIP_E2E=1 on a machine without the n8n install. */
export const describeE2e = skip ? describe.skip : describe;

/** Newest mtime under a directory (source files only). */
function newestMtime(dir: string): number {
	if (!existsSync(dir)) return 0;
	let newest = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
		else if (/\.(ts|json|svg)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
	}
	return newest;
}

/** Builds dist/ when it is missing or older than the sources (./dev test has built it already). */
export function ensureBuilt(): void {
	const marker = join(REPO_ROOT, 'dist', 'nodes', 'IntelliPortal', 'IntelliPortal.node.js');
	const sources = Math.max(
		...['nodes', 'credentials', 'shared', 'icons'].map((d) => newestMtime(join(REPO_ROOT, d))),
	);
	if (existsSync(marker) && statSync(marker).mtimeMs >= sources) return;
	// IP_E2E_SKIP_BUILD=1: test the dist/ that is there, even if older than the sources.
	if (existsSync(marker) && process.env.IP_E2E_SKIP_BUILD === '1') return;
	const build = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, encoding: 'utf8' });
	if (build.status !== 0) {
		const errors = `${build.stdout}\n${build.stderr}`
			.split('\n')
			.filter((line) => /error/i.test(line) && !/npm warn/i.test(line))
			.slice(0, 20)
			.join('\n');
		throw new Error(`npm run build failed (dist/ is stale or missing):\n${errors}`);
	}
}

/** IP_E2E_PACKAGE_DIR: test another built checkout of the package instead of this one. */
export function packageDirUnderTest(): string {
	const packageDir = process.env.IP_E2E_PACKAGE_DIR ?? REPO_ROOT;
	if (packageDir === REPO_ROOT) ensureBuilt();
	return packageDir;
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
