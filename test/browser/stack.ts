/**
 * What the browser suite runs against: the demo's set-up (the sandbox emulator and the pinned
 * real n8n with this package, packed and installed as a user would), plus Debian's chromium
 * driven by playwright-core. Everything is started here and stopped by `stop()`, which the suite
 * calls even when a step failed.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { chromium, type Browser } from 'playwright-core';

import { startEmulator, type RunningEmulator } from '../../emulator';
import { installN8n, REPO_ROOT, startN8n, type N8nInstance } from '../../scripts/n8n/start';
import { builtPackageDir } from '../support/builtTrees';

/** Clients the picker lists (onboarded through the API, as a partner would). */
export const CLIENTS = ['Acme Bakery', 'Blue Harbor Dental', 'Northwind Florists'] as const;

export const API_KEY = 'ik_test_browser_0123456789abcdef';

export interface Stack {
	emulator: RunningEmulator;
	n8n: N8nInstance;
	browser: Browser;
	stop(): Promise<void>;
}

/** Debian's chromium (scripts/browser/install-chromium.sh installs it with apt-get when missing). */
export function chromiumPath(): string {
	return execFileSync('bash', [join(REPO_ROOT, 'scripts', 'browser', 'install-chromium.sh')], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	}).trim();
}

async function onboard(emulatorUrl: string, businessName: string, index: number): Promise<void> {
	const res = await fetch(`${emulatorUrl}/v1/clients/signup`, {
		method: 'POST',
		headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
		body: JSON.stringify({ business_name: businessName, phone_number_id: `pn_browser_${index}` }),
	});
	if (!res.ok) throw new Error(`onboarding ${businessName}: ${res.status} ${await res.text()}`);
}

/** Points the account's webhook at someone else's URL (an integration set up outside n8n). */
export async function setForeignWebhook(emulatorUrl: string, url: string): Promise<void> {
	const res = await fetch(`${emulatorUrl}/v1/webhooks`, {
		method: 'PUT',
		headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
		body: JSON.stringify({ url, events: ['message.delivered', 'message.read'] }),
	});
	if (!res.ok) throw new Error(`PUT /webhooks: ${res.status} ${await res.text()}`);
}

export async function startStack(): Promise<Stack> {
	const started: Partial<Stack> = {};
	const stop = async () => {
		await started.browser?.close().catch(() => undefined);
		await started.n8n?.stop().catch(() => undefined);
		await started.emulator?.stop().catch(() => undefined);
	};
	try {
		const executablePath = chromiumPath();
		installN8n();
		started.emulator = await startEmulator({ statusStepMs: 0, seedClients: 0 });
		for (const [i, name] of CLIENTS.entries()) await onboard(started.emulator.url, name, i);
		started.n8n = await startN8n({ packageDir: builtPackageDir() });
		await started.n8n.setupOwner();
		// Playwright gives the browser a fresh user-data-dir and turns off background networking,
		// component updates, sync and first-run screens itself.
		started.browser = await chromium.launch({
			executablePath,
			headless: true,
			// Containers and CI runners: no user namespaces for the sandbox, a small /dev/shm.
			args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
		});
		return { ...(started as Required<Omit<Stack, 'stop'>>), stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
