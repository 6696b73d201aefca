/**
 * The emulator's HTTP server and routing. A contract request goes: route (404/405) → key (401)
 * → latency → rate limit (429) → injected fault → body and contract validation (400/415) →
 * operation; /__admin requests go to emulator/admin.ts (Host, admin token, JSON writes).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdminRequest } from './admin';
import type { EmulatorAdmin } from './admin';
import type { AdminAccess } from './adminAccess';
import type { Emulator } from './emulator';
import { injectedErrorAnswer, rateLimitedAnswer } from './faults';
import {
	HttpError,
	parseJsonBody,
	readBody,
	redactHeaders,
	sendJson,
	validationError,
} from './http';
import { runOperation } from './operations';
import type { ContractResult } from './operations';
import type { RequestLogEntry } from './types';
import type { ContractValidator } from './validator';

/** A key the emulator accepts (any `ik_test_`/`ik_live_` key with ≥ 8 more characters does). */
export const EXAMPLE_API_KEY = 'ik_test_sandbox_0123456789abcdef';

const API_KEY_PATTERN = /^Bearer[ \t]+(ik_(?:test|live)_[A-Za-z0-9_-]{8,256})[ \t]*$/i;

/** Listens on host:port; resolves with the server and the port it got. */
export async function listen(
	handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
	log: (line: string) => void,
	port: number,
	host: string,
): Promise<{ server: Server; port: number }> {
	const server = createServer((req, res) => {
		handler(req, res).catch((err: unknown) => {
			log(`internal error: ${err instanceof Error ? err.message : String(err)}`);
			if (!res.headersSent && !res.destroyed) {
				sendJson(res, 500, {
					error: { code: 'internal_error', message: 'Emulator internal error' },
				});
			}
		});
	});
	server.keepAliveTimeout = 5000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	return { server, port: (server.address() as AddressInfo).port };
}

/** Closes the server and every connection still open (keep-alive ones included). */
export function close(server: Server): Promise<void> {
	return new Promise<void>((resolve) => {
		server.close(() => resolve());
		server.closeAllConnections();
	});
}

/** The request handler of one emulator. */
export function requestHandler(
	emulator: Emulator,
	validator: ContractValidator,
	admin: EmulatorAdmin,
	adminAccess: AdminAccess,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
	return async (req, res) => {
		const started = Date.now();
		const requestId = emulator.state.newId('req', 16);
		res.setHeader('X-Request-Id', requestId);
		const parsed = new URL(req.url ?? '/', 'http://emulator.invalid');
		const path = parsed.pathname.length > 1 ? parsed.pathname.replace(/\/+$/, '') : parsed.pathname;
		const method = (req.method ?? 'GET').toUpperCase();

		let raw: string;
		try {
			raw = await readBody(req);
		} catch {
			sendJson(res, 413, {
				error: { code: 'payload_too_large', message: 'Request body exceeds 1 MB' },
			});
			return;
		}

		if (path === '/__admin' || path.startsWith('/__admin/')) {
			const request = { method, path, query: parsed.searchParams, headers: req.headers, raw };
			handleAdminRequest(admin, adminAccess, request, res);
			return;
		}

		const entry: RequestLogEntry = {
			id: requestId,
			at: new Date(started).toISOString(),
			method,
			path,
			query: parsed.search,
			status: 0,
			durationMs: 0,
			headers: redactHeaders(req.headers),
		};
		const finish = (status: number | 'reset', routeKey: string) => {
			entry.status = status;
			entry.durationMs = Date.now() - started;
			emulator.observations.record(entry, routeKey);
		};

		const operation = validator.match(method, path);
		if (!operation) {
			const allowed = validator.allowedMethods(path);
			if (allowed.length > 0) {
				res.setHeader('Allow', allowed.join(', '));
				sendJson(res, 405, {
					error: {
						code: 'method_not_allowed',
						message: `${method} is not allowed on ${path}; use ${allowed.join(' or ')}`,
					},
				});
				finish(405, `${method} ${path}`);
			} else {
				sendJson(res, 404, { error: { code: 'not_found', message: `No route ${method} ${path}` } });
				finish(404, `${method} (unknown route)`);
			}
			return;
		}
		entry.operationId = operation.operationId;
		const routeKey = `${method} /v1${operation.path}`;

		const respond = (status: number, body: unknown, headers: Record<string, string> = {}) => {
			if (emulator.stopped || res.destroyed) return;
			for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
			sendJson(res, status, body);
			finish(status, routeKey);
		};

		// Authentication: a bearer ik_test_/ik_live_ key. The key is never echoed or logged.
		const auth = req.headers.authorization;
		if (!auth || !API_KEY_PATTERN.test(auth)) {
			res.setHeader('WWW-Authenticate', 'Bearer realm="IntelliPortal"');
			respond(401, {
				error: {
					code: 'unauthorized',
					message: auth
						? 'Invalid API key: expected "Authorization: Bearer ik_test_…" or "Bearer ik_live_…"'
						: 'Missing API key: send "Authorization: Bearer <your ik_test_/ik_live_ key>"',
				},
			});
			return;
		}

		const { faults } = emulator;
		await emulator.sleep(faults.latencyMs());
		if (emulator.stopped) return;

		const retryAfter = faults.takeToken();
		if (retryAfter !== undefined) {
			emulator.observations.counters.rateLimited++;
			const answer = rateLimitedAnswer(retryAfter, false);
			respond(answer.status, answer.body, answer.headers);
			return;
		}

		const fault = faults.rollFault();
		if (fault) {
			emulator.observations.counters.faults[fault]++;
			entry.fault = fault;
		}
		const retryAfterSeconds = emulator.config.current.retryAfterSeconds;
		if (fault === 'resetBefore') {
			emulator.log(`${routeKey} fault: connection reset before processing`);
			req.socket.destroy();
			finish('reset', routeKey);
			return;
		}
		if (fault === 'error500' || fault === 'error503') {
			const answer = injectedErrorAnswer(fault, retryAfterSeconds);
			respond(answer.status, answer.body, answer.headers);
			return;
		}
		if (fault === 'error429') {
			const answer = rateLimitedAnswer(retryAfterSeconds, true);
			respond(answer.status, answer.body, answer.headers);
			return;
		}

		let result: ContractResult;
		try {
			const body = parseJsonBody(method, req.headers['content-type'], raw);
			const issues = validator.validate(
				{
					method,
					path,
					headers: req.headers,
					query: Object.fromEntries(parsed.searchParams),
					body,
				},
				operation,
			);
			if (issues.length > 0) throw validationError(issues);
			result = runOperation(
				emulator.state,
				emulator.config.current,
				operation.operationId ?? '',
				body as Record<string, unknown>,
				parsed.searchParams,
			);
		} catch (err) {
			if (!(err instanceof HttpError)) throw err;
			for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
			result = { status: err.status, body: err.body() };
		}

		if (fault === 'resetAfter') {
			emulator.log(
				`${routeKey} fault: connection reset after processing (status would have been ${result.status})`,
			);
			req.socket.destroy();
			finish('reset', routeKey);
			return;
		}
		if (fault === 'slow') {
			await emulator.sleep(emulator.config.current.slowMs);
			if (emulator.stopped || res.destroyed || req.socket.destroyed) {
				finish('reset', routeKey);
				return;
			}
		}
		respond(result.status, result.body);
	};
}
