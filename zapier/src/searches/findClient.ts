import type { Bundle, ZObject } from 'zapier-platform-core';

import type { Client } from '../../../shared';
import { createClient } from '../client';
import { handled } from '../errors';
import { clientOutputFields, clientSample } from '../samples';
import { textInput } from '../util';

/** Upper bound on clients scanned per search, so the search answers inside Zapier's 30 s. */
export const MAX_CLIENTS_SCANNED = 5_000;

/**
 * Rank of a client for the search (lower is better), or undefined when it does not match.
 * Phone number ID must match exactly; business name matches case-insensitively as a substring,
 * an exact (case-insensitive) name ranking ahead of a partial one. Both criteria must hold when
 * both are given.
 */
export function matchRank(
	client: Client,
	name?: string,
	phoneNumberId?: string,
): number | undefined {
	if (phoneNumberId !== undefined && String(client.phone_number_id ?? '') !== phoneNumberId)
		return undefined;
	if (name === undefined) return 0;
	const have = String(client.business_name ?? '').toLocaleLowerCase();
	const want = name.toLocaleLowerCase();
	if (have === want) return 0;
	return have.includes(want) ? 1 : undefined;
}

/** A search term: trimmed text, or undefined when empty; a value that is not text is refused. */
function searchTerm(z: ZObject, value: unknown, key: string, label: string): string | undefined {
	const term = textInput(value);
	if (term !== undefined && typeof term !== 'string') {
		throw new z.errors.Error(
			`${label} (${key}): must be a text value, got ${Array.isArray(term) ? 'a list' : typeof term === 'object' ? 'an object' : `a ${typeof term}`}`,
			'validation_error',
			400,
		);
	}
	return term;
}

const perform = handled(async (z: ZObject, bundle: Bundle) => {
	const name = searchTerm(z, bundle.inputData.business_name, 'business_name', 'Business Name');
	const phoneNumberId = searchTerm(
		z,
		bundle.inputData.phone_number_id,
		'phone_number_id',
		'Phone Number ID',
	);
	if (name === undefined && phoneNumberId === undefined) {
		throw new z.errors.Error(
			'Fill in Business Name or Phone Number ID (or both) to search for a client.',
			'validation_error',
			400,
		);
	}
	const client = createClient(z, bundle);
	const matches: Array<{ client: Client; rank: number; index: number }> = [];
	const seen = new Set<string>();
	let index = 0;
	for await (const item of client.iterateClients({ pageSize: 100, max: MAX_CLIENTS_SCANNED })) {
		const id = String(item.id);
		if (seen.has(id)) continue;
		seen.add(id);
		const rank = matchRank(item, name, phoneNumberId);
		if (rank !== undefined) matches.push({ client: item, rank, index: index++ });
	}
	// Zapier uses the first result: exact name matches first, then server order.
	return matches.sort((a, b) => a.rank - b.rank || a.index - b.index).map((m) => m.client);
});

export default {
	key: 'find_client',
	noun: 'Client',
	display: {
		label: 'Find Client',
		description:
			'Finds an onboarded client by business name (case-insensitive, partial match) or by phone number ID.',
	},
	operation: {
		inputFields: [
			{
				key: 'business_name',
				label: 'Business Name',
				required: false,
				helpText:
					'Matches clients whose business name contains this text, ignoring case. An exact name match is returned first.',
			},
			{
				key: 'phone_number_id',
				label: 'Phone Number ID',
				required: false,
				helpText: 'Matches the client with exactly this WhatsApp phone number ID.',
			},
		],
		perform,
		sample: clientSample,
		outputFields: clientOutputFields,
	},
};
