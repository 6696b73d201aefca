/**
 * IntelliPortal sandbox emulator: a real HTTP server implementing every operation of
 * shared/openapi.json under /v1, validating requests against the contract, with in-memory
 * state, message status progression, webhook delivery, and knobs for latency, rate limiting
 * and faults. Dev tooling (tests, demo, benchmarks); not part of the n8n tarball.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRng, randomHex } from './rng';
import type { Rng } from './rng';
import { ContractValidator } from './validator';
import type { FieldIssue } from './validator';
import { WebhookDispatcher } from './webhooks';
import { EVENT_TYPES } from './types';
import type {
	ClientRecord,
	Counters,
	EmulatorConfig,
	EmulatorOptions,
	FaultKind,
	MessageRecord,
	MessageStatus,
	RequestLogEntry,
	TemplateRecord,
	WebhookConfigRecord,
	WebhookDelivery,
	WebhookEvent,
} from './types';

export * from './types';
export { isLoopbackUrl } from './webhooks';
export type { FieldIssue } from './validator';

export const DEFAULT_CONFIG: Readonly<EmulatorConfig> = Object.freeze({
	latencyMs: 0,
	jitterMs: 0,
	rateLimitRps: 0,
	rateLimitBurst: 0,
	fault500: 0,
	fault503: 0,
	fault429: 0,
	faultResetBefore: 0,
	faultResetAfter: 0,
	faultSlow: 0,
	slowMs: 35_000,
	retryAfterSeconds: 1,
	statusStepMs: 1000,
	webhookMaxAttempts: 4,
	webhookBackoffMs: 250,
	webhookTimeoutMs: 5000,
	listOmitTotal: 0,
	listPageCap: 0,
	listIgnoreOffset: 0,
	listShiftAfterFirstPage: 0,
	listEndless: 0,
});

const PROBABILITY_KEYS = [
	'fault500',
	'fault503',
	'fault429',
	'faultResetBefore',
	'faultResetAfter',
	'faultSlow',
] as const;

/** Templates every emulator starts with: name → number of body parameters. */
export const SEEDED_TEMPLATES: readonly TemplateRecord[] = Object.freeze([
	{ name: 'welcome', parameterCount: 1, languages: ['en', 'es', 'pt_BR'], text: 'Welcome, {{1}}!' },
	{
		name: 'order_update',
		parameterCount: 2,
		languages: ['en', 'es'],
		text: 'Your order {{1}} is now {{2}}.',
	},
	{
		name: 'appointment_reminder',
		parameterCount: 3,
		languages: ['en'],
		text: 'Hi {{1}}, a reminder of your appointment on {{2}} at {{3}}.',
	},
	{ name: 'hello_world', parameterCount: 0, languages: ['en'], text: 'Hello from IntelliPortal!' },
]);

/** Recipients matching this pattern are accepted, then move queued → failed. */
export const FAILING_RECIPIENT = /0000$/;

/** A key the emulator accepts (any `ik_test_`/`ik_live_` key with ≥ 8 more characters does). */
export const EXAMPLE_API_KEY = 'ik_test_sandbox_0123456789abcdef';

const API_KEY_PATTERN = /^Bearer[ \t]+(ik_(?:test|live)_[A-Za-z0-9_-]{8,256})[ \t]*$/i;
const MAX_BODY_BYTES = 1024 * 1024;
const SENSITIVE_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key']);

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

export interface RunningEmulator {
	/** Origin, e.g. http://127.0.0.1:4010 */
	url: string;
	/** Contract base URL (origin + /v1), what IntelliPortalClient's baseUrl takes. */
	baseUrl: string;
	port: number;
	admin: EmulatorAdmin;
	stop(): Promise<void>;
}

class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly details?: Record<string, unknown>,
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}

function validationError(issues: FieldIssue[]): HttpError {
	const first = issues[0];
	const message =
		issues.length === 1
			? `${first.field} ${first.message}`
			: `${issues.length} problems: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`;
	return new HttpError(400, 'validation_error', message, {
		errors: issues.map((i) => ({ field: i.field, message: i.message })),
	});
}

