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
import { IntelliPortalClient } from '../../shared/apiClient';
import type { IntelliPortalError } from '../../shared/errors';
import { runBulk } from '../../shared/pacing/bulk';
import { bulkLayers } from '../../shared/pacing/bulkLayers';
import { AdaptiveRateGovernor } from '../../shared/pacing/governor';
import { createAxiosTransport } from '../../shared/transports/axios';
import { ZAPIER_TIMEOUT_MS } from '../../zapier/src/apiClient';
import zapier from 'zapier-platform-core';

import App from '../../zapier/src';
import { sendOutcomeOf } from '../zapier/sendOutcome';
import { API_KEY, startEnv } from '../n8n/helpers';

export type SoakPath = 'core' | 'n8n' | 'zapier';

/**
 * Faults per issue 6: 10 % 429 + Retry-After (injected, on top of the rate limit's own 429s),
 * 2 % 503 + Retry-After, 1 % connection resets (half before, half after the server processed
 * the request), and 1 % 500 (the plain "may have been processed" case). The 1 % responses slower
 * than the client's timeout are added per path in runSoak (they need the path's timeout).
 */
export const SOAK_FAULTS: Partial<EmulatorOptions> = {
	fault429: 0.1,
	fault503: 0.02,
	faultResetBefore: 0.005,
	faultResetAfter: 0.005,
	fault500: 0.01,
	retryAfterSeconds: 1,
};

/** Zap runs in flight at once on the Zapier path (Zapier runs each trigger item as its own Zap run). */
export const ZAPIER_CONCURRENCY = 8;
/**
 * How often the soak re-runs a step that ended in z.errors.ThrottledError, after its delay, as
 * Zapier does ("the request will be retried at the specified time"). An item still throttled
 * after that counts as "failed, not sent".
 */
export const ZAPIER_THROTTLE_REPLAYS = 5;

export interface SoakFigures {
	path: SoakPath;
	items: number;
	/** Zapier path: steps re-run after a ThrottledError (as Zapier does after the delay). */
	throttledReplays?: number;
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
	/** Failed items whose error (message, stack, serialized form) contains the API key. */
	leaks: number;
}

interface ItemOutcome {
	ok: boolean;
	code?: string;
	mayHaveBeenSent?: boolean;
	/** The failure as the user could see it contained the API key. */
	leaked?: boolean;
}

/** Everything a user or a log could see of a failure: message, stack, own fields, JSON. */
function exposedText(error: unknown): string {
	if (!(error instanceof Error)) return JSON.stringify(error) ?? String(error);
	const fields: Record<string, unknown> = {};
	for (const key of Object.getOwnPropertyNames(error)) {
		fields[key] = (error as unknown as Record<string, unknown>)[key];
	}
	let json = '';
	try {
		json = JSON.stringify(error);
	} catch {
		json = '';
	}
	return [String(error), error.stack ?? '', JSON.stringify(fields), json].join('\n');
}

function leaksKey(error: unknown): boolean {
	const text = exposedText(error);
	return text.includes(API_KEY) || text.includes(API_KEY.slice('ik_test_'.length));
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
		layers: bulkLayers({ governor, sleep }),
	});
	const results = await runBulk(
		Array.from({ length: n }, (_, i) => i),
		(i) => client.sendMessage(body(run, i)),
		{ concurrency: 16, governor, sleep, now },
	);
	return results.map((r): ItemOutcome => {
		if (r.ok) return { ok: true };
		const e = r.error as IntelliPortalError;
		return {
			ok: false,
			code: e.code,
			mayHaveBeenSent: e.mayHaveBeenSent,
			leaked: leaksKey(e),
		};
	});
}

async function sendViaN8n(
	options: Partial<EmulatorOptions>,
	run: string,
	n: number,
	timeoutMs: number,
) {
	const env = await startEnv(options);
	try {
		const node = env.actionNode({
			resource: 'message',
			operation: 'send',
			clientRef: { __rl: true, mode: 'id', value: 'soak' },
			to: '={{ $json.to }}',
			messageType: 'text',
			textBody: '={{ $json.text }}',
			// The node's Timeout option, short enough for slow responses to run into it.
			options: { timeout: timeoutMs },
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
				? {
						ok: false,
						code: err.code,
						mayHaveBeenSent: err.mayHaveBeenSent,
						leaked: leaksKey(item.json),
					}
				: { ok: typeof item.json.id === 'string' };
		});
		return { outcomes, emulator: env.emulator, stop: () => env.stop() };
	} catch (error) {
		await env.stop();
		throw error;
	}
}

