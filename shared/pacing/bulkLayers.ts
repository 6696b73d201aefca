import { PACED_THROTTLE_BUDGET_MS, withRetry } from '../retry';
import type { RetryPolicy } from '../retry';
import type { Layer } from '../send';
import { withPacing } from './pace';
import type { RateGovernor } from './pace';
import { withRunControl } from './run';
import type { RunControl } from './run';

export interface BulkLayersOptions {
	/** The account's governor, shared by every request of the run. */
	governor: RateGovernor;
	/** The run's wait budget and Stop. */
	run?: RunControl;
	/** The host's timer. */
	sleep: (ms: number) => Promise<void>;
	retry?: Partial<RetryPolicy>;
}

/**
 * The layers of a paced bulk request, outermost first: retry, pacing, run control. Pacing inside
 * retry, so the governor sees every attempt and a 429 pauses the account before the retry waits;
 * run control innermost, so only a request that really left ends as may-have-been-sent on Stop.
 */
export function bulkLayers({ governor, run, sleep, retry }: BulkLayersOptions): Layer[] {
	// In a paced run a 429 is the pacing working: items get a time budget, not an attempt cap.
	const policy = {
		...retry,
		throttleBudgetMs: retry?.throttleBudgetMs ?? PACED_THROTTLE_BUDGET_MS,
	};
	return [
		withRetry({ policy, wait: run ? run.retryWait(sleep) : sleep }),
		withPacing(governor, run),
		...(run ? [withRunControl(run)] : []),
	];
}
