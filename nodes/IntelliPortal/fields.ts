import type { IDataObject, IExecuteFunctions, IGetNodeParameterOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isRecord } from '../../shared/guards';
import { readJsonPathParameter } from './jsonPathParameter';
import { parameterLabel } from './parameterLabels';

/** Whatever a parameter resolves to (expressions can make it anything). */
export type ParameterValue = IDataObject[string];

function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'number') return String(value);
	if (typeof value === 'string') return value.trim() === '' ? 'an empty text' : 'a text value';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Own property only: keys such as `__proto__` or `constructor` never read inherited values. */
export function own<T>(object: Record<string, T>, key: string): T | undefined {
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
 * names the field (n8n's own error only says what went wrong inside the expression). A plain
 * `={{ $json.a }}` is read from the item itself (see readJsonPathParameter).
 */
export function readParameter(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback: unknown,
	options?: IGetNodeParameterOptions,
): ParameterValue {
	try {
		const direct = options === undefined ? readJsonPathParameter(ctx, name, itemIndex) : undefined;
		if (direct !== undefined) return direct;
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
	if (!isRecord(value)) {
		throw parameterError(
			ctx,
			name,
			itemIndex,
			`must be a collection of fields, got ${describeValue(value)}`,
		);
	}
	return value as IDataObject;
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
