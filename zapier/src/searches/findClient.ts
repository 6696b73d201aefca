import type { Bundle, ZObject } from 'zapier-platform-core';

import { findClients } from '../../../shared';
import { createClient } from '../apiClient';
import { handled } from '../errors';
import { CLIENT_LABELS } from '../fields';
import { clientOutputFields, clientSample } from '../samples';
import { textInput } from '../util';

/** Upper bound on clients scanned per search, so the search answers inside Zapier's 30 s. */
const MAX_CLIENTS_SCANNED = 5_000;

/** A search term: trimmed text, or undefined when empty; a value that is not text is refused. */
function searchTerm(
	z: ZObject,
	value: unknown,
	key: 'business_name' | 'phone_number_id',
): string | undefined {
	const term = textInput(value);
	if (term !== undefined && typeof term !== 'string') {
		throw new z.errors.Error(
			`${CLIENT_LABELS[key]} (${key}): must be a text value, got ${Array.isArray(term) ? 'a list' : typeof term === 'object' ? 'an object' : `a ${typeof term}`}`,
			'validation_error',
			400,
		);
	}
	return term;
}

const perform = handled(async (z: ZObject, bundle: Bundle) => {
	const name = searchTerm(z, bundle.inputData.business_name, 'business_name');
	const phoneNumberId = searchTerm(z, bundle.inputData.phone_number_id, 'phone_number_id');
	if (name === undefined && phoneNumberId === undefined) {
		throw new z.errors.Error(
			`Fill in ${CLIENT_LABELS.business_name} or ${CLIENT_LABELS.phone_number_id} (or both) to search for a client.`,
			'validation_error',
			400,
		);
	}
	const client = createClient(z, bundle);
	// Zapier uses the first result: exact name matches first, then the API's order.
	return await findClients(
		client,
		{ businessName: name, phoneNumberId },
		{ maxScanned: MAX_CLIENTS_SCANNED },
	);
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
				label: CLIENT_LABELS.business_name,
				required: false,
				helpText:
					'Matches clients whose business name contains this text, ignoring case. An exact name match is returned first.',
			},
			{
				key: 'phone_number_id',
				label: CLIENT_LABELS.phone_number_id,
				required: false,
				helpText: 'Matches the client with exactly this WhatsApp phone number ID.',
			},
		],
		perform,
		sample: clientSample,
		outputFields: clientOutputFields,
	},
};
