import type { Bundle, ZObject } from 'zapier-platform-core';

import type { SendTemplateInput } from '../../../shared';
import { createClient } from '../client';
import { handled } from '../errors';
import { messageOutputFields, messageSample } from '../samples';
import { listInput, textInput } from '../util';

const LABELS: Record<string, string> = {
	client_ref: 'Client',
	to: 'Recipient',
	template: 'Template Name',
	'template.name': 'Template Name',
	'template.language.code': 'Language Code',
	'template.parameters': 'Parameters',
};

/** Zapier fields → SendTemplateRequest. The core validates it (field-named errors) before any request. */
export function toSendTemplateRequest(input: Record<string, unknown>): SendTemplateInput {
	const parameters = listInput(input.parameters);
	return {
		client_ref: textInput(input.client_ref),
		to: textInput(input.to),
		template: {
			name: textInput(input.template_name),
			language: { code: textInput(input.language_code) ?? 'en' },
			...(parameters !== undefined ? { parameters } : {}),
		},
	};
}

const perform = handled(async (z: ZObject, bundle: Bundle) => {
	const client = createClient(z, bundle);
	return client.sendTemplate(toSendTemplateRequest(bundle.inputData));
}, LABELS);

export default {
	key: 'send_template',
	noun: 'Template Message',
	display: {
		label: 'Send Template Message',
		description:
			'Sends a pre-approved template message (for example a WhatsApp template) to a recipient, with its parameters filled in.',
	},
	operation: {
		inputFields: [
			{
				key: 'client_ref',
				label: 'Client',
				required: true,
				dynamic: 'list_clients.id.business_name',
				helpText: 'The onboarded client (business) the template belongs to.',
			},
			{
				key: 'to',
				label: 'Recipient',
				required: true,
				helpText:
					'Recipient phone number in international format (for example `+15551234567`) or the channel identifier of the recipient.',
			},
			{
				key: 'template_name',
				label: 'Template Name',
				required: true,
				helpText: 'The exact name of the approved template, for example `order_confirmation`.',
			},
			{
				key: 'language_code',
				label: 'Language Code',
				required: false,
				default: 'en',
				helpText:
					'Language of the approved template, for example `en`, `en_US` or `pt_BR`. Defaults to `en`.',
			},
			{
				key: 'parameters',
				label: 'Parameters',
				required: false,
				list: true,
				helpText:
					'Values for the template placeholders, in order: the first value fills `{{1}}`, the second `{{2}}`, and so on.',
			},
		],
		perform,
		sample: messageSample,
		outputFields: messageOutputFields,
	},
};
