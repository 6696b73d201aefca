/**
 * HTTP details every host transport and the core share, written once: header names are
 * case-insensitive, and a response body arrives either parsed or as text.
 */

/** Response headers as the core reads them: lower-case names, one text value each. */
export type ResponseHeaders = Record<string, string | undefined>;

/**
 * Any host's response headers (a plain object, an axios AxiosHeaders with toJSON, a fetch-style
 * Headers with forEach) as lower-case names with one text value (repeated values joined by ", ").
 */
export function normaliseHeaders(raw: unknown): ResponseHeaders {
	const headers: ResponseHeaders = {};
	if (typeof raw !== 'object' || raw === null) return headers;
	const add = (name: string, value: unknown) => {
		if (value === undefined || value === null) return;
		headers[name.toLowerCase()] = Array.isArray(value)
			? value.map(String).join(', ')
			: String(value);
	};
	const withForEach = raw as { forEach?: unknown; toJSON?: unknown };
	if (typeof withForEach.toJSON === 'function') {
		const plain = (raw as { toJSON(): unknown }).toJSON();
		if (typeof plain === 'object' && plain !== null) {
			for (const [name, value] of Object.entries(plain)) add(name, value);
		}
	} else if (typeof withForEach.forEach === 'function' && !Array.isArray(raw)) {
		(raw as { forEach(cb: (value: unknown, name: string) => void): void }).forEach((value, name) =>
			add(name, value),
		);
	} else {
		for (const [name, value] of Object.entries(raw)) add(name, value);
	}
	return headers;
}

/** The value of a header, whatever the case of its name (the first value of a repeated one). */
export function headerValue(
	headers: Record<string, unknown> | undefined,
	name: string,
): string | undefined {
	const lower = name.toLowerCase();
	for (const key of Object.keys(headers ?? {})) {
		if (key.toLowerCase() !== lower) continue;
		const value = (headers as Record<string, unknown>)[key];
		if (value === undefined || value === null) return undefined;
		return Array.isArray(value) ? String(value[0]) : String(value);
	}
	return undefined;
}

/** Whether a header is set, whatever the case of its name. */
export function hasHeader(headers: Record<string, unknown> | undefined, name: string): boolean {
	return headerValue(headers, name) !== undefined;
}

/**
 * A response body as the core reads it: a body the host already parsed stays as it is; text is
 * parsed as JSON when the content type says JSON or it looks like JSON, and kept as text when it
 * does not parse; empty text is no body.
 */
export function parseResponseBody(body: unknown, contentType: string | undefined): unknown {
	if (typeof body !== 'string') return body;
	const trimmed = body.trim();
	if (trimmed === '') return undefined;
	if (/json/i.test(contentType ?? '') || /^[[{"]/.test(trimmed)) {
		try {
			return JSON.parse(trimmed) as unknown;
		} catch {
			return body;
		}
	}
	return body;
}