interface ContractResult {
	status: number;
	body: unknown;
}

let validatorPromise: Promise<ContractValidator> | undefined;

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
	validatorPromise ??= ContractValidator.load();
	const validator = await validatorPromise;
	const emulator = new Emulator(validator, options);
	return emulator.listen(options.port ?? 0, options.host ?? '127.0.0.1');
}

class Emulator {
	private readonly startConfig: EmulatorConfig;
	private cfg: EmulatorConfig;
	private readonly seed: number;
	private faultRng!: Rng;
	private jitterRng!: Rng;
	private idRng!: Rng;
	private clients: ClientRecord[] = [];
	private clientsByPhone = new Map<string, ClientRecord>();
	private messages = new Map<string, MessageRecord>();
	private webhook: WebhookConfigRecord = { url: null, events: [] };
	private events: WebhookEvent[] = [];
	private requestLog: RequestLogEntry[] = [];
	private counters: Counters = emptyCounters();
	private bucket = { tokens: 0, last: 0 };
	private readonly statusTimers = new Map<string, NodeJS.Timeout>();
	private readonly sleeps = new Set<NodeJS.Timeout>();
	private readonly dispatcher: WebhookDispatcher;
	private readonly log: (line: string) => void;
	private readonly requestLogSize: number;
	private server?: Server;
	private stopped = false;
	private seededCount = 0;

	constructor(
		private readonly validator: ContractValidator,
		private readonly options: EmulatorOptions,
	) {
		const start: EmulatorConfig = { ...DEFAULT_CONFIG };
		for (const key of Object.keys(DEFAULT_CONFIG) as Array<keyof EmulatorConfig>) {
			if (options[key] !== undefined) start[key] = options[key] as number;
		}
		this.startConfig = checkConfig(start);
		this.cfg = { ...this.startConfig };
		this.seed = options.seed ?? 1;
		this.log = options.log ?? (() => undefined);
		this.requestLogSize = options.requestLogSize ?? 500;
		this.dispatcher = new WebhookDispatcher(
			() => this.cfg,
			() => this.counters,
			() => `dlv_${randomHex(this.idRng, 20)}`,
			options.allowRemoteWebhooks ?? false,
			this.log,
		);
		this.resetState();
	}

