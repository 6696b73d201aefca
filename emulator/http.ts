/** HTTP plumbing of the emulator: its error type, JSON bodies in and out, redacted headers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FieldIssue } from './validator';

const MAX_BODY_BYTES = 1024 * 1024;
const SENSITIVE_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key']);

/** An answer `{ error: { code, message, details? } }` with this status (and headers). */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly details?: Record<string, unknown>,
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}

	body(): { error: Record<string, unknown> } {
		return {
			error: {
				code: this.code,
				message: this.message,
				...(this.details ? { details: this.details } : {}),
			},
		};
	}
}

export function validationError(issues: FieldIssue[]): HttpError {
	const first = issues[0];
	const message =
		issues.length === 1
			? `${first.field} ${first.message}`
			: `${issues.length} problems: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`;
	return new HttpError(400, 'validation_error', message, {
		errors: issues.map((i) => ({ field: i.field, message: i.message })),
	});
}

export function parseJsonBody(
	method: string,
	contentType: string | undefined,
	raw: string,
): unknown {
	if (method !== 'POST' && method !== 'PUT') return undefined;
	if (raw.trim() === '') return undefined;
	const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
	if (type !== 'application/json' && !type.endsWith('+json')) {
		throw new HttpError(
			415,
			'unsupported_media_type',
			`Content-Type must be application/json (got '${type || 'none'}')`,
		);
	}
	try {
		return JSON.parse(raw);
	} catch {
		throw new HttpError(400, 'validation_error', 'body is not valid JSON', {
			errors: [{ field: 'body', message: 'is not valid JSON' }],
		});
	}
}

/** The request body as text; rejects past 1 MB. */
export function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				reject(new Error('too large'));
				req.resume();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** Request headers for the request log: credentials replaced by a marker. */
export function redactHeaders(headers: IncomingMessage['headers']): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		const v = Array.isArray(value) ? value.join(', ') : value;
		if (SENSITIVE_HEADERS.has(name)) {
			out[name] = /^bearer\s/i.test(v) ? 'Bearer [redacted]' : '[redacted]';
		} else {
			out[name] = v;
		}
	}
	return out;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.statusCode = status;
	res.setHeader('Content-Type', 'application/json; charset=utf-8');
	res.setHeader('Content-Length', Buffer.byteLength(text));
	res.end(text);
}

export function isHttpUrl(value: string): boolean {
	try {
		const u = new URL(value);
		return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
	} catch {
		return false;
	}
}
