/**
 * Waiting for executions the bench started without loading the n8n it measures: polls the
 * execution's status without its data every `everyMs`, fetches the data once when it has
 * finished. A busy n8n's transient answers (503 "Database is not ready!" while a large execution
 * is being saved, 502/504/429, timeouts, broken connections) and a 404 before the execution row
 * exists are waited out within the deadline, never fatal.
 */
import { isTransientN8nFailure, N8nHttpError } from '../scripts/n8n/client';
import type { Execution, N8nClient } from '../scripts/n8n/client';

const RUNNING = ['new', 'running', 'waiting'];

export interface PollOptions {
	timeoutMs: number;
	everyMs?: number;
	/** Injected in tests; default a real timer. */
	sleep?: (ms: number) => Promise<void>;
	/** Called with each answer waited out (for the bench's log). */
	onTransient?: (error: unknown) => void;
	/** Called once the execution has finished, before its data is fetched. */
	onFinished?: () => void | Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Calls `call` until it answers, waiting out transient failures; other failures are thrown. */
async function untilAnswered<T>(
	call: () => Promise<T>,
	deadline: number,
	options: PollOptions,
	what: string,
): Promise<T> {
	const sleep = options.sleep ?? realSleep;
	for (;;) {
		try {
			return await call();
		} catch (error) {
			const notYet = error instanceof N8nHttpError && error.status === 404;
			if (!notYet && !isTransientN8nFailure(error)) throw error;
			options.onTransient?.(error);
			if (Date.now() > deadline) {
				throw new Error(`${what}: n8n kept failing until the deadline (last: ${String(error)})`);
			}
		}
		await sleep(options.everyMs ?? 1000);
	}
}

/** Waits until execution `id` is no longer running; returns it with its data. */
export async function waitForFinishedExecution(
	n8n: N8nClient,
	id: string,
	options: PollOptions,
): Promise<Execution> {
	const deadline = Date.now() + options.timeoutMs;
	const sleep = options.sleep ?? realSleep;
	for (;;) {
		const status = await untilAnswered(
			() => n8n.request<Execution>('GET', `/api/v1/executions/${id}`),
			deadline,
			options,
			`execution ${id}`,
		);
		if (!RUNNING.includes(status.status)) break;
		if (Date.now() > deadline) {
			throw new Error(`execution ${id} did not finish within ${options.timeoutMs} ms`);
		}
		await sleep(options.everyMs ?? 1000);
	}
	await options.onFinished?.();
	return await untilAnswered(
		() => n8n.request<Execution>('GET', `/api/v1/executions/${id}?includeData=true`),
		deadline,
		options,
		`execution ${id} data`,
	);
}
