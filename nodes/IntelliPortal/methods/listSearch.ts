import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { rankClient } from '../../../shared';
import { toNodeError } from '../errors';
import { getIntelliPortalClient } from '../transport/apiClient';

const PAGE_SIZE = 50;
/** With a filter, scan a few pages per call so a match further down still shows up quickly. */
const MAX_PAGES_PER_SEARCH = 5;
const MIN_FILTERED_RESULTS = 10;

/**
 * "From list" mode of the Client parameter: GET /clients page by page (the token is the next
 * offset), filtered by the core's client search (rankClient), as Zapier's Find Client is.
 */
export async function searchClients(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { client, apiKey } = await getIntelliPortalClient.call(this);
	const trimmedFilter = (filter ?? '').trim();
	let offset = Number.parseInt(paginationToken ?? '0', 10);
	if (!Number.isFinite(offset) || offset < 0) offset = 0;

	const results: INodeListSearchResult['results'] = [];
	let hasMore = false;
	try {
		for (let pages = 0; pages < MAX_PAGES_PER_SEARCH; pages++) {
			const page = await client.listClients({ limit: PAGE_SIZE, offset });
			for (const entry of page.items) {
				if (rankClient(entry, { text: trimmedFilter }) === undefined) continue;
				const name = String(entry.business_name ?? entry.id);
				const phone = entry.phone_number_id ? ` (${String(entry.phone_number_id)})` : '';
				results.push({ name: `${name}${phone}`, value: String(entry.id) });
			}
			offset += page.items.length;
			hasMore = page.hasMore && page.items.length > 0;
			if (!hasMore || !trimmedFilter || results.length >= MIN_FILTERED_RESULTS) break;
		}
	} catch (error) {
		throw toNodeError(this.getNode(), error, 0, apiKey);
	}
	return { results, paginationToken: hasMore ? String(offset) : undefined };
}
