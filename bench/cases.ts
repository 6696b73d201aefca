/**
 * The senders the benchmark compares. Every case sends the same N text messages, item i with the
 * body `bench:<run>:<i>`, so that the emulator's own message list tells what was delivered, lost
 * or duplicated, independently of what the sender believes.
 */
import axios from 'axios';
import { Agent as HttpAgent } from 'node:http';
import { AdaptiveRateGovernor, runBulk } from '../shared';
import { createCoreClient } from './core-client';

export const BENCH_API_KEY = 'ik_test_bench_0123456789abcdef';
/** One business client sends the whole campaign (as in a real one). */
export const BENCH_CLIENT_REF = 'bench-client';

export interface SendOutcome {
	/** Per input index: the message id the sender got back, or undefined when it saw a failure. */
	ids: Array<string | undefined>;
	/** Failures as the sender saw them. */
	senderFailures: number;
}

export interface SendCase {
	key: string;
	title: string;
	/** The concurrency the floor for this case is computed with. */
	concurrency: number;
	send(ctx: SendContext): Promise<SendOutcome>;
}

export interface SendContext {
	baseUrl: string;
	n: number;
	runId: string;
	rate: number;
}

export function messageBody(runId: string, index: number): Record<string, unknown> {
	return {
		client_ref: BENCH_CLIENT_REF,
		to: `+1555${String(index).padStart(7, '0')}`,
		type: 'text',
		text: { body: `bench:${runId}:${index}` },
	};
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** (1) and (4): our core client + AdaptiveRateGovernor + runBulk, at the defaults. */
export function oursCase(key: string, title: string, concurrency: number): SendCase {
	return {
		key,
		title,
		concurrency,
		async send({ baseUrl, n, runId }) {
			const governor = new AdaptiveRateGovernor({
				sleep,
				now: () => Date.now(),
				maxConcurrency: concurrency,
			});
			const client = createCoreClient({ apiKey: BENCH_API_KEY, baseUrl, governor });
			const items = Array.from({ length: n }, (_, i) => i);
			const results = await runBulk(items, async (i) => client.sendMessage(messageBody(runId, i)), {
				concurrency,
				governor,
				sleep,
				now: () => Date.now(),
			});
			return {
				ids: results.map((r) => (r.ok ? (r.value as { id?: string }).id : undefined)),
				senderFailures: results.filter((r) => !r.ok).length,
			};
		},
	};
}

/**
 * What a plain HTTP request per item does at defaults (n8n's HTTP Request node: every item's
 * request is started at once, no pacing, a 429 is a failed item, no retry).
 */
function rawPost(baseUrl: string, agent: HttpAgent) {
	const http = axios.create({
		baseURL: baseUrl,
		httpAgent: agent,
		timeout: 120_000,
		validateStatus: () => true,
		headers: { authorization: `Bearer ${BENCH_API_KEY}`, 'content-type': 'application/json' },
	});
	return async (body: Record<string, unknown>): Promise<string | undefined> => {
		try {
			const response = await http.post('/messages/send', body);
			if (response.status >= 200 && response.status < 300)
				return (response.data as { id?: string }).id;
			return undefined;
		} catch {
			return undefined;
		}
	};
}

export function naiveCase(n: number): SendCase {
	return {
		key: 'naive',
		title: 'Naive: all items at once, no pacing, no retry (HTTP Request node defaults)',
		concurrency: n,
		async send({ baseUrl, n: count, runId }) {
			const agent = new HttpAgent({ keepAlive: true });
			const post = rawPost(baseUrl, agent);
			const ids = await Promise.all(
				Array.from({ length: count }, (_, i) => post(messageBody(runId, i))),
			);
			agent.destroy();
			return { ids, senderFailures: ids.filter((id) => id === undefined).length };
		},
	};
}

/**
 * Hand-tuned batching, like the HTTP Request node's Batching option: `batchSize` requests are
 * started, then the next batch after `intervalMs` (without waiting for the previous batch's
 * answers, as n8n does); set to exactly the rate limit. No retry.
 */
export function batchedCase(batchSize: number, intervalMs: number): SendCase {
	return {
		key: 'batched',
		title: `Hand-tuned batching: ${batchSize} items per ${intervalMs} ms, no retry`,
		concurrency: batchSize,
		async send({ baseUrl, n, runId }) {
			const agent = new HttpAgent({ keepAlive: true });
			const post = rawPost(baseUrl, agent);
			const pending: Array<Promise<string | undefined>> = [];
			for (let i = 0; i < n; i++) {
				if (i > 0 && i % batchSize === 0) await sleep(intervalMs);
				pending.push(post(messageBody(runId, i)));
			}
			const ids = await Promise.all(pending);
			agent.destroy();
			return { ids, senderFailures: ids.filter((id) => id === undefined).length };
		},
	};
}
