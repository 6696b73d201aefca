import type { INodeProperties } from 'n8n-workflow';

import type { ValidationError } from '../../shared';
import { properties as version1 } from './v1/properties';
import { properties as version2 } from './v2/properties';

/** Parameter name → the display name the editor shows, from every version (newest first). */
function displayNamesOf(versions: INodeProperties[][]): Map<string, string> {
	const names = new Map([
		['resource', 'Resource'],
		['operation', 'Operation'],
	]);
	const visit = (properties: INodeProperties[]) => {
		for (const property of properties) {
			if (property.type === 'notice') continue;
			if (!names.has(property.name)) names.set(property.name, property.displayName);
			if (property.type === 'collection') visit((property.options ?? []) as INodeProperties[]);
		}
	};
	versions.forEach(visit);
	return names;
}

const DISPLAY_NAMES = displayNamesOf([version2, version1]);

/** `"Text"`: a parameter as the user sees it in the editor. */
export function parameterLabel(name: string): string {
	return `"${DISPLAY_NAMES.get(name) ?? name}"`;
}

/** The API core's field paths → the node parameter the user filled in. */
const CORE_FIELDS: Array<[RegExp, string, string?]> = [
	[/^client_ref$/, 'clientRef'],
	[/^to$/, 'to'],
	[/^type$/, 'messageType'],
	[/^text(?:\.body)?$/, 'textBody'],
	[/^media(?:\.url)?$/, 'mediaUrl'],
	[/^media\.caption$/, 'mediaCaption'],
	[/^template(?:\.name)?$/, 'templateName'],
	[/^template\.language(?:\.code)?$/, 'languageCode'],
	[/^template\.parameters$/, 'templateParameters'],
	[/^template\.parameters\[(\d+)\]$/, 'templateParameters', 'value'],
	[/^business_name$/, 'businessName'],
	[/^phone_number_id$/, 'phoneNumberId'],
	[/^waba_id$/, 'wabaId'],
	[/^callback_url$/, 'callbackUrl'],
	[/^url$/, 'url'],
	[/^events$/, 'events'],
	[/^events\[(\d+)\]$/, 'events', 'entry'],
	[/^(?:max|limit)$/, 'limit'],
];

/** `"Template Parameters" (value 3)` for `template.parameters[2]`; unknown paths stay as they are. */
function coreFieldLabel(path: string): string {
	for (const [pattern, parameter, position] of CORE_FIELDS) {
		const match = pattern.exec(path);
		if (!match) continue;
		const label = parameterLabel(parameter);
		return position ? `${label} (${position} ${Number(match[1]) + 1})` : label;
	}
	return path;
}

/**
 * A client-side validation error in the editor's words: every problem with the display name of
 * the field it is about (`"Text" must not be empty`), in the order the core found them.
 */
export function describeValidationError(error: ValidationError): string {
	const issues = error.issues.length > 0 ? error.issues : undefined;
	if (!issues)
		return error.field ? `${coreFieldLabel(error.field)}: ${error.message}` : error.message;
	const parts = issues.map((issue) => `${coreFieldLabel(issue.field)} ${issue.message}`);
	return parts.length === 1 ? parts[0] : `${parts.length} problems: ${parts.join('; ')}`;
}
