import type { IExecuteFunctions } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS } from '../../../shared';
import { own, readCollection, toNumber } from '../fields';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY, MAX_TIMEOUT_MS } from './message/sendFields';
import type { PacingSettings } from './pacedRun';
import type { VersionSettings } from './versionSettings';

/** Longest wait budget accepted: one day. */
const MAX_WAIT_BUDGET_MINUTES = 24 * 60;

/** The sends' Options collection: run level, read from the first item. */
export function readSendOptions(ctx: IExecuteFunctions, version: VersionSettings): PacingSettings {
	const options = readCollection(ctx, 'options', 0);
	const budgetMinutes =
		version.waitBudgetMinutes === undefined
			? undefined
			: toNumber(ctx, 'waitBudgetMinutes', 0, own(options, 'waitBudgetMinutes'), {
					fallback: version.waitBudgetMinutes,
					min: 0,
					max: MAX_WAIT_BUDGET_MINUTES,
					whole: false,
				});
	return {
		waitBudgetMs: budgetMinutes === undefined ? undefined : budgetMinutes * 60_000,
		concurrency: toNumber(ctx, 'concurrency', 0, own(options, 'concurrency'), {
			fallback: DEFAULT_CONCURRENCY,
			min: 1,
			max: MAX_CONCURRENCY,
			whole: true,
		}),
		maxRequestsPerSecond: toNumber(
			ctx,
			'maxRequestsPerSecond',
			0,
			own(options, 'maxRequestsPerSecond'),
			{ fallback: 0, min: 0, max: Number.MAX_SAFE_INTEGER, whole: false },
		),
		timeoutMs: toNumber(ctx, 'timeout', 0, own(options, 'timeout'), {
			fallback: DEFAULT_TIMEOUT_MS,
			min: 1,
			max: MAX_TIMEOUT_MS,
			whole: true,
		}),
	};
}
