import type { Bundle, ZObject } from 'zapier-platform-core';

import type { SendTemplateInput } from '../../../shared';
import { createClient } from '../apiClient';
import { handled } from '../errors';
import { clientRefField, labelsByPath, recipientField } from '../fields';
import { messageOutputFields, messageSample } from '../samples';
import { listInput, textInput } from '../util';

/** Zapier fields → SendTemplateRequest. The core validates it (field-named errors) before any request. */
function toSendTemplateRequest(input: Record<string, unknown>): SendTemplateInput {
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

const inputFields = [
	clientRefField('The onboarded client (business) the template belongs to.'),
	recipientField,
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
];

const perform = handled(
	async (z: ZObject, bundle: Bundle) => {
		const client = createClient(z, bundle);
		return client.sendTemplate(toSendTemplateRequest(bundle.inputData));
	},
	labelsByPath(inputFields, {
		template: 'template_name',
		'template.name': 'template_name',
		'template.language.code': 'language_code',
		'template.parameters': 'parameters',
	}),
);

export default {
	key: 'send_template',
	noun: 'Template Message',
	display: {
		label: 'Send Template Message',
		description:
			'Sends a pre-approved template message (for example a WhatsApp template) to a recipient, with its parameters filled in.',
	},
	operation: {
		inputFields,
		perform,
		sample: messageSample,
		outputFields: messageOutputFields,
	},
};
