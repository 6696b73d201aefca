/**
 * The pacing layer: every attempt holds a slot of the account's governor and reports its outcome
 * to it, so that one 429 pauses every request of the account, not just the refused one.
 */
import { IntelliPortalError } from '../errors';
import type { Layer } from '../send';
import type { RateGovernor, RateGovernorOutcome, RunStop } from './governor';

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
