/**
 * The emulator's inspection and control API, outside the contract: the typed `admin` object
 * tests use, and the same operations over HTTP under /__admin (the admin token instead of a key,
 * see adminAccess.ts; no latency, limits or faults, not counted).
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { checkAdminAccess } from './adminAccess';
import type { AdminAccess } from './adminAccess';
import { HttpError, sendJson } from './http';
import type { EmulatorConfig } from './options';
import { SEEDED_TEMPLATES } from './state';
import type {
	ClientRecord,
	Counters,
	MessageRecord,
	MessageStatus,
	RequestLogEntry,
	TemplateRecord,
	WebhookConfigRecord,
	WebhookDelivery,
	WebhookEvent,
} from './types';
import type { Emulator } from './emulator';

export interface EmulatorAdmin {
	counters(): Counters;
	/** Current config, after applying `patch` if given (validated; throws on a bad value). */
	config(patch?: Partial<EmulatorConfig>): EmulatorConfig;
	/** Back to the start state: seeded data, start-up config, zero counters, empty logs. */
	reset(): void;
	seedClients(count: number): ClientRecord[];
	clients(): ClientRecord[];
	messages(): MessageRecord[];
	requests(limit?: number): RequestLogEntry[];
	webhookConfig(): WebhookConfigRecord;
	webhookDeliveries(): WebhookDelivery[];
	events(): WebhookEvent[];
	templates(): TemplateRecord[];
	/** Emit an event now (delivered to the configured webhook URL if it subscribes to it). */
	emitEvent(type: string, data?: Record<string, unknown>): WebhookEvent;
	/** Set a message's status now (emits the status event; automatic progression continues from it). */
	setMessageStatus(
		id: string,
		status: MessageStatus,
		error?: { code: string; message: string },
	): MessageRecord;
	/** Resolves when no webhook delivery is pending. */
	webhooksIdle(): Promise<void>;
}

const MESSAGE_STATUSES: readonly string[] = ['queued', 'sent', 'delivered', 'read', 'failed'];

/** The typed admin API over one emulator; every result is a copy. */
export function createAdmin(emulator: Emulator): EmulatorAdmin {
	const { config, state, observations, dispatcher } = emulator;
	return {
		counters: () => structuredClone(observations.counters),
		config: (patch) => {
			if (patch) emulator.patchConfig(patch);
			return { ...config.current };
		},
		reset: () => emulator.reset(),
		seedClients: (count) => state.seedClients(count).map((c) => ({ ...c })),
		clients: () => state.clients.map((c) => ({ ...c })),
		messages: () => [...state.messages.values()].map((m) => structuredClone(m)),
		requests: (limit) =>
			structuredClone(limit ? observations.requestLog.slice(-limit) : observations.requestLog),
		webhookConfig: () => ({ url: state.webhook.url, events: [...state.webhook.events] }),
		webhookDeliveries: () => structuredClone(dispatcher.deliveries),
		events: () => structuredClone(state.events),
		templates: () => SEEDED_TEMPLATES.map((t) => ({ ...t, languages: [...t.languages] })),
		emitEvent: (type, data = {}) => structuredClone(state.emit(type, data)),
		setMessageStatus: (id, status, error) => {
			const m = state.messages.get(id);
			if (!m) throw new HttpError(404, 'not_found', `No message ${id}`);
			if (!MESSAGE_STATUSES.includes(status)) {
				throw new HttpError(
					400,
					'validation_error',
					'status must be one of queued, sent, delivered, read, failed',
				);
			}
			state.setStatus(m, status, error);
			return structuredClone(m);
		},
		webhooksIdle: () => dispatcher.idle(),
	};
}

export interface AdminRequest {
	method: string;
	/** Includes the /__admin prefix. */
	path: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	raw: string;
}

/** Answers one /__admin request, once its Host, token and content type pass (adminAccess.ts). */
export function handleAdminRequest(
	admin: EmulatorAdmin,
	access: AdminAccess,
	{ method, path, query, headers, raw }: AdminRequest,
	res: ServerResponse,
): void {
	const body = (): Record<string, unknown> => {
		if (raw.trim() === '') return {};
		try {
			const v = JSON.parse(raw);
			if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v;
		} catch {
			// fall through
		}
		throw new HttpError(400, 'validation_error', 'admin request body must be a JSON object');
	};
	try {
		checkAdminAccess(method, headers, access);
		const route = `${method} ${path.slice('/__admin'.length) || '/'}`;
		const statusMatch = /^POST \/messages\/([^/]+)\/status$/.exec(route);
		if (statusMatch) {
			const b = body();
			sendJson(
				res,
				200,
				admin.setMessageStatus(
					decodeURIComponent(statusMatch[1]),
					b.status as MessageStatus,
					b.error as { code: string; message: string } | undefined,
				),
			);
			return;
		}
		switch (route) {
			case 'GET /counters':
				return sendJson(res, 200, admin.counters());
			case 'GET /config':
				return sendJson(res, 200, admin.config());
			case 'POST /config':
				return sendJson(res, 200, admin.config(body() as Partial<EmulatorConfig>));
			case 'POST /reset':
				admin.reset();
				return sendJson(res, 200, { ok: true });
			case 'POST /clients/seed': {
				const count = body().count ?? 10;
				return sendJson(res, 201, { data: admin.seedClients(count as number) });
			}
			case 'GET /clients':
				return sendJson(res, 200, { data: admin.clients() });
			case 'GET /templates':
				return sendJson(res, 200, { data: admin.templates() });
			case 'GET /messages': {
				const to = query.get('to');
				const data = admin.messages().filter((m) => to === null || m.to === to);
				return sendJson(res, 200, { data, total: data.length });
			}
			case 'GET /requests': {
				const limit = query.has('limit') ? Number(query.get('limit')) : undefined;
				return sendJson(res, 200, {
					data: admin.requests(limit && limit > 0 ? limit : undefined),
				});
			}
			case 'GET /webhook-deliveries':
				return sendJson(res, 200, { data: admin.webhookDeliveries() });
			case 'GET /webhook-config':
				return sendJson(res, 200, admin.webhookConfig());
			case 'GET /events':
				return sendJson(res, 200, { data: admin.events() });
			case 'POST /events': {
				const b = body();
				if (typeof b.type !== 'string' || b.type === '') {
					throw new HttpError(
						400,
						'validation_error',
						'type is required (e.g. "message.received")',
						{
							errors: [{ field: 'type', message: 'is required' }],
						},
					);
				}
				if (
					b.data !== undefined &&
					(typeof b.data !== 'object' || b.data === null || Array.isArray(b.data))
				) {
					throw new HttpError(400, 'validation_error', 'data must be a JSON object', {
						errors: [{ field: 'data', message: 'must be a JSON object' }],
					});
				}
				return sendJson(
					res,
					201,
					admin.emitEvent(b.type, b.data as Record<string, unknown> | undefined),
				);
			}
			default:
				throw new HttpError(404, 'not_found', `No admin route ${route}`);
		}
	} catch (err) {
		if (!(err instanceof HttpError)) throw err;
		sendJson(res, err.status, err.body());
	}
}
