/**
 * The pacing layer: every attempt holds a slot of the account's governor and reports its outcome
 * to it, so that one 429 pauses every request of the account, not just the refused one.
 */
import { IntelliPortalError } from '../errors';
import type { Layer } from '../send';

/** What an attempt tells the governor. */
export interface RateGovernorOutcome {
	/** HTTP status, or undefined when there was no response. */
	status?: number;
	/** The server's Retry-After in ms, when it sent one. */
	retryAfterMs?: number;
}

/** Holds a slot from `acquire` until `release` for every attempt (governor.ts). */
export interface RateGovernor {
	/** Resolves when a request may start; rejects with the run's error when `run` stops first. */
	acquire(run?: RunStop): Promise<void>;
	release(outcome: RateGovernorOutcome): void;
}

/** What the governor's queue needs of a run (run.ts): its Stop and its wait budget. */
export interface RunStop {
	readonly stopped: boolean;
	/** Calls `listener` once when the run stops; returns the unsubscribe. */
	onStop(listener: () => void): () => void;
	stopError(): unknown;
	/** True when waiting `ms` more on the server's refusal would overspend the budget. */
	exceedsBudget(ms: number): boolean;
	chargeWait(ms: number): void;
	/** The budget is spent: the run starts nothing new. */
	readonly expired: boolean;
	budgetError(retryAfterMs?: number): unknown;
}

/** `run`: a stopped run or a spent budget ends the wait for a slot (governor.ts). */
export function withPacing(governor: RateGovernor, run?: RunStop): Layer {
	return (next) => async (request) => {
		await governor.acquire(run);
		const outcome: RateGovernorOutcome = {};
		try {
			return await next(request).then(
				(answer) => {
					outcome.status = answer.status;
					return answer;
				},
				(error: unknown) => {
					if (error instanceof IntelliPortalError && error.httpStatus !== undefined) {
						outcome.status = error.httpStatus;
						const retryAfterMs = (error as { retryAfterMs?: number }).retryAfterMs;
						if (retryAfterMs !== undefined) outcome.retryAfterMs = retryAfterMs;
					}
					return Promise.reject(error);
				},
			);
		} finally {
			try {
				governor.release(outcome);
			} catch {
				// A governor must never turn a result into a failure.
			}
		}
	};
}
