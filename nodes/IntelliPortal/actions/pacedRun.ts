import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { RunControl, bulkLayers, sharedGovernors } from '../../../shared';
import type { IntelliPortalClient, ObservableRateGovernor } from '../../../shared';
import { getIntelliPortalClient } from '../transport/apiClient';
import type { ApiAccount } from '../transport/apiClient';
import { N8nTransport } from '../transport/N8nTransport';
import { cancelSignalOf, listenForCancellation } from './cancellation';

export interface PacingSettings {
	concurrency: number;
	/** 0: no hard cap. */
	maxRequestsPerSecond: number;
	timeoutMs: number;
	/** Undefined: no wait budget. */
	waitBudgetMs?: number;
}

export interface PacedRun {
	client: IntelliPortalClient;
	apiKey: string;
	governor?: ObservableRateGovernor;
	run: RunControl;
	sleep: (ms: number) => Promise<void>;
	now: () => number;
}

/**
 * The account's shared rate governor: runs of the same account (credential + server) and pacing
 * settings in this process share one, so every send of the account is paced together.
 */
function accountGovernor(
	account: ApiAccount,
	clock: { sleep: (ms: number) => Promise<void>; now: () => number },
	{ concurrency, maxRequestsPerSecond }: PacingSettings,
): ObservableRateGovernor {
	return sharedGovernors.governorFor(
		{ ...account, settings: `c=${concurrency};r=${maxRequestsPerSecond}` },
		{
			...clock,
			maxConcurrency: concurrency,
			initialConcurrency: concurrency,
			maxRequestsPerSecond: maxRequestsPerSecond > 0 ? maxRequestsPerSecond : undefined,
		},
	);
}

/**
 * A run of sends: the core's client on the account's governor, stopped by the execution's Stop.
 * `keyPerRun`: the key read once per run goes in each request's header (N8nTransport).
 */
export async function startPacedRun(
	ctx: IExecuteFunctions,
	settings: PacingSettings,
	{ keyPerRun = false } = {},
): Promise<PacedRun> {
	const signal = cancelSignalOf(ctx);
	const abortSignal = signal as IHttpRequestOptions['abortSignal'];
	const transport = new N8nTransport(ctx, { keyPerRun, abortSignal });
	const sleep = async (ms: number) => await transport.sleep(ms);
	const now = () => transport.now();
	const run = new RunControl({ now, waitBudgetMs: settings.waitBudgetMs, signal });
	listenForCancellation(ctx, run);
	const paced: { governor?: ObservableRateGovernor } = {};
	const { client, apiKey } = await getIntelliPortalClient.call(ctx, {
		transport,
		timeoutMs: settings.timeoutMs,
		layers: (account) => {
			paced.governor = accountGovernor(account, { sleep, now }, settings);
			return bulkLayers({ governor: paced.governor, run, sleep });
		},
	});
	return { client, apiKey, governor: paced.governor, run, sleep, now };
}