	async listen(port: number, host: string): Promise<RunningEmulator> {
		const server = createServer((req, res) => {
			this.handle(req, res).catch((err: unknown) => {
				this.log(`internal error: ${err instanceof Error ? err.message : String(err)}`);
				if (!res.headersSent && !res.destroyed) {
					sendJson(res, 500, {
						error: { code: 'internal_error', message: 'Emulator internal error' },
					});
				}
			});
		});
		server.keepAliveTimeout = 5000;
		this.server = server;
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, host, () => {
				server.off('error', reject);
				resolve();
			});
		});
		const actualPort = (server.address() as AddressInfo).port;
		const hostPart = host.includes(':') ? `[${host}]` : host;
		const url = `http://${hostPart}:${actualPort}`;
		return {
			url,
			baseUrl: `${url}/v1`,
			port: actualPort,
			admin: this.adminApi(),
			stop: () => this.stop(),
		};
	}

	private async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		for (const t of this.statusTimers.values()) clearTimeout(t);
		this.statusTimers.clear();
		for (const t of this.sleeps) clearTimeout(t);
		this.sleeps.clear();
		this.dispatcher.stop();
		const server = this.server;
		if (!server) return;
		await new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
	}

	// ---------------------------------------------------------------- state

	private resetState(): void {
		for (const t of this.statusTimers.values()) clearTimeout(t);
		this.statusTimers.clear();
		this.dispatcher.clear();
		this.cfg = { ...this.startConfig };
		this.faultRng = createRng(this.seed);
		this.jitterRng = createRng(this.seed ^ 0x9e3779b9);
		this.idRng = createRng(this.seed ^ 0x85ebca6b);
		this.clients = [];
		this.clientsByPhone = new Map();
		this.messages = new Map();
		this.webhook = { url: null, events: [] };
		this.events = [];
		this.requestLog = [];
		this.counters = emptyCounters();
		this.resetBucket();
		this.seededCount = 0;
		if (this.options.seedClients) this.seedClients(this.options.seedClients);
	}

	private resetBucket(): void {
		this.bucket = { tokens: this.burst(), last: Date.now() };
	}

	private burst(): number {
		return this.cfg.rateLimitBurst > 0
			? this.cfg.rateLimitBurst
			: Math.max(1, this.cfg.rateLimitRps);
	}

	private seedClients(count: number): ClientRecord[] {
		if (!Number.isInteger(count) || count < 0 || count > 100_000) {
			throw new HttpError(
				400,
				'validation_error',
				'count must be an integer between 0 and 100000',
				{
					errors: [{ field: 'count', message: 'must be an integer between 0 and 100000' }],
				},
			);
		}
		const created: ClientRecord[] = [];
		for (let i = 0; i < count; i++) {
			const n = ++this.seededCount;
			const suffix = String(n).padStart(4, '0');
			created.push(
				this.addClient({
					business_name: `Seed Business ${suffix}`,
					phone_number_id: `seed_pn_${suffix}_${randomHex(this.idRng, 4)}`,
					waba_id: `seed_waba_${suffix}`,
				}),
			);
		}
		return created;
	}

	private addClient(input: {
		business_name: string;
		phone_number_id: string;
		waba_id?: string;
		callback_url?: string;
	}): ClientRecord {
		const client: ClientRecord = {
			id: `cl_${randomHex(this.idRng, 20)}`,
			business_name: input.business_name,
			phone_number_id: input.phone_number_id,
			...(input.waba_id !== undefined ? { waba_id: input.waba_id } : {}),
			...(input.callback_url !== undefined ? { callback_url: input.callback_url } : {}),
			status: 'active',
			created_at: new Date().toISOString(),
		};
		this.clients.push(client);
		this.clientsByPhone.set(client.phone_number_id, client);
		this.counters.clientsCreated++;
		return client;
	}

	private emit(type: string, data: Record<string, unknown>): WebhookEvent {
		const event: WebhookEvent = {
			id: `evt_${randomHex(this.idRng, 20)}`,
			type,
			created_at: new Date().toISOString(),
			data,
		};
		this.events.push(event);
		this.counters.webhooks.events++;
		const { url, events } = this.webhook;
		// An empty list delivers nothing (see updateWebhook): the only way the contract's PUT can
		// switch deliveries off, since it cannot clear the URL.
		if (url && events.includes(type)) this.dispatcher.deliver(event, url);
		return event;
	}

	private messageEventData(m: MessageRecord): Record<string, unknown> {
		return {
			message_id: m.id,
			client_ref: m.client_ref,
			to: m.to,
			channel: m.channel,
			status: m.status,
			...(m.error ? { error: m.error } : {}),
		};
	}

	private setStatus(
		m: MessageRecord,
		status: MessageStatus,
		error?: { code: string; message: string },
	): void {
		const now = new Date().toISOString();
		m.status = status;
		m.updated_at = now;
		m.history.push({ status, at: now });
		if (status === 'failed')
			m.error = error ??
				m.error ?? { code: 'undeliverable', message: 'The recipient could not be reached' };
		else delete m.error;
		this.emit(`message.${status}`, this.messageEventData(m));
		this.scheduleNext(m);
	}

	private scheduleNext(m: MessageRecord): void {
		const existing = this.statusTimers.get(m.id);
		if (existing) clearTimeout(existing);
		this.statusTimers.delete(m.id);
		if (this.cfg.statusStepMs <= 0 || this.stopped) return;
		const next = nextStatus(m);
		if (!next) return;
		const timer = setTimeout(() => {
			this.statusTimers.delete(m.id);
			if (this.messages.get(m.id) !== m) return; // reset meanwhile
			this.setStatus(
				m,
				next,
				next === 'failed'
					? { code: 'undeliverable', message: `Recipient ${m.to} is not reachable on ${m.channel}` }
					: undefined,
			);
		}, this.cfg.statusStepMs);
		this.statusTimers.set(m.id, timer);
	}

	private acceptMessage(
		kind: 'message' | 'template',
		body: Record<string, unknown>,
		type: MessageRecord['type'],
	): MessageRecord {
		const now = new Date().toISOString();
		const to = String(body.to);
		const m: MessageRecord = {
			id: `msg_${randomHex(this.idRng, 24)}`,
			kind,
			client_ref: String(body.client_ref),
			to,
			type,
			channel: to.includes('@') ? 'email' : 'whatsapp',
			status: 'queued',
			created_at: now,
			updated_at: now,
			body: structuredClone(body),
			history: [{ status: 'queued', at: now }],
		};
		this.messages.set(m.id, m);
		if (kind === 'message') this.counters.messagesAccepted++;
		else this.counters.templatesAccepted++;
		this.emit('message.queued', this.messageEventData(m));
		this.scheduleNext(m);
		return m;
	}

	// ---------------------------------------------------------------- HTTP

	private sleep(ms: number): Promise<void> {
		if (ms <= 0) return Promise.resolve();
		return new Promise((resolve) => {
			const t = setTimeout(() => {
				this.sleeps.delete(t);
				resolve();
			}, ms);
			this.sleeps.add(t);
		});
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const started = Date.now();
		const requestId = `req_${randomHex(this.idRng, 16)}`;
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
			await this.handleAdmin(method, path, parsed.searchParams, raw, res);
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
			this.record(entry, routeKey);
		};

		const operation = this.validator.match(method, path);
		if (!operation) {
			const allowed = this.validator.allowedMethods(path);
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
			if (this.stopped || res.destroyed) return;
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

		await this.sleep(this.cfg.latencyMs + Math.floor(this.jitterRng() * (this.cfg.jitterMs + 1)));
		if (this.stopped) return;

		const retryAfter = this.takeToken();
		if (retryAfter !== undefined) {
			this.counters.rateLimited++;
			respond(
				429,
				{
					error: {
						code: 'rate_limited',
						message: `Rate limit exceeded; retry after ${retryAfter} s`,
						details: { retry_after: retryAfter },
					},
				},
				{ 'Retry-After': String(retryAfter) },
			);
			return;
		}

		const fault = this.rollFault();
		if (fault) {
			this.counters.faults[fault]++;
			entry.fault = fault;
		}
		if (fault === 'resetBefore') {
			this.log(`${routeKey} fault: connection reset before processing`);
			req.socket.destroy();
			finish('reset', routeKey);
			return;
		}
		if (fault === 'error500') {
			respond(500, {
				error: { code: 'internal_error', message: 'Internal server error (injected fault)' },
			});
			return;
		}
		if (fault === 'error503') {
			const s = this.cfg.retryAfterSeconds;
			respond(
				503,
				{
					error: {
						code: 'service_unavailable',
						message: `Service temporarily unavailable (injected fault); retry after ${s} s`,
					},
				},
				{ 'Retry-After': String(s) },
			);
			return;
		}

		if (fault === 'error429') {
			const s = this.cfg.retryAfterSeconds;
			respond(
				429,
				{
					error: {
						code: 'rate_limited',
						message: `Rate limit exceeded (injected fault); retry after ${s} s`,
						details: { retry_after: s },
					},
				},
				{ 'Retry-After': String(s) },
			);
			return;
		}

		let result: ContractResult;
		try {
			const body = parseJsonBody(method, req.headers['content-type'], raw);
			const issues = this.validator.validate(
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
			result = this.dispatch(
				operation.operationId ?? '',
				body as Record<string, unknown>,
				parsed.searchParams,
			);
		} catch (err) {
			if (!(err instanceof HttpError)) throw err;
			for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
			result = {
				status: err.status,
				body: {
					error: {
						code: err.code,
						message: err.message,
						...(err.details ? { details: err.details } : {}),
					},
				},
			};
		}

		if (fault === 'resetAfter') {
			this.log(
				`${routeKey} fault: connection reset after processing (status would have been ${result.status})`,
			);
			req.socket.destroy();
			finish('reset', routeKey);
			return;
		}
		if (fault === 'slow') {
			await this.sleep(this.cfg.slowMs);
			if (this.stopped || res.destroyed || req.socket.destroyed) {
				finish('reset', routeKey);
				return;
			}
		}
		respond(result.status, result.body);
	}

	private record(entry: RequestLogEntry, routeKey: string): void {
		this.counters.requests++;
		const byStatus = (this.counters.byRoute[routeKey] ??= {});
		const key = String(entry.status);
		byStatus[key] = (byStatus[key] ?? 0) + 1;
		this.requestLog.push(entry);
		if (this.requestLog.length > this.requestLogSize)
			this.requestLog.splice(0, this.requestLog.length - this.requestLogSize);
		this.log(
			`${entry.method} ${entry.path}${entry.query} → ${entry.status}${entry.fault ? ` [${entry.fault}]` : ''} ${entry.durationMs} ms`,
		);
	}

	/** undefined = allowed; otherwise Retry-After seconds. */
	private takeToken(): number | undefined {
		const rps = this.cfg.rateLimitRps;
		if (rps <= 0) return undefined;
		const now = Date.now();
		const capacity = this.burst();
		this.bucket.tokens = Math.min(
			capacity,
			this.bucket.tokens + ((now - this.bucket.last) / 1000) * rps,
		);
		this.bucket.last = now;
		if (this.bucket.tokens >= 1) {
			this.bucket.tokens -= 1;
			return undefined;
		}
		return Math.max(1, Math.ceil((1 - this.bucket.tokens) / rps));
	}

	private rollFault(): FaultKind | undefined {
		const c = this.cfg;
		const table: Array<[FaultKind, number]> = [
			['resetBefore', c.faultResetBefore],
			['error500', c.fault500],
			['error503', c.fault503],
			['resetAfter', c.faultResetAfter],
			['slow', c.faultSlow],
			// Last, so that adding this knob leaves the fault sequence of existing seeds unchanged.
			['error429', c.fault429],
		];
		if (table.every(([, p]) => p <= 0)) return undefined;
		const r = this.faultRng();
		let acc = 0;
		for (const [kind, p] of table) {
			acc += p;
			if (r < acc) return kind;
		}
		return undefined;
	}

	// ---------------------------------------------------------------- contract operations

	private dispatch(
		operationId: string,
		body: Record<string, unknown>,
		query: URLSearchParams,
	): ContractResult {
		switch (operationId) {
			case 'sendMessage':
				return this.sendMessage(body);
			case 'sendTemplateMessage':
				return this.sendTemplate(body);
			case 'onboardClient':
				return this.onboardClient(body);
			case 'listClients':
				return this.listClients(query);
			case 'getWebhookConfig':
				return { status: 200, body: { ...this.webhook, events: [...this.webhook.events] } };
			case 'updateWebhookConfig':
				return this.updateWebhook(body);
			default:
				throw new HttpError(404, 'not_found', `Operation ${operationId} is not implemented`);
		}
	}

	private sendMessage(body: Record<string, unknown>): ContractResult {
		const issues = requireNonEmpty(body, ['client_ref', 'to']);
		const type = body.type as 'text' | 'media' | 'template';
		if (type === 'text') {
			const text = body.text as { body?: unknown } | undefined;
			if (typeof text?.body !== 'string' || text.body.trim() === '') {
				issues.push({ field: 'text.body', message: "is required (non-empty) when type is 'text'" });
			} else if (text.body.length > 4096) {
				issues.push({ field: 'text.body', message: 'must be at most 4096 characters' });
			}
		} else if (type === 'media') {
			const media = body.media as { url?: unknown } | undefined;
			if (typeof media?.url !== 'string' || media.url === '') {
				issues.push({ field: 'media.url', message: "is required when type is 'media'" });
			} else if (!isHttpUrl(media.url)) {
				issues.push({ field: 'media.url', message: 'must be an http(s) URL' });
			}
		} else if (type === 'template') {
			issues.push({
				field: 'type',
				message:
					"'template' messages are sent with POST /messages/send-template (they need template.name and parameters)",
			});
		}
		if (issues.length > 0) throw validationError(issues);
		return { status: 200, body: messageResponse(this.acceptMessage('message', body, type)) };
	}

	private sendTemplate(body: Record<string, unknown>): ContractResult {
		const issues = requireNonEmpty(body, ['client_ref', 'to']);
		const template = body.template as {
			name: string;
			language?: { code?: string };
			parameters?: string[];
		};
		if (template.name.trim() === '') {
			issues.push({ field: 'template.name', message: 'must not be empty' });
			throw validationError(issues);
		}
		const known = SEEDED_TEMPLATES.find((t) => t.name === template.name);
		if (!known) {
			throw new HttpError(404, 'template_not_found', `Template '${template.name}' not found`, {
				name: template.name,
				available: SEEDED_TEMPLATES.map((t) => t.name),
			});
		}
		const language = template.language?.code ?? 'en';
		if (!known.languages.includes(language)) {
			issues.push({
				field: 'template.language.code',
				message: `template '${known.name}' has no '${language}' translation (available: ${known.languages.join(', ')})`,
			});
		}
		const params = template.parameters ?? [];
		if (params.length !== known.parameterCount) {
			issues.push({
				field: 'template.parameters',
				message: `template '${known.name}' takes ${known.parameterCount} parameter(s), got ${params.length}`,
			});
		}
		params.forEach((p, i) => {
			if (p.trim() === '')
				issues.push({ field: `template.parameters[${i}]`, message: 'must not be empty' });
		});
		if (issues.length > 0) throw validationError(issues);
		return { status: 200, body: messageResponse(this.acceptMessage('template', body, 'template')) };
	}

	private onboardClient(body: Record<string, unknown>): ContractResult {
		const issues = requireNonEmpty(body, ['business_name', 'phone_number_id']);
		if (typeof body.callback_url === 'string' && !isHttpUrl(body.callback_url)) {
			issues.push({ field: 'callback_url', message: 'must be an http(s) URL' });
		}
		if (issues.length > 0) throw validationError(issues);
		const phone = String(body.phone_number_id);
		const existing = this.clientsByPhone.get(phone);
		if (existing) {
			throw new HttpError(
				409,
				'client_exists',
				`A client with phone_number_id '${phone}' already exists`,
				{
					field: 'phone_number_id',
					client_id: existing.id,
				},
			);
		}
		const client = this.addClient({
			business_name: String(body.business_name),
			phone_number_id: phone,
			waba_id: typeof body.waba_id === 'string' ? body.waba_id : undefined,
			callback_url: typeof body.callback_url === 'string' ? body.callback_url : undefined,
		});
		this.emit('client.onboarded', { client: { ...client } });
		return { status: 201, body: client };
	}

	private listClients(query: URLSearchParams): ContractResult {
		const limit = query.has('limit') ? Number(query.get('limit')) : 20;
		const offset = query.has('offset') ? Number(query.get('offset')) : 0;
		const issues: FieldIssue[] = [];
		if (!Number.isInteger(limit) || limit < 1 || limit > 100)
			issues.push({ field: 'limit', message: 'must be an integer between 1 and 100' });
		if (!Number.isInteger(offset) || offset < 0)
			issues.push({ field: 'offset', message: 'must be an integer ≥ 0' });
		if (issues.length > 0) throw validationError(issues);
		const cfg = this.cfg;
		const size = cfg.listPageCap > 0 ? Math.min(limit, cfg.listPageCap) : limit;
		const from = cfg.listIgnoreOffset ? 0 : offset;
		const data = cfg.listEndless
			? Array.from({ length: size }, (_, i) => this.madeUpClient(offset + i))
			: this.clients.slice(from, from + size).map((c) => ({ ...c }));
		const body: Record<string, unknown> = { data, limit: size, offset: from };
		if (!cfg.listOmitTotal && !cfg.listEndless) body.total = this.clients.length;
		if (cfg.listShiftAfterFirstPage > 0 && from === 0) {
			const added = this.seedClients(cfg.listShiftAfterFirstPage);
			this.clients = [...added, ...this.clients.filter((c) => !added.includes(c))];
		}
		return { status: 200, body };
	}

	/** A client that exists only in one page of an endless list (listEndless). */
	private madeUpClient(position: number): ClientRecord {
		return {
			id: `cl_endless_${position}`,
			business_name: `Endless ${position}`,
			phone_number_id: String(9_000_000_000 + position),
			status: 'active',
			created_at: new Date(0).toISOString(),
		};
	}

	private updateWebhook(body: Record<string, unknown>): ContractResult {
		const issues: FieldIssue[] = [];
		if (body.url !== undefined && !isHttpUrl(body.url as string)) {
			issues.push({ field: 'url', message: 'must be an http(s) URL' });
		}
		const events = body.events as string[] | undefined;
		events?.forEach((e, i) => {
			if (!(EVENT_TYPES as readonly string[]).includes(e)) {
				issues.push({
					field: `events[${i}]`,
					message: `unknown event '${e}'; known events: ${EVENT_TYPES.join(', ')}`,
				});
			}
		});
		if (issues.length > 0) throw validationError(issues);
		if (body.url !== undefined) this.webhook.url = body.url as string;
		// Decided with the core (shared/webhooks.ts, docs/ARCHITECTURE.md): `events` left out
		// means every event, `events: []` means none (deliveries off, URL kept).
		this.webhook.events = events === undefined ? [...EVENT_TYPES] : [...new Set(events)];
		return { status: 200, body: { ...this.webhook, events: [...this.webhook.events] } };
	}

	// ---------------------------------------------------------------- admin

	private adminApi(): EmulatorAdmin {
		return {
			counters: () => structuredClone(this.counters),
			config: (patch) => {
				if (patch) this.applyConfig(patch);
				return { ...this.cfg };
			},
			reset: () => this.resetState(),
			seedClients: (count) => this.seedClients(count).map((c) => ({ ...c })),
			clients: () => this.clients.map((c) => ({ ...c })),
			messages: () => [...this.messages.values()].map((m) => structuredClone(m)),
			requests: (limit) => structuredClone(limit ? this.requestLog.slice(-limit) : this.requestLog),
			webhookConfig: () => ({ url: this.webhook.url, events: [...this.webhook.events] }),
			webhookDeliveries: () => structuredClone(this.dispatcher.deliveries),
			events: () => structuredClone(this.events),
			templates: () => SEEDED_TEMPLATES.map((t) => ({ ...t, languages: [...t.languages] })),
			emitEvent: (type, data = {}) => structuredClone(this.emit(type, data)),
			setMessageStatus: (id, status, error) => {
				const m = this.messages.get(id);
				if (!m) throw new HttpError(404, 'not_found', `No message ${id}`);
				if (!['queued', 'sent', 'delivered', 'read', 'failed'].includes(status)) {
					throw new HttpError(
						400,
						'validation_error',
						'status must be one of queued, sent, delivered, read, failed',
					);
				}
				this.setStatus(m, status, error);
				return structuredClone(m);
			},
			webhooksIdle: () => this.dispatcher.idle(),
		};
	}

	private applyConfig(patch: Partial<EmulatorConfig>): void {
		if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
			throw new HttpError(400, 'validation_error', 'config must be a JSON object');
		}
		const next = { ...this.cfg };
		for (const [key, value] of Object.entries(patch)) {
			if (!(key in DEFAULT_CONFIG)) {
				throw new HttpError(
					400,
					'validation_error',
					`unknown config key '${key}'; known: ${Object.keys(DEFAULT_CONFIG).join(', ')}`,
				);
			}
			next[key as keyof EmulatorConfig] = value as number;
		}
		const rateChanged =
			next.rateLimitRps !== this.cfg.rateLimitRps ||
			next.rateLimitBurst !== this.cfg.rateLimitBurst;
		this.cfg = checkConfig(next);
		if (rateChanged) this.resetBucket();
	}

	private async handleAdmin(
		method: string,
		path: string,
		query: URLSearchParams,
		raw: string,
		res: ServerResponse,
	): Promise<void> {
		const admin = this.adminApi();
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
						b.error as never,
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
			sendJson(res, err.status, {
				error: {
					code: err.code,
					message: err.message,
					...(err.details ? { details: err.details } : {}),
				},
			});
		}
	}
}

