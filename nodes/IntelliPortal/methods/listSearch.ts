import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { toNodeError } from '../errors';
import { getIntelliPortalClient } from '../transport/client';

const PAGE_SIZE = 50;
/** With a filter, scan a few pages per call so a match further down still shows up quickly. */
const MAX_PAGES_PER_SEARCH = 5;
const MIN_FILTERED_RESULTS = 10;

function matches(client: Record<string, unknown>, filter: string): boolean {
	const needle = filter.toLowerCase();
	return ['business_name', 'phone_number_id', 'id', 'waba_id'].some((key) => {
		const value = client[key];
		return typeof value === 'string' && value.toLowerCase().includes(needle);
	});
}

/**
 * "From list" mode of the Client parameter: pages through GET /clients via the core, the
 * pagination token being the next offset. The API has no server-side search, so the filter
 * (business name, phone number ID or client ID) is applied to each fetched page.
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
				const record = entry as unknown as Record<string, unknown>;
				if (trimmedFilter && !matches(record, trimmedFilter)) continue;
				const name = String(record.business_name ?? record.id);
				const phone = record.phone_number_id ? ` (${String(record.phone_number_id)})` : '';
				results.push({ name: `${name}${phone}`, value: String(record.id) });
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
