/**
 * The bulk runner: many items with bounded concurrency, one result per item in input order,
 * holding new work while the governor is paused, within the run's budget and Stop (run.ts).
 */
import { CancelledError } from '../errors';
import { positiveInteger } from './governor';
import type { ObservableRateGovernor } from './governor';
import type { RateGovernor } from './pace';
import type { AbortSignalLike, RunControl } from './run';

/** The result for one item of a bulk run. */
export type BulkResult<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface RunBulkOptions {
	/** Maximum items being worked on at once (>= 1). */
	concurrency: number;
	/**
	 * The governor the workers' requests go through (the one given to the client). When it can
	 * report its state, no new item is started while it is paused by a Retry-After.
	 */
	governor?: RateGovernor | ObservableRateGovernor;
	sleep?: (ms: number) => Promise<void>;
	now?: () => number;
	/** When aborted, items not yet started are not started (they get a CancelledError). */
	signal?: AbortSignalLike;
	/**
	 * The run's wait budget and Stop: once stopped, items not started get CancelledError; once
	 * the budget is spent (or a pause would outlast it), they get the budget's RateLimitError.
	 */
	run?: RunControl;
}

function hasStatus(governor: RunBulkOptions['governor']): governor is ObservableRateGovernor {
	return (
		governor !== undefined && typeof (governor as ObservableRateGovernor).status === 'function'
	);
}

/** Longest single sleep while holding new work for a pause, so a cancel is noticed promptly. */
const PAUSE_POLL_MS = 500;

/**
 * Runs `worker` over `items` with at most `concurrency` at once. Resolves (never rejects because
 * of an item) with one result per item, in input order.
 */
export async function runBulk<I, O>(
	items: readonly I[],
	worker: (item: I, index: number) => Promise<O>,
	options: RunBulkOptions,
): Promise<Array<BulkResult<O>>> {
	if (!Array.isArray(items)) throw new TypeError('runBulk: items must be an array');
	if (typeof worker !== 'function') throw new TypeError('runBulk: worker must be a function');
	const concurrency = positiveInteger(options?.concurrency, 'concurrency', 1);
	const { governor, sleep, now, signal, run } = options;
	const results: Array<BulkResult<O> | undefined> = new Array(items.length);
	let next = 0;
	/** Why items stop being started: set once, read when filling the unstarted ones. */
	let unstartedError: ((index: number) => unknown) | undefined;

	const mayStart = (): boolean => {
		if (unstartedError) return false;
		if (run?.stopped) {
			unstartedError = () => run.stopError();
			return false;
		}
		if (run?.expired) {
			unstartedError = () => run.budgetError();
			return false;
		}
		return !signal?.aborted;
	};

	const holdWhilePaused = async (): Promise<void> => {
		if (!hasStatus(governor) || !sleep || !now) return;
		for (;;) {
			if (!mayStart()) return;
			const remaining = governor.status().pausedUntil - now();
			if (!(remaining > 0)) return;
			if (run?.exceedsBudget(remaining)) {
				// The pause outlasts the run's budget: nothing more will be sent in time.
				unstartedError = () => run.budgetError(Math.ceil(remaining));
				return;
			}
			run?.chargeWait(remaining);
			try {
				const step = Math.ceil(Math.min(remaining, PAUSE_POLL_MS));
				if (run) await run.wait(sleep, step);
				else await sleep(step);
			} catch {
				return; // The governor itself still enforces the pause.
			}
		}
	};

	const lane = async (): Promise<void> => {
		for (;;) {
			if (!mayStart()) return;
			await holdWhilePaused();
			if (!mayStart() || next >= items.length) return;
			const index = next++;
			try {
				results[index] = { ok: true, value: await worker(items[index], index) };
			} catch (error) {
				results[index] = { ok: false, error };
			}
		}
	};

	const lanes: Array<Promise<void>> = [];
	for (let i = 0; i < Math.min(concurrency, items.length); i++) lanes.push(lane());
	await Promise.all(lanes);

	const out: Array<BulkResult<O>> = new Array(items.length);
	for (let i = 0; i < items.length; i++) {
		out[i] = results[i] ?? {
			ok: false,
			error: unstartedError
				? unstartedError(i)
				: new CancelledError(`Item ${i} was not sent: the run was cancelled before it started`),
		};
	}
	return out;
}