// -------------------------------------------------------------------- helpers

function emptyCounters(): Counters {
	return {
		requests: 0,
		byRoute: {},
		rateLimited: 0,
		faults: { error500: 0, error503: 0, error429: 0, resetBefore: 0, resetAfter: 0, slow: 0 },
		messagesAccepted: 0,
		templatesAccepted: 0,
		clientsCreated: 0,
		webhooks: { events: 0, delivered: 0, failed: 0, blocked: 0, attempts: 0 },
	};
}

function checkConfig(cfg: EmulatorConfig): EmulatorConfig {
	for (const [key, value] of Object.entries(cfg)) {
		if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
			throw new HttpError(400, 'validation_error', `config ${key} must be a finite number ≥ 0`);
		}
	}
	for (const key of PROBABILITY_KEYS) {
		if (cfg[key] > 1)
			throw new HttpError(400, 'validation_error', `config ${key} is a probability: 0..1`);
	}
	const total = PROBABILITY_KEYS.reduce((sum, k) => sum + cfg[k], 0);
	if (total > 1 + 1e-9)
		throw new HttpError(
			400,
			'validation_error',
			`fault probabilities add up to ${total}; at most 1`,
		);
	if (cfg.webhookMaxAttempts < 1)
		throw new HttpError(400, 'validation_error', 'config webhookMaxAttempts must be ≥ 1');
	return cfg;
}

