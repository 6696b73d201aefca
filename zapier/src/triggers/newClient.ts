import type { Bundle, ZObject } from 'zapier-platform-core';

import type { Client } from '../../../shared';
import { createClient } from '../client';
import { handled } from '../errors';
import { clientOutputFields, clientSample } from '../samples';

/** Upper bound per poll, so a very large account still answers inside Zapier's 30 s. */
export const MAX_CLIENTS_PER_POLL = 5_000;
const PAGE_SIZE = 100;

function createdAtMs(client: Client): number {
	const t = Date.parse(String((client as { created_at?: unknown }).created_at ?? ''));
	return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/**
 * All clients, newest first, each id once. Zapier deduplicates on `id`, so the whole list is
 * returned (the first poll seeds the dedupe table; later polls trigger only on new ids).
 */
export async function newestClients(z: ZObject, bundle: Bundle): Promise<Client[]> {
	const client = createClient(z, bundle);
	const seen = new Set<string>();
	const unique: Client[] = [];
	for await (const item of client.iterateClients({
		pageSize: PAGE_SIZE,
		max: MAX_CLIENTS_PER_POLL,
	})) {
		const id = String(item.id);
		if (seen.has(id)) continue; // offset paging can repeat an item when clients are added mid-poll
		seen.add(id);
		unique.push(item);
	}
	// Stable sort: clients without a parsable created_at keep their server order, after the dated ones.
	return unique
		.map((item, index) => ({ item, index, t: createdAtMs(item) }))
		.sort((a, b) => (b.t === a.t ? a.index - b.index : b.t > a.t ? 1 : -1))
		.map(({ item }) => item);
}

export default {
	key: 'new_client',
	noun: 'Client',
	display: {
		label: 'New Client',
		description:
			'Triggers when a new client (business) is onboarded to your IntelliPortal partner account.',
	},
	operation: {
		type: 'polling' as const,
		perform: handled(newestClients),
		sample: clientSample,
		outputFields: clientOutputFields,
	},
};
