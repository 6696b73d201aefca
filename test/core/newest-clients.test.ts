/**
 * readNewestClients (shared/newestClients.ts) against in-memory servers of every shape the
 * contract allows: oldest or newest first, with or without `total`, capped pages, and the ones
 * that must fail (offset ignored, a list that never ends). Requests are counted per call.
 */
import {
	MAX_PROBED_POSITION,
	NEWEST_CLIENTS_PER_POLL,
	readNewestClients,
} from '../../shared/newestClients';
import type { Client, ClientPage } from '../../shared/types';

const T0 = Date.parse('2026-01-01T00:00:00Z');

/** n clients, client i created at T0 + i seconds (so higher i = newer). */
function clients(n: number): Client[] {
	return Array.from({ length: n }, (_, i) => ({
		id: `cl_${i}`,
		business_name: `Business ${i}`,
		phone_number_id: String(1_000_000 + i),
		status: 'active',
		created_at: new Date(T0 + i * 1000).toISOString(),
	}));
}

function server(
	list: Client[],
	quirks: {
		order?: 'oldest' | 'newest';
		total?: boolean;
		cap?: number;
		ignoreOffset?: boolean;
		endless?: boolean;
	} = {},
) {
	const calls: Array<{ limit: number; offset: number }> = [];
	const ordered = quirks.order === 'newest' ? [...list].reverse() : list;
	return {
		calls,
		async listClients({
			limit = 20,
			offset = 0,
		}: {
			limit?: number;
			offset?: number;
		}): Promise<ClientPage> {
			calls.push({ limit, offset });
			const size = Math.min(limit, quirks.cap ?? limit);
			const from = quirks.ignoreOffset ? 0 : offset;
			const items = quirks.endless
				? Array.from({ length: size }, (_, i) => ({ ...list[0], id: `cl_endless_${from + i}` }))
				: ordered.slice(from, from + size);
			const total = quirks.total === false || quirks.endless ? undefined : ordered.length;
			const hasMore =
				total !== undefined ? from + items.length < total && items.length > 0 : items.length > 0;
			return {
				items,
				limit: size,
				offset: from,
				hasMore,
				...(total !== undefined ? { total } : {}),
			};
		},
	};
}

const ids = (list: Client[]) => list.map((c) => c.id);
/** The ids of the newest k of n clients, newest first. */
const newest = (n: number, k: number) =>
	Array.from({ length: Math.min(n, k) }, (_, i) => `cl_${n - 1 - i}`);

describe('readNewestClients', () => {
	it.each([
		['oldest first, with total', { order: 'oldest' as const }],
		['newest first, with total', { order: 'newest' as const }],
		['oldest first, no total', { order: 'oldest' as const, total: false }],
		['newest first, no total', { order: 'newest' as const, total: false }],
		[
			'oldest first, no total, pages capped at 7',
			{ order: 'oldest' as const, total: false, cap: 7 },
		],
		['oldest first, with total, pages capped at 50', { order: 'oldest' as const, cap: 50 }],
	])('%s: the newest clients come first, each once', async (_label, quirks) => {
		for (const n of [1, 99, 100, 101, 600, 50_000]) {
			const api = server(clients(n), quirks);
			const result = await readNewestClients(api);
			expect(ids(result).slice(0, Math.min(n, NEWEST_CLIENTS_PER_POLL))).toEqual(
				newest(n, NEWEST_CLIENTS_PER_POLL),
			);
			expect(new Set(ids(result)).size).toBe(result.length);
		}
	});

	it('with total: 1 + count/page requests whatever the size (6 at 50 000 and at 500 000)', async () => {
		for (const n of [50_000, 500_000]) {
			const api = server(clients(n));
			await readNewestClients(api);
			expect(api.calls).toHaveLength(6);
			expect(api.calls.map((c) => c.offset)).toEqual([
				0,
				n - 500,
				n - 400,
				n - 300,
				n - 200,
				n - 100,
			]);
		}
	});

	it('without total: the end is found in O(log n) one-client probes', async () => {
		const counts: Record<number, number> = {};
		for (const n of [1_000, 50_000, 200_000]) {
			const api = server(clients(n), { total: false });
			const result = await readNewestClients(api);
			expect(ids(result).slice(0, 500)).toEqual(newest(n, 500));
			counts[n] = api.calls.length;
		}
		// 1 head + 9 doublings + 8 halvings + 6 tail pages + 1 empty page at 50 000; 4x the
		// clients costs 4 more probes
		expect(counts[50_000]).toBe(25);
		expect(counts[200_000]).toBe(29);
	});

	it('newest first: the first 500 positions, no probing (5 requests)', async () => {
		const api = server(clients(50_000), { order: 'newest', total: false });
		const result = await readNewestClients(api);
		expect(ids(result).slice(0, 500)).toEqual(newest(50_000, 500));
		expect(api.calls.map((c) => c.offset)).toEqual([0, 100, 200, 300, 400]);
	});

	it('dates that do not tell the order: both ends are read', async () => {
		const list = clients(1_000).map((c) => ({ ...c, created_at: 'unknown' }));
		const api = server(list);
		const result = await readNewestClients(api);
		expect(ids(result)).toEqual(expect.arrayContaining(['cl_0', 'cl_499', 'cl_500', 'cl_999']));
		expect(api.calls).toHaveLength(10);
	});

	it('a server that ignores offset fails with a clear error instead of giving the first page as the newest', async () => {
		await expect(
			readNewestClients(server(clients(500), { total: false, ignoreOffset: true })),
		).rejects.toThrow(/ignore offset/);
	});

	it('a list that never ends fails after a bounded number of probes', async () => {
		const api = server(clients(1), { endless: true });
		await expect(readNewestClients(api)).rejects.toThrow(
			new RegExp(`did not end within ${MAX_PROBED_POSITION} clients`),
		);
		expect(api.calls.length).toBeLessThanOrEqual(Math.log2(MAX_PROBED_POSITION) + 1);
	});

	it('an empty account: one request, nothing returned', async () => {
		const api = server([]);
		expect(await readNewestClients(api)).toEqual([]);
		expect(api.calls).toHaveLength(1);
	});
});
