import type { Bundle, ZObject } from 'zapier-platform-core';

import type { ClientSignupInput } from '../../../shared';
import { createClient } from '../apiClient';
import { handled } from '../errors';
import { CLIENT_LABELS, labelsByPath } from '../fields';
import { clientOutputFields, clientSample } from '../samples';
import { textInput } from '../util';

/** Zapier fields → ClientSignupRequest (empty optional fields are left out). */
function toSignupRequest(input: Record<string, unknown>): ClientSignupInput {
	const request: ClientSignupInput = {
		business_name: textInput(input.business_name),
		phone_number_id: textInput(input.phone_number_id),
	};
	const waba = textInput(input.waba_id);
	const callback = textInput(input.callback_url);
	if (waba !== undefined) request.waba_id = waba;
	if (callback !== undefined) request.callback_url = callback;
	return request;
}

const inputFields = [
	{
		key: 'business_name',
		label: CLIENT_LABELS.business_name,
		required: true,
		helpText: 'The display name of the business, for example `Acme Coffee Roasters`.',
	},
	{
		key: 'phone_number_id',
		label: CLIENT_LABELS.phone_number_id,
		required: true,
		helpText: "The WhatsApp Business phone number ID from Meta's embedded signup.",
	},
	{
		key: 'waba_id',
		label: CLIENT_LABELS.waba_id,
		required: false,
		helpText: "Optional WhatsApp Business Account (WABA) ID from Meta's embedded signup.",
	},
	{
		key: 'callback_url',
		label: CLIENT_LABELS.callback_url,
		required: false,
		helpText: 'Optional `https://` URL where IntelliPortal sends this client’s events.',
	},
];

const perform = handled(async (z: ZObject, bundle: Bundle) => {
	const client = createClient(z, bundle);
	return client.onboardClient(toSignupRequest(bundle.inputData));
}, labelsByPath(inputFields));

export default {
	key: 'onboard_client',
	noun: 'Client',
	display: {
		label: 'Onboard Client',
		description:
			'Registers a new client (business) with IntelliPortal through the embedded signup flow.',
	},
	operation: {
		inputFields,
		perform,
		sample: clientSample,
		outputFields: clientOutputFields,
	},
};
