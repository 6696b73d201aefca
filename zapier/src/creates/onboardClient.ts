import type { Bundle, ZObject } from 'zapier-platform-core';

import type { ClientSignupInput } from '../../../shared';
import { createClient } from '../client';
import { handled } from '../errors';
import { clientOutputFields, clientSample } from '../samples';
import { textInput } from '../util';

const LABELS = {
	business_name: 'Business Name',
	phone_number_id: 'Phone Number ID',
	waba_id: 'WhatsApp Business Account ID',
	callback_url: 'Callback URL',
};

/** Zapier fields → ClientSignupRequest (empty optional fields are left out). */
export function toSignupRequest(input: Record<string, unknown>): ClientSignupInput {
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

const perform = handled(async (z: ZObject, bundle: Bundle) => {
	const client = createClient(z, bundle);
	return client.onboardClient(toSignupRequest(bundle.inputData));
}, LABELS);

export default {
	key: 'onboard_client',
	noun: 'Client',
	display: {
		label: 'Onboard Client',
		description:
			'Registers a new client (business) with IntelliPortal through the embedded signup flow.',
	},
	operation: {
		inputFields: [
			{
				key: 'business_name',
				label: 'Business Name',
				required: true,
				helpText: 'The display name of the business, for example `Acme Coffee Roasters`.',
			},
			{
				key: 'phone_number_id',
				label: 'Phone Number ID',
				required: true,
				helpText: "The WhatsApp Business phone number ID from Meta's embedded signup.",
			},
			{
				key: 'waba_id',
				label: 'WhatsApp Business Account ID',
				required: false,
				helpText: "Optional WhatsApp Business Account (WABA) ID from Meta's embedded signup.",
			},
			{
				key: 'callback_url',
				label: 'Callback URL',
				required: false,
				helpText: 'Optional `https://` URL where IntelliPortal sends this client’s events.',
			},
		],
		perform,
		sample: clientSample,
		outputFields: clientOutputFields,
	},
};
