/** Trimmed non-empty string, or undefined. Zapier sends empty optional fields as '' or omits them. */
export function optionalText(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim();
	return trimmed === '' ? undefined : trimmed;
}

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
