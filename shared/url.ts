/**
 * A small, strict parser for absolute http(s) URLs. The shipped code compiles without DOM or
 * Node types (no WHATWG `URL` type), so URLs are checked with this parser instead.
 */

export interface ParsedHttpUrl {
	scheme: 'http' | 'https';
	userinfo: string;
	/** Lower-cased host; IPv6 in brackets. */
	host: string;
	port: string;
	/** Path, '' when absent. */
	path: string;
	/** Query without '?', '' when absent. */
	query: string;
	/** Fragment without '#', '' when absent. */
	hash: string;
}

const URL_PATTERN =
	/^(https?):\/\/(?:([^@/?#\s]*)@)?(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\d{1,5}))?(\/[^?#\s]*)?(?:\?([^#\s]*))?(?:#(\S*))?$/i;

/** Parses an absolute http(s) URL; undefined when it is not one (or longer than 2048 chars). */
export function parseHttpUrl(value: unknown): ParsedHttpUrl | undefined {
	if (typeof value !== 'string' || value.length > 2048) return undefined;
	const m = URL_PATTERN.exec(value.trim());
	if (!m) return undefined;
	if (m[4] !== undefined && (Number(m[4]) < 1 || Number(m[4]) > 65535)) return undefined;
	if (/\.\./.test(m[3])) return undefined;
	return {
		scheme: m[1].toLowerCase() as 'http' | 'https',
		userinfo: m[2] ?? '',
		host: m[3].toLowerCase(),
		port: m[4] ?? '',
		path: m[5] ?? '',
		query: m[6] ?? '',
		hash: m[7] ?? '',
	};
}

export function isHttpUrl(value: unknown): boolean {
	return parseHttpUrl(value) !== undefined;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
	return LOOPBACK_HOSTS.has(host.toLowerCase());
}

/** Encodes a query object (undefined values skipped). */
export function encodeQuery(query: Record<string, string | number | undefined>): string {
	const parts: string[] = [];
	for (const [key, value] of Object.entries(query)) {
		if (value === undefined) continue;
		parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
	}
	return parts.length > 0 ? `?${parts.join('&')}` : '';
}
