/**
 * The newest clients in a bounded number of requests, for a polling trigger that must answer
 * within the host's time limit (Zapier: 30 s) however large the account and whichever order the
 * server lists in. The strategy (first page tells the order, tail read or probed) is in ARCHITECTURE.md.
 */
import { ServerError } from './errors';
import type { Client, ClientPage } from './types';
import { CLIENTS_MAX_PAGE_SIZE } from './validation';

/** Newest clients read from the end of the list per poll (plus the first page). */
export const NEWEST_CLIENTS_PER_POLL = 500;
/** Probing for the end of a list without `total` gives up beyond this many clients. */
export const MAX_PROBED_POSITION = 2 ** 31;

/** What readNewestClients needs of the client: one page of the list. */
export interface ClientPageReader {
	listClients(options: { limit?: number; offset?: number }): Promise<ClientPage>;
}

export interface NewestClientsOptions {
	/** How many positions at the end of the list to read (default NEWEST_CLIENTS_PER_POLL). */
	count?: number;
	/** Page size asked for (1..100, default 100). */
	pageSize?: number;
	/** Tail pages at most (default: enough for `count` at 5 clients a page, plus 10). */
	maxPages?: number;
}

function listError(message: string): ServerError {
	return new ServerError(`Unexpected response from IntelliPortal: ${message}.`, {
		httpStatus: 200,
		code: 'unexpected_response',
		mayHaveBeenSent: false,
	});
}

function createdAtMs(client: Client): number {
	const t = Date.parse(String((client as { created_at?: unknown }).created_at ?? ''));
	return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/** The newest clients, newest first, each id once (see the decisions above). */
export async function readNewestClients(
	client: ClientPageReader,
	options: NewestClientsOptions = {},
): Promise<Client[]> {
	const count = Math.max(1, Math.floor(options.count ?? NEWEST_CLIENTS_PER_POLL));
	const pageSize = Math.min(
		CLIENTS_MAX_PAGE_SIZE,
		Math.max(1, Math.floor(options.pageSize ?? CLIENTS_MAX_PAGE_SIZE)),
	);
	const maxPages = options.maxPages ?? Math.ceil(count / 5) + 10;

	const head = await client.listClients({ limit: pageSize, offset: 0 });
	if (head.items.length === 0) return [];
	const firstId = head.items[0].id;

	/** True when position `offset` exists (a one-client page there is not empty). */
	const exists = async (offset: number): Promise<boolean> => {
		const page = await client.listClients({ limit: 1, offset });
		if (page.items.length > 0 && page.items[0].id === firstId) {
			throw listError(
				`the server answered offset ${offset} with the first client again (it seems to ignore offset); New Client cannot find the newest clients`,
			);
		}
		return page.items.length > 0;
	};

	// Which end holds the newest: the first page's dates tell when they differ.
	const firstT = createdAtMs(head.items[0]);
	const lastT = createdAtMs(head.items[head.items.length - 1]);
	const newestFirst = firstT > lastT;
	const oldestFirst = firstT < lastT;

	/** Pages from `from` on, until `enough(read)` or the end of the list (bounded by maxPages). */
	const readFrom = async (from: number, enough: (read: number) => boolean): Promise<Client[]> => {
		const read: Client[] = [];
		let at = from;
		for (let pages = 0; !enough(read.length); pages++) {
			if (pages >= maxPages) {
				throw listError(
					`the client list did not end after ${maxPages} pages from position ${from}; New Client stopped`,
				);
			}
			const page = await client.listClients({ limit: pageSize, offset: at });
			read.push(...page.items);
			if (page.items.length === 0 || !page.hasMore) break;
			at += page.items.length;
		}
		return read;
	};

	const found: Client[] = [...head.items];
	if (head.hasMore && !oldestFirst) {
		// newest first (or unknown): the rest of the first `count` positions
		found.push(...(await readFrom(head.items.length, (read) => head.items.length + read >= count)));
	}
	if (head.hasMore && !newestFirst) {
		// oldest first (or unknown): the last `count` positions, read to the end of the list
		found.push(...(await readFrom(await tailStart(), () => false)));
	}

	/** Where the last `count` positions start: from `total`, or found by probing. */
	async function tailStart(): Promise<number> {
		if (head.total !== undefined) return Math.max(head.items.length, head.total - count);
		let lo = head.items.length - 1; // exists
		let hi = Math.max(2, head.items.length * 2);
		while (await exists(hi)) {
			lo = hi;
			hi *= 2;
			if (hi > MAX_PROBED_POSITION) {
				throw listError(
					`the client list did not end within ${MAX_PROBED_POSITION} clients; New Client stopped`,
				);
			}
		}
		// lo exists, hi does not: narrow the gap to one page
		while (hi - lo > pageSize) {
			const mid = Math.floor((lo + hi) / 2);
			if (await exists(mid)) lo = mid;
			else hi = mid;
		}
		// the end E is in (lo, hi]: starting at lo + 1 - count covers the last `count` positions
		return Math.max(head.items.length, lo + 1 - count);
	}

	const unique = new Map<string, Client>();
	for (const item of found) if (!unique.has(item.id)) unique.set(item.id, item);
	// Stable: equal or missing dates keep server order (head before tail).
	return [...unique.values()]
		.map((item, index) => ({ item, index, t: createdAtMs(item) }))
		.sort((a, b) => (b.t === a.t ? a.index - b.index : b.t > a.t ? 1 : -1))
		.map(({ item }) => item);
}
