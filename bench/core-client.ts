/**
 * Builds the real IntelliPortal core client on the standalone axios transport for the benchmark.
 */
import type { RateGovernor } from '../shared';

/** The part of IntelliPortalClient the benchmark uses (see docs/ARCHITECTURE.md). */
export interface BenchClient {
	sendMessage(input: unknown): Promise<{ id?: string }>;
	listClients(input: { limit?: number; offset?: number }): Promise<unknown>;
	listAllClients(input: { max?: number; pageSize?: number }): Promise<unknown[]>;
	iterateClients(input: { max?: number; pageSize?: number }): AsyncIterable<unknown>;
}

export function createCoreClient(options: {
	apiKey: string;
	baseUrl: string;
	governor?: RateGovernor;
}): BenchClient {
	// Loaded lazily so that the baselines run even where the core is not built yet.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const core = require('../shared/index');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const transports = require('../shared/transports/axios');
	const makeTransport = transports.createAxiosTransport ?? transports.axiosTransport;
	const transport =
		typeof makeTransport === 'function' ? makeTransport() : new transports.AxiosTransport();
	const sleep = (ms: number) => transport.sleep(ms);
	// Paced like the node's bulk sends, or a single call's retry.
	const layers = options.governor
		? core.bulkLayers({ governor: options.governor, sleep })
		: [core.withRetry({ wait: sleep })];
	return new core.IntelliPortalClient({
		apiKey: options.apiKey,
		environment: 'custom',
		baseUrl: options.baseUrl,
		transport,
		layers,
	}) as BenchClient;
}
