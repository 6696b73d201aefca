/**
 * Fault soak: many sends through one integration path against the emulator with injected
 * faults, judged item by item from the emulator's accepted messages (never from the sender's
 * own view). Shared by the jest suite (CI-sized) and `npm run reliability` (larger).
 *
 * Every item must end in exactly one of:
 *   delivered  — the sender reported success and the emulator holds exactly one message for it;
 *   failed     — the sender reported a classified error: mayHaveBeenSent=false means the emulator
 *                holds nothing for it, mayHaveBeenSent=true means it holds at most one.
 * Anything else is a defect: lost (reported sent but absent, or neither result nor error),
 * duplicated (two messages for one item), misclassified (said "not sent" but was sent).
 */
import { startEmulator } from '../../emulator';
import type { EmulatorOptions, RunningEmulator } from '../../emulator';
import { IntelliPortalClient } from '../../shared';
import type { IntelliPortalError } from '../../shared';
import { AdaptiveRateGovernor, runBulk } from '../../shared/pacing';
import { createAxiosTransport } from '../../shared/transports/axios';
import { API_KEY, startEnv } from '../n8n/helpers';

export type SoakPath = 'core' | 'n8n';

/** Faults per the reliability brief; the rate limit makes the server answer 429 + Retry-After. */
export const SOAK_FAULTS: Partial<EmulatorOptions> = {
	fault503: 0.02,
	faultResetBefore: 0.005,
	faultResetAfter: 0.005,
	fault500: 0.01,
	retryAfterSeconds: 1,
};

export interface SoakFigures {
	path: SoakPath;
	items: number;
	delivered: number;
	failedNotSent: number;
	failedMaybeSent: number;
	failedMaybeSentAndSent: number;
	lost: number;
	duplicated: number;
	misclassified: number;
	faultsInjected: Record<string, number>;
	rateLimited: number;
	/** Error codes of the failed items. */
	failureCodes: Record<string, number>;
}

interface ItemOutcome {
	ok: boolean;
	code?: string;
	mayHaveBeenSent?: boolean;
}

function body(run: string, i: number) {
	return {
		client_ref: 'soak',
		to: `+1555${String(i).padStart(7, '0')}`,
		type: 'text',
		text: { body: `soak:${run}:${i}` },
	};
}

async function sendViaCore(emu: RunningEmulator, run: string, n: number, timeoutMs: number) {
	const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
	const now = () => Date.now();
	const governor = new AdaptiveRateGovernor({ sleep, now, maxConcurrency: 16 });
	const client = new IntelliPortalClient({
		apiKey: API_KEY,
		environment: 'custom',
		baseUrl: emu.baseUrl,
		transport: createAxiosTransport(),
		timeoutMs,
		governor,
	});
	const results = await runBulk(
		Array.from({ length: n }, (_, i) => i),
		(i) => client.sendMessage(body(run, i)),
		{ concurrency: 16, governor, sleep, now },
	);
	return results.map((r): ItemOutcome => {
		if (r.ok) return { ok: true };
		const e = r.error as IntelliPortalError;
		return { ok: false, code: e.code, mayHaveBeenSent: e.mayHaveBeenSent };
	});
}

async function sendViaN8n(options: Partial<EmulatorOptions>, run: string, n: number) {
	const env = await startEnv(options);
	try {
		const node = env.actionNode({
			resource: 'message',
			operation: 'send',
			clientRef: { __rl: true, mode: 'id', value: 'soak' },
			to: '={{ $json.to }}',
			messageType: 'text',
			textBody: '={{ $json.text }}',
		});
		node.onError = 'continueRegularOutput';
		const input = Array.from({ length: n }, (_, i) => {
			const b = body(run, i);
			return { to: b.to, text: b.text.body };
		});
		const { items, error } = await env.harness.runNode(node, input);
		if (error || !items) throw new Error(`the node failed as a whole: ${String(error?.message)}`);
		const outcomes = items.map((item): ItemOutcome => {
			const err = item.json.error as { code?: string; mayHaveBeenSent?: boolean } | undefined;
			return err
				? { ok: false, code: err.code, mayHaveBeenSent: err.mayHaveBeenSent }
				: { ok: typeof item.json.id === 'string' };
		});
		return { outcomes, emulator: env.emulator, stop: () => env.stop() };
	} catch (error) {
		await env.stop();
		throw error;
	}
}

export async function runSoak(options: {
	path: SoakPath;
	items: number;
	rateLimitRps?: number;
	/** Per-request timeout (core path) and the slow-response fault that exceeds it. */
	timeoutMs?: number;
}): Promise<SoakFigures> {
	const { path, items: n } = options;
	const run = `${path}-${n}`;
	const timeoutMs = options.timeoutMs ?? 1500;
	const emulatorOptions: Partial<EmulatorOptions> = {
		...SOAK_FAULTS,
		// A tight bucket so that the server really answers 429 + Retry-After during the soak.
		rateLimitRps: options.rateLimitRps ?? 60,
		rateLimitBurst: 5,
		statusStepMs: 0,
		seed: 7,
		// Slow responses only where the client's timeout is short enough to test in a suite; the
		// n8n node uses the core's default 30 s timeout.
		...(path === 'core' ? { faultSlow: 0.01, slowMs: timeoutMs * 2 } : {}),
	};
	let outcomes: ItemOutcome[];
	let emu: RunningEmulator;
	let stop: () => Promise<void>;
	if (path === 'core') {
		emu = await startEmulator({ port: 0, ...emulatorOptions });
		stop = () => emu.stop();
		outcomes = await sendViaCore(emu, run, n, timeoutMs);
	} else {
		const r = await sendViaN8n(emulatorOptions, run, n);
		({ outcomes, stop } = r);
		emu = r.emulator;
	}
	try {
		const perItem = new Array<number>(n).fill(0);
		for (const m of emu.admin.messages()) {
			const text = (m.body as { text?: { body?: string } }).text?.body ?? '';
			if (text.startsWith(`soak:${run}:`)) perItem[Number(text.slice(`soak:${run}:`.length))]++;
		}
		const figures: SoakFigures = {
			path,
			items: n,
			delivered: 0,
			failedNotSent: 0,
			failedMaybeSent: 0,
			failedMaybeSentAndSent: 0,
			lost: 0,
			duplicated: 0,
			misclassified: 0,
			faultsInjected: { ...emu.admin.counters().faults },
			rateLimited: emu.admin.counters().rateLimited,
			failureCodes: {},
		};
		for (let i = 0; i < n; i++) {
			const o = outcomes[i];
			const count = perItem[i];
			if (count > 1) figures.duplicated++;
			if (!o) {
				figures.lost++;
			} else if (o.ok) {
				if (count === 1) figures.delivered++;
				else if (count === 0) figures.lost++;
			} else {
				figures.failureCodes[o.code ?? 'unclassified'] =
					(figures.failureCodes[o.code ?? 'unclassified'] ?? 0) + 1;
				if (o.code === undefined || o.mayHaveBeenSent === undefined) figures.lost++;
				else if (o.mayHaveBeenSent) {
					figures.failedMaybeSent++;
					if (count === 1) figures.failedMaybeSentAndSent++;
				} else {
					figures.failedNotSent++;
					if (count > 0) figures.misclassified++;
				}
			}
		}
		return figures;
	} finally {
		await stop();
	}
}
