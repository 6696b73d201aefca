/**
 * Finding a client: the one set of matching rules every host's client search uses. The API has
 * no server-side search, so clients are matched as they are listed.
 */
import type { IntelliPortalClient } from './apiClient';
import type { Client } from './types';

export interface ClientSearch {
	/**
	 * Free text (a picker's filter box): contained, ignoring case, in the business name, the phone
	 * number ID, the client ID or the WABA ID.
	 */
	text?: string;
	/** Contained in the business name, ignoring case; an exact (case-insensitive) name ranks first. */
	businessName?: string;
	/** The phone number ID, exactly. */
	phoneNumberId?: string;
}

/** Fields the free text looks in. */
const TEXT_FIELDS = ['business_name', 'phone_number_id', 'id', 'waba_id'] as const;

function field(client: Client, name: string): string {
	const value = (client as unknown as Record<string, unknown>)[name];
	return typeof value === 'string'
		? value
		: value === undefined || value === null
			? ''
			: String(value);
}

function contains(haystack: string, needle: string): boolean {
	return haystack.toLowerCase().includes(needle.toLowerCase());
}

/**
 * How well a client matches (0 = exact, 1 = partial; lower ranks first), or undefined when it does
 * not. Every criterion given must hold; blank criteria are ignored, so an empty search matches
 * every client with rank 0.
 */
export function rankClient(client: Client, search: ClientSearch): number | undefined {
	const text = search.text?.trim();
	const name = search.businessName?.trim();
	const phone = search.phoneNumberId?.trim();
	let rank = 0;
	if (phone && field(client, 'phone_number_id') !== phone) return undefined;
	if (text) {
		if (!TEXT_FIELDS.some((key) => contains(field(client, key), text))) return undefined;
		const exact = TEXT_FIELDS.some(
			(key) => field(client, key).toLowerCase() === text.toLowerCase(),
		);
		if (!exact) rank = 1;
	}
	if (name) {
		const have = field(client, 'business_name');
		if (!contains(have, name)) return undefined;
		if (have.toLowerCase() !== name.toLowerCase()) rank = 1;
	}
	return rank;
}

/**
 * Every matching client among the first `maxScanned` the API lists (each client once), best
 * rank first, then in the API's order.
 */
export async function findClients(
	client: IntelliPortalClient,
	search: ClientSearch,
	options: { maxScanned: number; pageSize?: number },
): Promise<Client[]> {
	const matches: Array<{ client: Client; rank: number; index: number }> = [];
	const seen = new Set<string>();
	for await (const item of client.iterateClients({
		pageSize: options.pageSize ?? 100,
		max: options.maxScanned,
	})) {
		const id = String(item.id);
		if (seen.has(id)) continue;
		seen.add(id);
		const rank = rankClient(item, search);
		if (rank !== undefined) matches.push({ client: item, rank, index: matches.length });
	}
	return matches.sort((a, b) => a.rank - b.rank || a.index - b.index).map((m) => m.client);
}