/**
 * The Zapier path: each item is one Zap run of the `send_message` create, through
 * zapier-platform-core's app tester (the same runtime as test/zapier), ZAPIER_CONCURRENCY at a
 * time. A ThrottledError is re-run after its delay, as Zapier would; any other error is read with
 * the app's own sendOutcomeOf (the explicit "may it have been sent?" mapping).
 */
async function sendViaZapier(emu: RunningEmulator, run: string, n: number) {
	const tester = zapier.createAppTester(App);
	const perform = App.creates.send_message.operation.perform;
	const auth = { apiKey: API_KEY, environment: 'custom', baseUrl: emu.baseUrl };
	const outcomes = new Array<ItemOutcome>(n);
	let replays = 0;
	const runItem = async (i: number): Promise<ItemOutcome> => {
		const b = body(run, i);
		const inputData = { client_ref: b.client_ref, to: b.to, type: 'text', text: b.text.body };
		for (let attempt = 0; ; attempt++) {
			try {
				const result = (await tester(perform, { authData: auth, inputData })) as {
					id?: unknown;
				};
				return { ok: typeof result?.id === 'string' };
			} catch (error) {
				const name = (error as Error).name;
				if (name === 'ThrottledError' && attempt < ZAPIER_THROTTLE_REPLAYS) {
					replays++;
					const { delay } = JSON.parse((error as Error).message) as { delay?: number };
					await new Promise((resolve) => setTimeout(resolve, (delay ?? 1) * 1000));
					continue;
				}
				// The error as the user sees it: Zapier's class and the app's code (server_error, …).
				let code = name;
				try {
					const payload = JSON.parse((error as Error).message) as { code?: unknown };
					if (typeof payload.code === 'string') code = `${name}:${payload.code}`;
				} catch {
					// not a JSON-carrying Zapier error
				}
				const outcome = sendOutcomeOf(error);
				const leaked = leaksKey(error);
				// 'unclassified' leaves mayHaveBeenSent undefined, which the judge counts as lost.
				return outcome === 'unclassified'
					? { ok: false, code, leaked }
					: { ok: false, code, mayHaveBeenSent: outcome === 'may_have_been_sent', leaked };
			}
		}
	};
	let next = 0;
	await Promise.all(
		Array.from({ length: ZAPIER_CONCURRENCY }, async () => {
			while (next < n) {
				const i = next++;
				outcomes[i] = await runItem(i);
			}
		}),
	);
	return { outcomes, replays };
}

export async function runSoak(options: {
	path: SoakPath;
	items: number;
	rateLimitRps?: number;
	/** Per-request timeout (core path, n8n node) and the slow-response fault that exceeds it. */
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
		// Slow responses beyond the client's timeout: timeoutMs for the core path and the n8n node
		// (its Timeout option), the Zapier app's own 8 s (ZAPIER_TIMEOUT_MS).
		...(path !== 'zapier' ? { faultSlow: 0.01, slowMs: timeoutMs * 2 } : {}),
		...(path === 'zapier' ? { faultSlow: 0.01, slowMs: ZAPIER_TIMEOUT_MS + 2_000 } : {}),
	};
	let outcomes: ItemOutcome[];
	let emu: RunningEmulator;
	let stop: () => Promise<void>;
	let throttledReplays: number | undefined;
	if (path === 'core') {
		emu = await startEmulator({ port: 0, ...emulatorOptions });
		stop = () => emu.stop();
		outcomes = await sendViaCore(emu, run, n, timeoutMs);
	} else if (path === 'zapier') {
		emu = await startEmulator({ port: 0, ...emulatorOptions });
		stop = () => emu.stop();
		({ outcomes, replays: throttledReplays } = await sendViaZapier(emu, run, n));
	} else {
		const r = await sendViaN8n(emulatorOptions, run, n, timeoutMs);
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
			...(throttledReplays !== undefined ? { throttledReplays } : {}),
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
			leaks: 0,
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
				if (o.leaked) figures.leaks++;
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
