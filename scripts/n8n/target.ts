/**
 * Which n8n the harness runs and where it lives: version, install folder, the Node that runs it,
 * and the idempotent install (install.sh) that puts it there.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
/** The pinned n8n, or IP_N8N_VERSION for the compatibility runs (scripts/e2e-compat.sh). */
export const N8N_VERSION =
	process.env.IP_N8N_VERSION?.trim() || readFileSync(join(__dirname, 'version'), 'utf8').trim();

/** One n8n installation: what to run and with which Node. */
export interface N8nTarget {
	/** n8n version, e.g. '2.41.1'. */
	version: string;
	/** Install folder (holds node_modules/n8n and install.sh's `.ip-installed` marker). */
	home: string;
	/** Node executable that runs n8n. */
	node: string;
}

/** Default install folder of a version: IP_N8N_HOME or ~/.cache/intelliportal/n8n-<version>. */
function defaultHome(version: string): string {
	if (process.env.IP_N8N_HOME && version === N8N_VERSION) return process.env.IP_N8N_HOME;
	return join(homedir(), '.cache', 'intelliportal', `n8n-${version}`);
}

/**
 * The target for the given overrides; unset fields come from the environment (IP_N8N_VERSION,
 * IP_N8N_HOME, IP_N8N_NODE) or the pin (scripts/n8n/version, this process's Node).
 */
export function resolveTarget(overrides: Partial<N8nTarget> = {}): N8nTarget {
	const version = overrides.version ?? N8N_VERSION;
	return {
		version,
		home: overrides.home ?? defaultHome(version),
		node: overrides.node ?? (process.env.IP_N8N_NODE || process.execPath),
	};
}

/** Major version of a target's n8n (1.x differs in a few REST calls and env names). */
export function n8nMajor(version: string): number {
	return Number(version.split('.')[0]);
}

/** Where the pinned n8n lives (outside the repo): IP_N8N_HOME or ~/.cache/intelliportal/n8n-<ver>. */
export function n8nHome(): string {
	return resolveTarget().home;
}

/** True when install.sh completed for the version (default: the pinned one) in `home`. */
export function isN8nInstalled(home = n8nHome(), version = N8N_VERSION): boolean {
	const marker = join(home, '.ip-installed');
	return (
		existsSync(marker) &&
		readFileSync(marker, 'utf8').trim() === version &&
		existsSync(join(home, 'node_modules', 'n8n', 'bin', 'n8n'))
	);
}

/**
 * Runs scripts/n8n/install.sh for the target (idempotent: returns at once when installed). Its
 * progress goes to our stderr; a failure throws with the script's exit status. Returns the home.
 */
export function installN8n(target: N8nTarget = resolveTarget()): string {
	if (isN8nInstalled(target.home, target.version)) return target.home;
	const result = spawnSync('bash', [join(__dirname, 'install.sh')], {
		stdio: ['ignore', 'pipe', 'inherit'],
		encoding: 'utf8',
		env: { ...process.env, IP_N8N_HOME: target.home, IP_N8N_VERSION: target.version },
	});
	if (result.status !== 0) {
		throw new Error(
			`scripts/n8n/install.sh failed (exit ${result.status ?? result.signal}); see its output above`,
		);
	}
	return target.home;
}

/** The n8n CLI entry point inside an installation. */
export function n8nBin(target: N8nTarget): string {
	return join(target.home, 'node_modules', 'n8n', 'bin', 'n8n');
}
