import type { Bundle, ZObject } from 'zapier-platform-core';

import { createClient } from '../apiClient';
import { handled } from '../errors';
import { clientOutputFields, clientSample } from '../samples';

/** Page size for the dropdown; Zapier asks for the next page (bundle.meta.page + 1) on scroll. */
export const DROPDOWN_PAGE_SIZE = 50;

const perform = handled(async (z: ZObject, bundle: Bundle) => {
	const client = createClient(z, bundle);
	const page = Number.isInteger(bundle.meta?.page) && bundle.meta.page > 0 ? bundle.meta.page : 0;
	const offset = page * DROPDOWN_PAGE_SIZE;
	// A page past any real account (and past exact integers) is simply empty: no request.
	if (!Number.isSafeInteger(offset)) return [];
	// positions offset…offset+50 of the list, however small the server's pages are (a page of
	// fewer than 50 must not make the next dropdown page skip clients)
	return client.readClientRange(offset, DROPDOWN_PAGE_SIZE);
});

/** Hidden trigger that feeds the "Client" dropdown of the creates (`list_clients.id.business_name`). */
export default {
	key: 'list_clients',
	noun: 'Client',
	display: {
		label: 'List Clients',
		description: 'Lists onboarded clients for the Client dropdown.',
		hidden: true,
	},
	operation: {
		type: 'polling' as const,
		canPaginate: true,
		perform,
		sample: clientSample,
		outputFields: clientOutputFields,
	},
};
