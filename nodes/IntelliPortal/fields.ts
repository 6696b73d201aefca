import type {
	IDataObject,
	IExecuteFunctions,
	IGetNodeParameterOptions,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ValidationError } from '../../shared';
import { properties as newestProperties } from './v2/properties';

/** Whatever a parameter resolves to (expressions can make it anything). */
export type ParameterValue = IDataObject[string];

let displayNames: Record<string, string> | undefined;

/**
 * Parameter name → the display name the editor shows, read from the descriptions (of the newest
 * version, which has every parameter). Built on first use: the operation modules that report
 * parameter errors are part of those descriptions.
 */
function displayNamesOf(): Record<string, string> {
	if (displayNames) return displayNames;
	const names: Record<string, string> = { resource: 'Resource', operation: 'Operation' };
	const visit = (properties: INodeProperties[]) => {
		for (const property of properties) {
			if (property.type === 'notice') continue;
			names[property.name] ??= property.displayName;
			if (property.type === 'collection') visit((property.options ?? []) as INodeProperties[]);
		}
	};
	visit(newestProperties);
	displayNames = names;
	return names;
}

/** `"Text"`: a parameter as the user sees it in the editor. */
export function parameterLabel(name: string): string {
	return `"${displayNamesOf()[name] ?? name}"`;
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
export function coreFieldLabel(path: string): string {
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

function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'number') return String(value);
	if (typeof value === 'string') return value.trim() === '' ? 'an empty text' : 'a text value';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own property only: keys such as `__proto__` or `constructor` never read inherited values. */
export function own(object: IDataObject, key: string): ParameterValue {
	return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

/** A NodeOperationError about one parameter of one item. */
export function parameterError(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	problem: string,
	description?: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `${parameterLabel(name)} ${problem}`, {
		itemIndex,
		description:
			description ??
			`Check the ${parameterLabel(name)} field. Expressions must resolve to the expected type.`,
	});
}

/**
 * getNodeParameter, but an expression that cannot be resolved fails as a NodeOperationError that
 * names the field (n8n's own error only says what went wrong inside the expression).
 */
export function readParameter(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback: unknown,
	options?: IGetNodeParameterOptions,
): ParameterValue {
	try {
		return ctx.getNodeParameter(name, itemIndex, fallback, options) as ParameterValue;
	} catch (error) {
		if (error instanceof NodeOperationError) {
			throw new NodeOperationError(ctx.getNode(), error, { itemIndex });
		}
		const message = error instanceof Error ? error.message : String(error);
		const description = (error as { description?: unknown }).description;
		throw parameterError(
			ctx,
			name,
			itemIndex,
			`could not be resolved: ${message}`,
			typeof description === 'string' && description !== '' ? description : undefined,
		);
	}
}

/** A collection (Additional Fields, Options, Template Parameters): absent means empty. */
export function readCollection(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
): IDataObject {
	const value = readParameter(ctx, name, itemIndex, {});
	if (value === undefined || value === null) return {};
	if (!isPlainObject(value)) {
		throw parameterError(
			ctx,
			name,
			itemIndex,
			`must be a collection of fields, got ${describeValue(value)}`,
		);
	}
	return value;
}

/** true/false, also as the text "true"/"false" (an expression reading a query string). */
export function toBoolean(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	value: unknown,
	fallback: boolean,
): boolean {
	if (value === undefined) return fallback;
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase();
		if (text === 'true') return true;
		if (text === 'false') return false;
	}
	throw parameterError(ctx, name, itemIndex, `must be true or false, got ${describeValue(value)}`);
}

/** A number (also as text, e.g. "20") within [min, max]; `whole` rejects fractions. */
export function toNumber(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	value: unknown,
	rule: { fallback: number; min: number; max: number; whole: boolean },
): number {
	if (value === undefined) return rule.fallback;
	const number =
		typeof value === 'number'
			? value
			: typeof value === 'string' && /^\s*-?\d+(?:\.\d+)?\s*$/.test(value)
				? Number(value)
				: Number.NaN;
	const inRange =
		Number.isFinite(number) &&
		number >= rule.min &&
		number <= rule.max &&
		(!rule.whole || Number.isInteger(number));
	if (inRange) return number;
	const kind = rule.whole ? 'a whole number' : 'a number';
	const range =
		rule.max === Number.MAX_SAFE_INTEGER
			? `of at least ${rule.min}`
			: `from ${rule.min} to ${rule.max}`;
	const tooBig = Number.isFinite(number) && number > rule.max;
	throw parameterError(
		ctx,
		name,
		itemIndex,
		tooBig
			? `must be at most ${rule.max}, got ${describeValue(value)}`
			: `must be ${kind} ${range}, got ${describeValue(value)}`,
	);
}
