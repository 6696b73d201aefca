/** Absolute http(s) URLs, read with the platform's WHATWG URL parser. */

export interface ParsedHttpUrl {
	scheme: 'http' | 'https';
	userinfo: string;
	/** Lower-cased host; IPv6 in brackets. */
	host: string;
	/** '' for the scheme's default port. */
	port: string;
	/** Path, '' when absent. */
	path: string;
	/** Query without '?', '' when absent. */
	query: string;
	/** Fragment without '#', '' when absent. */
	hash: string;
}

/** A DNS name or IP address (IPv6 in brackets); WHATWG URL also lets through '_' and edge dots. */
const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)$/;

/** Parses an absolute http(s) URL; undefined when it is not one (or longer than 2048 chars). */
export function parseHttpUrl(value: unknown): ParsedHttpUrl | undefined {
	if (typeof value !== 'string' || value.length > 2048) return undefined;
	const text = value.trim();
	// URL would also take "http:host", a backslash for a slash and encode a space: none of them
	// is an absolute URL as written.
	if (!/^https?:\/\/[^/?#]/i.test(text) || /[\s\\]/.test(text)) return undefined;
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return undefined;
	}
	if (!HOST.test(url.hostname) || url.hostname.includes('..') || url.port === '0') return undefined;
	const authority = /^https?:\/\/([^/?#]*)/i.exec(text)?.[1] ?? '';
	return {
		scheme: url.protocol === 'https:' ? 'https' : 'http',
		userinfo: authority.includes('@') ? authority.slice(0, authority.lastIndexOf('@')) : '',
		host: url.hostname,
		port: url.port,
		path: /^https?:\/\/[^/?#]*\//i.test(text) ? url.pathname : '',
		query: url.search.slice(1),
		hash: url.hash.slice(1),
	};
}

/** A host only this machine answers, as parseHttpUrl gives it: localhost, 127.0.0.0/8, [::1]. */
export function isLoopbackHost(host: string): boolean {
	const name = host.toLowerCase();
	// WHATWG URL writes IPv4 in dotted decimal and IPv6 compressed: one spelling each.
	return name === 'localhost' || name === '[::1]' || /^127(\.\d{1,3}){3}$/.test(name);
}
