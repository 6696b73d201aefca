import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { SendMessageInput, SendTemplateInput } from '../../../shared';
import { own, parameterError, readCollection, readParameter } from '../fields';

/** Template Parameters: the own `parameter` list of the fixedCollection, each entry's own `value`. */
function readTemplateParameters(ctx: IExecuteFunctions, i: number): unknown[] {
	const collection = readCollection(ctx, 'templateParameters', i);
	const list = own(collection, 'parameter');
	if (list === undefined || list === null) return [];
	if (!Array.isArray(list)) {
		throw parameterError(
			ctx,
			'templateParameters',
			i,
			'must be a list of parameters with a value each',
		);
	}
	return list.map((entry: unknown, position) => {
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
			throw parameterError(
				ctx,
				'templateParameters',
				i,
				`(value ${position + 1}) must be a parameter with a value`,
			);
		}
		return own(entry as IDataObject, 'value');
	});
}

const MESSAGE_TYPES = ['text', 'media'];

/** Reads one item's Send Template parameters into the core's request (the core validates it). */
export function buildTemplateRequest(ctx: IExecuteFunctions, i: number): SendTemplateInput {
	const clientRef = readParameter(ctx, 'clientRef', i, '', { extractValue: true });
	const to = readParameter(ctx, 'to', i, '');
	const parameters = readTemplateParameters(ctx, i);
	const template: IDataObject = {
		name: readParameter(ctx, 'templateName', i, ''),
		language: { code: readParameter(ctx, 'languageCode', i, 'en') },
	};
	if (parameters.length > 0) template.parameters = parameters as IDataObject[];
	return { client_ref: clientRef, to, template };
}

/** Reads one item's Send parameters into the core's request (the core validates it). */
export function buildMessageRequest(ctx: IExecuteFunctions, i: number): SendMessageInput {
	const clientRef = readParameter(ctx, 'clientRef', i, '', { extractValue: true });
	const to = readParameter(ctx, 'to', i, '');
	const messageType = readParameter(ctx, 'messageType', i, 'text');
	if (typeof messageType !== 'string' || !MESSAGE_TYPES.includes(messageType)) {
		throw parameterError(ctx, 'messageType', i, 'must be Text (text) or Media (media)');
	}
	if (messageType === 'media') {
		const media: IDataObject = { url: readParameter(ctx, 'mediaUrl', i, '') };
		const caption = readParameter(ctx, 'mediaCaption', i, '');
		if (caption !== '') media.caption = caption;
		return { client_ref: clientRef, to, type: 'media', media };
	}
	return {
		client_ref: clientRef,
		to,
		type: 'text',
		text: { body: readParameter(ctx, 'textBody', i, '') },
	};
}
