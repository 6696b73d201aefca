import type { Bundle, ZObject } from 'zapier-platform-core';

import { readNewestClients } from '../../../shared';
import type { Client } from '../../../shared';
import { createClient } from '../apiClient';
import { handled } from '../errors';
import { clientOutputFields, clientSample } from '../samples';

/**
 * The newest clients, newest first, each id once: the first page of the list and its last 500
 * positions, in a bounded number of requests whatever the account's size (the core's
 * readNewestClients: 6 requests with `total`, ~25 at 50 000 clients without it). Zapier
 * deduplicates on `id`: the first poll seeds its table, later polls trigger on new ids only.
 */
export async function newestClients(z: ZObject, bundle: Bundle): Promise<Client[]> {
	return await readNewestClients(createClient(z, bundle));
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
