/**
 * Who may use /__admin: the admin API injects events and shows the registered webhook URL with
 * its secrets, so a web page must not reach it (a cross-site form, DNS rebinding) and neither may
 * another program on the machine without the token printed at start.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import { HttpError } from './http';
import { isLoopbackUrl } from './webhooks';

/** The header every /__admin request carries the emulator's admin token in. */
export const ADMIN_TOKEN_HEADER = 'X-Emulator-Admin-Token';

/** Shorter tokens are refused: a guessable token would be no lock. */
export const MIN_ADMIN_TOKEN_LENGTH = 16;

export interface AdminAccess {
	token: string;
	/** The address the emulator was bound to (a Host header naming it is accepted too). */
	bindHost: string;
}

/** The token given (checked), or a random one. */
export function adminToken(given: string | undefined): string {
	if (given === undefined || given === '') return randomBytes(24).toString('hex');
	if (given.length < MIN_ADMIN_TOKEN_LENGTH || /\s/.test(given)) {
		throw new Error(
			`the admin token must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters without spaces`,
		);
	}
	return given;
}

/** The host name of a Host header, without port or IPv6 brackets. */
function hostName(hostHeader: string): string {
	const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hostHeader);
	if (bracketed) return bracketed[1].toLowerCase();
	return hostHeader.replace(/:\d+$/, '').toLowerCase();
}

function sameToken(given: string, token: string): boolean {
	const a = Buffer.from(given);
	const b = Buffer.from(token);
	return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Throws the answer to an /__admin request that may not be served: a Host that is not this
 * machine or the bind address (403), no or a wrong token (401), a write without a JSON body
 * type (415: what a cross-site form cannot send without the browser asking first).
 */
export function checkAdminAccess(
	method: string,
	headers: IncomingHttpHeaders,
	access: AdminAccess,
): void {
	const host = headers.host ?? '';
	const name = hostName(host);
	const bindHost = access.bindHost.replace(/^\[|\]$/g, '').toLowerCase();
	if (!isLoopbackUrl(`http://${host}/`) && name !== bindHost) {
		throw new HttpError(
			403,
			'forbidden_host',
			`the admin API answers only requests addressed to this machine (Host: localhost, 127.0.0.1, [::1]) or to ${access.bindHost}`,
		);
	}
	const given = headers[ADMIN_TOKEN_HEADER.toLowerCase()];
	if (typeof given !== 'string' || !sameToken(given, access.token)) {
		throw new HttpError(
			401,
			'admin_token_required',
			`send the admin token the emulator printed at start in the ${ADMIN_TOKEN_HEADER} header`,
		);
	}
	if (method !== 'GET' && method !== 'HEAD') {
		const type = (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
		if (type !== 'application/json') {
			throw new HttpError(
				415,
				'unsupported_media_type',
				`admin writes need Content-Type: application/json (got '${type || 'none'}')`,
			);
		}
	}
}
