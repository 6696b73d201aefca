/**
 * Zapier's New Client on a big account (issue 13, point 5): in an account of 50 000 clients
 * (the emulator lists oldest first), a newly onboarded client triggers in the next poll, with a
 * bounded number of requests per poll, whether or not the server sends `total`. Times per poll
 * are measured by `npm run bench -- --case new-client` (README), never asserted here.
 */
import type { RunningEmulator } from '../../emulator';
import { NEWEST_CLIENTS_PER_POLL } from '../../shared/newestClients';
import App from '../../zapier/src';
import { appTester, authData, emulator } from './helpers';

const ACCOUNT = 50_000;
let emu: RunningEmulator;
const tester = appTester();

beforeAll(async () => {
	emu = await emulator({ seedClients: ACCOUNT });
}, 60_000);
afterAll(async () => emu?.stop());

const listRequests = () =>
	Object.values(emu.admin.counters().byRoute['GET /v1/clients'] ?? {}).reduce((a, b) => a + b, 0);

async function poll(): Promise<{ ids: string[]; requests: number }> {
	const before = listRequests();
	const result = (await tester(App.triggers.new_client.operation.perform, {
		authData: authData(emu),
	})) as Array<{ id: string }>;
	return { ids: result.map((c) => c.id), requests: listRequests() - before };
}

let onboarded = 0;
async function onboard(): Promise<string> {
	const created = (await tester(App.creates.onboard_client.operation.perform, {
		authData: authData(emu),
		inputData: {
			business_name: `Scale Newcomer ${++onboarded}`,
			phone_number_id: String(8_800_000_000 + onboarded),
		},
	})) as { id: string };
	return created.id;
}

/**
 * The most requests one poll may make, from shared/newestClients.ts's documented steps for a
 * list that is oldest first (its first page's dates tell): the first page; without `total`, the
 * probes for the end (offsets doubling from 2 pages until one is empty, then halving the gap
 * down to one page); the tail, the last NEWEST_CLIENTS_PER_POLL positions plus up to one page
 * (the probed end is known to one page) and the page that shows the end.
 */
function requestBound(clients: number, page: number, total: boolean): number {
	const tail = Math.ceil(NEWEST_CLIENTS_PER_POLL / page);
	if (total) return 1 + tail;
	const doublings = Math.ceil(Math.log2(clients / (2 * page)));
	const probes = doublings + 1 + doublings;
	return 1 + probes + tail + 2;
}

describe.each([
	['the server sends total', { listOmitTotal: 0, listPageCap: 0 }, 100, true],
	['the server sends no total', { listOmitTotal: 1, listPageCap: 0 }, 100, false],
	['no total and pages capped at 50', { listOmitTotal: 1, listPageCap: 50 }, 50, false],
])('New Client on %s, 50 000 clients', (_label, quirk, page, total) => {
	const maxRequests = requestBound(ACCOUNT + 1, page, total);
	beforeAll(() => emu.admin.config(quirk));
	afterAll(() => emu.admin.config({ listOmitTotal: 0, listPageCap: 0 }));

	it(`a client onboarded after the first poll comes first in the next one; at most ${maxRequests} requests a poll`, async () => {
		// The premise of the bound: the first page's dates show the list is oldest first.
		const firstPage = emu.admin.clients().slice(0, page);
		expect(Date.parse(firstPage[0].created_at)).toBeLessThan(
			Date.parse(firstPage[page - 1].created_at),
		);
		const first = await poll();
		expect(first.requests).toBeLessThanOrEqual(maxRequests);
		const newcomer = await onboard();
		expect(first.ids).not.toContain(newcomer);
		const next = await poll();
		expect(next.ids[0]).toBe(newcomer);
		expect(next.requests).toBeLessThanOrEqual(maxRequests);
		// the clients onboarded just before it are there too (Zapier's dedupe knows them already)
		const newestSeeded = emu.admin
			.clients()
			.slice(-400)
			.map((c) => c.id);
		expect(next.ids).toEqual(expect.arrayContaining(newestSeeded));
	});
});
