import type { FieldLabels } from './errors';

/** The client's API fields as the app labels them: in Onboard Client, Find Client and outputs. */
export const CLIENT_LABELS = {
	id: 'Client ID',
	business_name: 'Business Name',
	phone_number_id: 'Phone Number ID',
	waba_id: 'WhatsApp Business Account ID',
	callback_url: 'Callback URL',
	status: 'Status',
	created_at: 'Created At',
};

/** Client, as both sends ask for it (a dropdown of the account's clients). */
export function clientRefField(helpText: string) {
	return {
		key: 'client_ref',
		label: 'Client',
		required: true,
		dynamic: 'list_clients.id.business_name',
		helpText,
	};
}

export const recipientField = {
	key: 'to',
	label: 'Recipient',
	required: true,
	helpText:
		'Recipient phone number in international format (for example `+15551234567`) or the channel identifier of the recipient.',
};

/**
 * Field path → label, so that errors name the field the user filled in: each input field labels
 * its own key, `paths` maps the core's other paths (`text.body`) to the input key that fills them.
 */
export function labelsByPath(
	inputFields: Array<{ key: string; label: string }>,
	paths: Record<string, string> = {},
): FieldLabels {
	const labels = Object.fromEntries(inputFields.map((field) => [field.key, field.label]));
	for (const [path, key] of Object.entries(paths)) labels[path] = labels[key];
	return labels;
}
