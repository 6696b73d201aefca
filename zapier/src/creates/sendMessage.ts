import type { Bundle, ZObject } from 'zapier-platform-core';

import type { SendMessageInput } from '../../../shared';
import { createClient } from '../apiClient';
import { handled } from '../errors';
import { clientRefField, labelsByPath, recipientField } from '../fields';
import { messageOutputFields, messageSample } from '../samples';
import { textInput } from '../util';

/** Zapier fields → SendMessageRequest. The core validates it (field-named errors) before any request. */
function toSendMessageRequest(input: Record<string, unknown>): SendMessageInput {
	// An empty Message Type means the default (text); anything else that is not text goes to the
	// core as given, so a mapped list or object gets "Message Type: must be one of …", not a text send.
	const rawType = input.type;
	const type =
		rawType === undefined ||
		rawType === null ||
		(typeof rawType === 'string' && rawType.trim() === '')
			? 'text'
			: typeof rawType === 'string'
				? rawType.trim()
				: rawType;
	const request: SendMessageInput = {
		client_ref: textInput(input.client_ref),
		to: textInput(input.to),
		type,
	};
	if (type === 'media') {
		const caption = textInput(input.caption);
		request.media = {
			url: textInput(input.media_url),
			...(caption !== undefined ? { caption } : {}),
		};
	} else {
		request.text = { body: textInput(input.text) };
	}
	return request;
}

const inputFields = [
	clientRefField('The onboarded client (business) the message is sent for.'),
	recipientField,
	{
		key: 'type',
		label: 'Message Type',
		required: true,
		default: 'text',
		choices: [
			{ value: 'text', label: 'Text', sample: 'text' },
			{ value: 'media', label: 'Media (image, video, document)', sample: 'media' },
		],
		helpText:
			'**Text** sends Message Text. **Media** sends the file at Media URL with an optional Caption.',
	},
	{
		key: 'text',
		label: 'Message Text',
		type: 'text',
		required: false,
		helpText: 'The message body. Required when Message Type is **Text**.',
	},
	{
		key: 'media_url',
		label: 'Media URL',
		required: false,
		helpText:
			'Public `https://` URL of the image, video or document. Required when Message Type is **Media**.',
	},
	{
		key: 'caption',
		label: 'Caption',
		required: false,
		helpText: 'Optional caption shown under the media. Only used when Message Type is **Media**.',
	},
];

const perform = handled(
	async (z: ZObject, bundle: Bundle) => {
		const client = createClient(z, bundle);
		return client.sendMessage(toSendMessageRequest(bundle.inputData));
	},
	labelsByPath(inputFields, {
		'text.body': 'text',
		media: 'media_url',
		'media.url': 'media_url',
		'media.caption': 'caption',
	}),
);

export default {
	key: 'send_message',
	noun: 'Message',
	display: {
		label: 'Send Message',
		description:
			'Sends a text or media message to a recipient on any channel of an onboarded client.',
	},
	operation: {
		inputFields,
		perform,
		sample: messageSample,
		outputFields: messageOutputFields,
	},
};
