/**
 * Judging one send case from the emulator's side: which items it holds exactly one message
 * for, which none (lost) and which more than one (duplicated), how many 429s it sent, and
 * whether the ids the sender reported line up with the input order. Shared by both modes.
 */
import type { EmulatorProcess } from './emulator-process';

export interface SendCaseResult {
	key: string;
	title: string;
	n: number;
	concurrency: number;
	/** Sending time: the whole run in core mode, the sending node's own execution in n8n mode. */
	wallMs: number;
	/** n8n mode: the whole execution (trigger, item generation, sending, saving), as n8n recorded it. */
	executionMs?: number;
	/** wall time / the floor. */
	ratioToFloor: number;
	/** Items the emulator holds exactly one message for. */
	deliveredOnce: number;
	/** Items the emulator holds no message for (lost). */
	failed: number;
	/** Extra messages beyond one per item (a customer messaged twice). */
	duplicated: number;
	/** 429 responses the emulator sent during the case. */
	http429: number;
	/** Requests the emulator saw. */
	requests: number;
	/** Failures as the sender saw them. */
	senderFailures: number;
	/** Every id the sender returned for item i belongs to the message for item i. */
	orderPreserved: boolean;
	/** Achieved delivered-messages per second. */
	deliveredPerSecond: number;
	/** The floor this case is compared with, when it differs from the run's (smaller N). */
	floorMs?: number;
}

export interface SenderView {
	/** Per input index: the message id the sender got back, or undefined when it saw a failure. */
	ids: Array<string | undefined>;
	senderFailures: number;
}

export interface CaseParams {
	n: number;
	rate: number;
	latency: number;
}

/** Empties the emulator and sets the case's latency and rate limit (burst = one second's worth). */
export async function prepareEmulator(
	emulator: EmulatorProcess,
	params: CaseParams,
): Promise<void> {
	await emulator.reset();
	await emulator.config({
		latencyMs: params.latency,
		rateLimitRps: params.rate,
		rateLimitBurst: 0,
		statusStepMs: 0,
	});
}

/** `max(N / rate, N × latency / concurrency)` in ms. */
export function floorMs(n: number, rate: number, latency: number, concurrency: number): number {
	return Math.max((n / rate) * 1000, (n * latency) / concurrency);
}

/** Per item of one run: how many messages the emulator holds for it, and which item each id is. */
function deliveriesOf(
	messages: Array<{ id: string; body: Record<string, unknown> }>,
	runId: string,
	n: number,
): { perItem: number[]; itemOfId: Map<string, number> } {
	const perItem = new Array<number>(n).fill(0);
	const itemOfId = new Map<string, number>();
	const prefix = `bench:${runId}:`;
	for (const m of messages) {
		const text = (m.body as { text?: { body?: string } }).text?.body;
		if (typeof text !== 'string' || !text.startsWith(prefix)) continue;
		const index = Number(text.slice(prefix.length));
		if (Number.isInteger(index) && index >= 0 && index < n) {
			perItem[index]++;
			itemOfId.set(m.id, index);
		}
	}
	return { perItem, itemOfId };
}

function orderKept(sender: SenderView, n: number, itemOfId: Map<string, number>): boolean {
	let kept = sender.ids.length === n;
	sender.ids.forEach((id, i) => {
		if (id !== undefined && itemOfId.get(id) !== i) kept = false;
	});
	return kept;
}

export async function judgeSendCase(
	emulator: EmulatorProcess,
	sendCase: { key: string; title: string; concurrency: number },
	params: CaseParams,
	runId: string,
	sender: SenderView,
	timing: { wallMs: number; executionMs?: number; floorMs: number },
): Promise<SendCaseResult> {
	const counters = await emulator.counters();
	const messages = await emulator.messages();
	const { perItem, itemOfId } = deliveriesOf(messages, runId, params.n);
	const delivered = perItem.filter((c) => c >= 1).length;
	const { wallMs } = timing;
	return {
		key: sendCase.key,
		title: sendCase.title,
		n: params.n,
		concurrency: sendCase.concurrency,
		wallMs: Math.round(wallMs),
		...(timing.executionMs !== undefined ? { executionMs: Math.round(timing.executionMs) } : {}),
		ratioToFloor: Number((wallMs / timing.floorMs).toFixed(3)),
		deliveredOnce: perItem.filter((c) => c === 1).length,
		failed: perItem.filter((c) => c === 0).length,
		duplicated: perItem.reduce((sum, c) => sum + Math.max(0, c - 1), 0),
		http429: counters.rateLimited,
		requests: counters.requests,
		senderFailures: sender.senderFailures,
		orderPreserved: orderKept(sender, params.n, itemOfId),
		deliveredPerSecond: Number(((delivered * 1000) / wallMs).toFixed(1)),
	};
}

export interface CampaignVerdict {
	runId: string;
	n: number;
	deliveredOnce: number;
	/** Items the emulator holds no message for. */
	lost: number;
	/** Messages beyond one per item. */
	duplicated: number;
	senderFailures: number;
	orderPreserved: boolean;
}

export interface CampaignsVerdict {
	campaigns: CampaignVerdict[];
	n: number;
	deliveredOnce: number;
	lost: number;
	duplicated: number;
	/** 429 responses the emulator sent while the campaigns ran. */
	http429: number;
	/** Requests the emulator saw. */
	requests: number;
	/** Messages the emulator accepted (all campaigns, bench or not). */
	accepted: number;
}

/**
 * Several campaigns that ran at once against one emulator (reset before them): each judged from
 * the emulator's messages like a single case, the 429s and requests counted once for all.
 */
export async function judgeCampaigns(
	emulator: EmulatorProcess,
	campaigns: Array<{ runId: string; n: number; sender: SenderView }>,
): Promise<CampaignsVerdict> {
	const counters = await emulator.counters();
	const messages = await emulator.messages();
	const verdicts = campaigns.map(({ runId, n, sender }): CampaignVerdict => {
		const { perItem, itemOfId } = deliveriesOf(messages, runId, n);
		return {
			runId,
			n,
			deliveredOnce: perItem.filter((c) => c === 1).length,
			lost: perItem.filter((c) => c === 0).length,
			duplicated: perItem.reduce((sum, c) => sum + Math.max(0, c - 1), 0),
			senderFailures: sender.senderFailures,
			orderPreserved: orderKept(sender, n, itemOfId),
		};
	});
	const sum = (key: 'n' | 'deliveredOnce' | 'lost' | 'duplicated') =>
		verdicts.reduce((total, v) => total + v[key], 0);
	return {
		campaigns: verdicts,
		n: sum('n'),
		deliveredOnce: sum('deliveredOnce'),
		lost: sum('lost'),
		duplicated: sum('duplicated'),
		http429: counters.rateLimited,
		requests: counters.requests,
		accepted: messages.length,
	};
}
