/**
 * Lists never stop short (issue 13, point 4): every list path — the core, the n8n node (Get Many
 * with Return All and with Limit, the Client picker) and the Zapier app (Find Client, New Client,
 * the Client dropdown) — returns every client when the server (a) omits `total`, (b) caps its page
 * size below the request, (c) shifts items because clients are added while we page; and a server
 * that answers the same page again or never ends stops the operation with a clear error.
 */
import zapier from 'zapier-platform-core';

import App from '../../zapier/src';
import { IntelliPortalClient } from '../../shared/apiClient';
import { createAxiosTransport } from '../../shared/transports/axios';
import type { EmulatorConfig } from '../../emulator';
import { startEnv, API_KEY } from '../n8n/helpers';
import type { TestEnv } from '../n8n/helpers';

const CLIENTS = 230;
let env: TestEnv;
let seeded: string[];

beforeAll(async () => {
	env = await startEnv();
});
afterAll(async () => env.stop());

beforeEach(() => {
	env.emulator.admin.reset();
	seeded = env.emulator.admin.seedClients(CLIENTS).map((c) => c.id);
});

const quirks: Array<[string, Partial<EmulatorConfig>]> = [
	['no total', { listOmitTotal: 1 }],
	['page cap 50 below the 100 asked, no total', { listOmitTotal: 1, listPageCap: 50 }],
	['page cap 7, with total', { listPageCap: 7 }],
	['3 clients added at the front while paging', { listShiftAfterFirstPage: 3 }],
	[
		'added at the front, capped, no total',
		{ listShiftAfterFirstPage: 3, listPageCap: 40, listOmitTotal: 1 },
	],
];

const core = () =>
	new IntelliPortalClient({
		apiKey: API_KEY,
		baseUrl: env.emulator.baseUrl,
		transport: createAxiosTransport(),
	});
const tester = () => zapier.createAppTester(App);
const authData = () => ({ apiKey: API_KEY, environment: 'custom', baseUrl: env.emulator.baseUrl });
const ids = (items: Array<{ id?: unknown; json?: { id?: unknown } }>) =>
	items.map((i) => String(i.json ? i.json.id : i.id));

describe.each(quirks)('server quirk: %s', (_name, quirk) => {
	beforeEach(() => env.emulator.admin.config(quirk));

	it('core: listAllClients returns every client once', async () => {
		const all = await core().listAllClients();
		expect(ids(all)).toEqual(expect.arrayContaining(seeded));
		expect(new Set(ids(all)).size).toBe(all.length);
	});

	it('n8n: Get Many with Return All returns every client; with Limit 120, 120 distinct', async () => {
		const all = await env.harness.runNode(
			env.actionNode({ resource: 'client', operation: 'getAll', returnAll: true }),
			[{}],
		);
		expect(ids(all.items!)).toEqual(expect.arrayContaining(seeded));
		expect(new Set(ids(all.items!)).size).toBe(all.items!.length);
		const limited = await env.harness.runNode(
			env.actionNode({ resource: 'client', operation: 'getAll', returnAll: false, limit: 120 }),
			[{}],
		);
		expect(new Set(ids(limited.items!)).size).toBe(120);
	});

	it('n8n: the Client picker, scrolled to the end, lists every client', async () => {
		const node = env.actionNode({ resource: 'message', operation: 'send' });
		const listed = new Set<string>();
		let token: string | undefined;
		for (let page = 0; page < 50; page++) {
			const result = await env.harness.listSearch(node, 'searchClients', undefined, token);
			for (const r of result.results) listed.add(String(r.value));
			token = result.paginationToken as string | undefined;
			if (!token) break;
		}
		expect([...listed]).toEqual(expect.arrayContaining(seeded));
	});

	it('Zapier: the Client dropdown, page by page, lists every client; New Client and Find Client see all', async () => {
		const t = tester();
		const listed = new Set<string>();
		for (let page = 0; page < 20; page++) {
			const items = (await t(App.triggers.list_clients.operation.perform, {
				authData: authData(),
				meta: { page },
			})) as Array<{ id: string }>;
			if (items.length === 0) break;
			for (const item of items) listed.add(item.id);
		}
		expect([...listed]).toEqual(expect.arrayContaining(seeded));
		const polled = (await t(App.triggers.new_client.operation.perform, {
			authData: authData(),
		})) as Array<{ id: string }>;
		expect(ids(polled)).toEqual(expect.arrayContaining(seeded.slice(-50)));
		const last = env.emulator.admin.clients().find((c) => c.id === seeded[CLIENTS - 1])!;
		const found = (await t(App.searches.find_client.operation.perform, {
			authData: authData(),
			inputData: { phone_number_id: last.phone_number_id },
		})) as Array<{ id: string }>;
		expect(found.map((c) => c.id)).toContain(last.id);
	});
});

describe('servers that would make a list loop or truncate stop it with a clear error', () => {
	it('same page again (offset ignored): core, n8n and Zapier fail, naming the cause', async () => {
		env.emulator.admin.config({ listIgnoreOffset: 1, listPageCap: 50 });
		await expect(core().listAllClients()).rejects.toThrow(/ignore offset/);
		const run = await env.harness.runNode(
			env.actionNode({ resource: 'client', operation: 'getAll', returnAll: true }),
			[{}],
		);
		expect(String(run.error?.message ?? '') + String(run.error?.description ?? '')).toMatch(
			/ignore offset/,
		);
		await expect(
			tester()(App.searches.find_client.operation.perform, {
				authData: authData(),
				inputData: { business_name: 'Nobody' },
			}),
		).rejects.toThrow(/ignore offset/);
	});

	it('a list that never ends stops after its page budget instead of looping', async () => {
		env.emulator.admin.config({ listEndless: 1 });
		await expect(core().listAllClients({ maxPages: 20 })).rejects.toThrow(
			/did not end after 20 pages/,
		);
		// Limit still works against such a server: it asks only for what it needs
		expect(await core().listAllClients({ max: 250 })).toHaveLength(250);
	});
});
