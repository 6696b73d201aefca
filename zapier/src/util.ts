/** Zapier boolean fields arrive as true/false or as the strings 'true'/'false'/'yes'/'no'. */
export function booleanInput(value: unknown): boolean {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'string')
		return ['true', 'yes', '1', 'on'].includes(value.trim().toLowerCase());
	return false;
}

/** A `list: true` field arrives as an array, or as a single string when mapped from one value. */
export function listInput(value: unknown): unknown[] | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return Array.isArray(value) ? value : [value];
}

/**
 * A text field on its way to the core: empty ('' / whitespace / null / undefined) → undefined,
 * finite numbers and booleans → their text, strings trimmed. Anything else (an object, a mapped
 * list, NaN) is passed on unchanged so that the core names the field and says what was wrong
 * ("must be a text value, got a list") instead of "is required" or a silently dropped value.
 */
export function textInput(value: unknown): unknown {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'boolean') return String(value);
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value;
	if (typeof value !== 'string') return value;
	const trimmed = value.trim();
	return trimmed === '' ? undefined : trimmed;
}