function nextStatus(m: MessageRecord): MessageStatus | undefined {
	switch (m.status) {
		case 'queued':
			return FAILING_RECIPIENT.test(m.to) ? 'failed' : 'sent';
		case 'sent':
			return 'delivered';
		case 'delivered':
			return 'read';
		default:
			return undefined;
	}
}

function messageResponse(m: MessageRecord) {
	return { id: m.id, status: m.status, channel: m.channel, created_at: m.created_at };
}

function requireNonEmpty(body: Record<string, unknown>, fields: string[]): FieldIssue[] {
	return fields
		.filter((f) => typeof body[f] === 'string' && (body[f] as string).trim() === '')
		.map((f) => ({ field: f, message: 'must not be empty' }));
}

function isHttpUrl(value: string): boolean {
	try {
		const u = new URL(value);
		return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
	} catch {
		return false;
	}
}

function parseJsonBody(method: string, contentType: string | undefined, raw: string): unknown {
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

function readBody(req: IncomingMessage): Promise<string> {
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

function redactHeaders(headers: IncomingMessage['headers']): Record<string, string> {
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

function sendJson(res: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.statusCode = status;
	res.setHeader('Content-Type', 'application/json; charset=utf-8');
	res.setHeader('Content-Length', Buffer.byteLength(text));
	res.end(text);
}
