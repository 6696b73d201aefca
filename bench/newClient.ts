/**
 * `--case new-client`: Zapier's New Client trigger on a big account. The emulator (a separate
 * process, with latency) is seeded with --clients (default 50 000); per server shape, the
 * trigger polls once (Zapier's first poll, which seeds its dedupe table), a client is onboarded,
 * and it polls again: requests and wall time per poll, and whether the new client came first.
 * The trigger as it was before (the first 5 000 clients in server order, 100 a page) runs
 * beside it on the same emulator.
 */
import zapier from 'zapier-platform-core';

import { IntelliPortalClient, withRetry } from '../shared';
import type { Client } from '../shared';
import { createAxiosTransport } from '../shared/transports/axios';
import App from '../zapier/src';
import { BENCH_API_KEY } from './cases';
import type { EmulatorProcess } from './emulator-process';

export interface NewClientRow {
	variant: string;
	server: string;
	clients: number;
	firstPoll: { requests: number; ms: number; returned: number };
	nextPoll: {
		requests: number;
		ms: number;
		returned: number;
		newClientFirst: boolean;
		newClientFound: boolean;
	};
}

export interface NewClientResult {
	clients: number;
	latencyMs: number;
	rows: NewClientRow[];
}

const SHAPES: Array<{ server: string; config: Record<string, number> }> = [
	{ server: 'sends total', config: { listOmitTotal: 0, listPageCap: 0 } },
	{ server: 'no total', config: { listOmitTotal: 1, listPageCap: 0 } },
	{ server: 'no total, page cap 50', config: { listOmitTotal: 1, listPageCap: 50 } },
];

async function listRequests(emulator: EmulatorProcess): Promise<number> {
	const byStatus = (await emulator.counters()).byRoute['GET /v1/clients'] ?? {};
	return Object.values(byStatus).reduce((sum, n) => sum + n, 0);
}

export async function runNewClientCase(
	emulator: EmulatorProcess,
	params: { clients: number; latencyMs: number },
): Promise<NewClientResult> {
	const transport = createAxiosTransport();
	const core = new IntelliPortalClient({
		apiKey: BENCH_API_KEY,
		baseUrl: emulator.baseUrl,
		transport,
		layers: [withRetry({ wait: (ms) => transport.sleep(ms) })],
	});
	const appTester = zapier.createAppTester(App);
	const bundle = {
		authData: { apiKey: BENCH_API_KEY, environment: 'custom', baseUrl: emulator.baseUrl },
	};
	const variants: Array<{ variant: string; poll: () => Promise<Client[]> }> = [
		{
			variant: 'New Client (this version)',
			poll: async () =>
				(await appTester(App.triggers.new_client.operation.perform, bundle)) as Client[],
		},
		{
			variant: 'as before: first 5 000 in server order',
			poll: async () => {
				const all: Client[] = [];
				for await (const c of core.iterateClients({ pageSize: 100, max: 5_000 })) all.push(c);
				return all;
			},
		},
	];
	await emulator.reset();
	await emulator.config({ latencyMs: 0, rateLimitRps: 0, statusStepMs: 0 });
	await emulator.seedClients(params.clients);
	const rows: NewClientRow[] = [];
	let onboarded = 0;
	for (const shape of SHAPES) {
		for (const { variant, poll } of variants) {
			await emulator.config({ latencyMs: 0, ...shape.config });
			const timed = async () => {
				const before = await listRequests(emulator);
				const started = performance.now();
				const result = await poll();
				const ms = performance.now() - started;
				return { result, ms: Math.round(ms), requests: (await listRequests(emulator)) - before };
			};
			await emulator.config({ latencyMs: params.latencyMs });
			const first = await timed();
			await emulator.config({ latencyMs: 0 });
			const added = await core.onboardClient({
				business_name: `Bench New Client ${++onboarded}`,
				phone_number_id: String(7_700_000_000 + onboarded),
			});
			await emulator.config({ latencyMs: params.latencyMs });
			const next = await timed();
			rows.push({
				variant,
				server: shape.server,
				clients: params.clients + onboarded,
				firstPoll: { requests: first.requests, ms: first.ms, returned: first.result.length },
				nextPoll: {
					requests: next.requests,
					ms: next.ms,
					returned: next.result.length,
					newClientFirst: next.result[0]?.id === added.id,
					newClientFound: next.result.some((c) => c.id === added.id),
				},
			});
			const r = rows[rows.length - 1];
			process.stderr.write(
				`  ${variant} / ${shape.server}: ${r.nextPoll.requests} requests, ${r.nextPoll.ms} ms, new client ${r.nextPoll.newClientFound ? 'found' : 'MISSED'}\n`,
			);
		}
	}
	await emulator.config({ latencyMs: 0, listOmitTotal: 0, listPageCap: 0 });
	return { clients: params.clients, latencyMs: params.latencyMs, rows };
}

export function newClientTable(r: NewClientResult): string {
	return [
		`New Client on an account of ${r.clients} clients (emulator in its own process, ${r.latencyMs} ms latency per request; the poll after a client was onboarded):`,
		'',
		'| Trigger | Server | Requests per poll | Time per poll | Clients returned | New client triggers |',
		'| --- | --- | ---: | ---: | ---: | --- |',
		...r.rows.map(
			(row) =>
				`| ${row.variant} | ${row.server} | ${row.nextPoll.requests} | ${(row.nextPoll.ms / 1000).toFixed(2)} s | ${row.nextPoll.returned} | ${row.nextPoll.newClientFirst ? 'yes, first' : row.nextPoll.newClientFound ? 'yes' : 'no'} |`,
		),
	].join('\n');
}
