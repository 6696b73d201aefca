/**
 * IntelliPortalClient: the six operations of the contract on a host Transport, with validation
 * before any request, typed errors, the retry policy and the optional shared rate governor.
 */
import { resolveEnvironment } from './environment';
import type { Environment } from './environment';
import { IntelliPortalError, NetworkError, ServerError, fromHttpResponse } from './errors';
import type { RateGovernor, RunControl } from './pacing';
import { redact } from './redact';
import { PACED_THROTTLE_BUDGET_MS, decideRetry, isThrottle, resolveRetryPolicy } from './retry';
import type { RetryPolicy } from './retry';
import { TransportFailure } from './transport';
import type { HttpMethod, Transport, TransportResponse } from './transport';
import type {
	Client,
	ClientPage,
	ClientSignupInput,
	SendMessageInput,
	SendTemplateInput,
	WebhookConfigUpdateInput,
	ListAllClientsOptions,
	ListClientsOptions,
	MessageResponse,
	WebhookConfig,
	WebhookConfigUpdate,
} from './types';
import { headerValue, parseResponseBody } from './http';
import { encodeQuery } from './url';
import {
	validateClientSignup,
	validateListAll,
	validateListClients,
	validateSendMessage,
	validateSendTemplate,
	validateWebhookUpdate,
} from './validation';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const CLIENT_HEADER_VALUE = 'intelliportal-core/0.1.0';

export interface IntelliPortalClientOptions {
	/** ik_test_… → sandbox server, ik_live_… → production server. */
	apiKey: string;
	/** Default 'auto' (from the key prefix). */
	environment?: Environment;
	/** Explicit server (emulator, gateway); required for 'custom'. */
	baseUrl?: string;
	transport: Transport;
	retry?: Partial<RetryPolicy>;
	/** Per request; default 30 000 ms. */
	timeoutMs?: number;
	/** Shared pacing across concurrent calls (bulk sending). */
	governor?: RateGovernor;
	/** The bulk run this client works for: its wait budget and Stop (pacing/run.ts). */
	run?: RunControl;
	/** Value of the X-IntelliPortal-Client header: the host package's name/version. */
	clientName?: string;
}

interface RequestSpec {
	method: HttpMethod;
	path: string;
	query?: Record<string, string | number | undefined>;
	body?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A 2xx whose body does not fit the contract. For a write (`processed`) the server accepted the
 * request, so the error says so: the message (client, configuration) exists, and sending it
 * again would duplicate it.
 */
function unexpected(what: string, status: number, processed = false): ServerError {
	const notice = processed
		? ` IntelliPortal accepted the request (HTTP ${status}), so it was processed; do not send it again.`
		: '';
	return new ServerError(`Unexpected response from IntelliPortal: ${what}.${notice}`, {
		code: 'unexpected_response',
		httpStatus: status,
		mayHaveBeenSent: processed,
	});
}

export class IntelliPortalClient {
	/** The resolved server (no trailing slash). */
	readonly baseUrl: string;
	readonly environment: 'production' | 'sandbox' | 'custom';
	// The key lives in a closure-like private field that toJSON/inspect never show.
	readonly #apiKey: string;
	readonly #transport: Transport;
	readonly #policy: RetryPolicy;
	readonly #timeoutMs: number;
	readonly #governor?: RateGovernor;
	readonly #run?: RunControl;
	readonly #clientName: string;

	constructor(options: IntelliPortalClientOptions) {
		if (!isRecord(options)) throw new TypeError('IntelliPortalClient needs options');
		const resolved = resolveEnvironment(options);
		const transport = options.transport;
		if (
			!transport ||
			typeof transport.request !== 'function' ||
			typeof transport.sleep !== 'function'
		) {
			throw new TypeError('IntelliPortalClient needs a transport with request() and sleep()');
		}
		this.baseUrl = resolved.baseUrl;
		this.environment = resolved.environment;
		this.#apiKey = resolved.apiKey;
		this.#transport = transport;
		// Under a governor a 429 is the pacing at work: give items a time budget, not an attempt cap.
		this.#policy = resolveRetryPolicy(
			options.governor && options.retry?.throttleBudgetMs === undefined
				? { ...options.retry, throttleBudgetMs: PACED_THROTTLE_BUDGET_MS }
				: options.retry,
		);
		const timeout = options.timeoutMs;
		this.#timeoutMs =
			typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0
				? timeout
				: DEFAULT_TIMEOUT_MS;
		this.#governor = options.governor;
		this.#run = options.run;
		this.#clientName =
			typeof options.clientName === 'string' && options.clientName
				? options.clientName
				: CLIENT_HEADER_VALUE;
	}

	toJSON(): Record<string, unknown> {
		return { baseUrl: this.baseUrl, environment: this.environment };
	}

	[Symbol.for('nodejs.util.inspect.custom')](): string {
		return `IntelliPortalClient { baseUrl: '${this.baseUrl}', environment: '${this.environment}' }`;
	}

	async sendMessage(input: SendMessageInput): Promise<MessageResponse> {
		const body = validateSendMessage(input);
		const { status, body: res } = await this.request({
			method: 'POST',
			path: '/messages/send',
			body,
		});
		return this.messageResponse(res, status);
	}

	async sendTemplate(input: SendTemplateInput): Promise<MessageResponse> {
		const body = validateSendTemplate(input);
		const { status, body: res } = await this.request({
			method: 'POST',
			path: '/messages/send-template',
			body,
		});
		return this.messageResponse(res, status);
	}

	async onboardClient(input: ClientSignupInput): Promise<Client> {
		const body = validateClientSignup(input);
		const { status, body: res } = await this.request({
			method: 'POST',
			path: '/clients/signup',
			body,
		});
		const client = isRecord(res) && isRecord(res.client) && !('id' in res) ? res.client : res;
		if (!isRecord(client) || typeof client.id !== 'string')
			throw unexpected('the onboarded client has no id', status, true);
		return client as Client;
	}

	async listClients(options: ListClientsOptions = {}): Promise<ClientPage> {
		const { limit, offset } = validateListClients(options);
		const { status, body } = await this.request({
			method: 'GET',
			path: '/clients',
			query: { limit, offset },
		});
		return this.clientPage(body, status, limit, offset);
	}

	/**
	 * Every client, page by page (pageSize default 100), up to `max` (default: no limit). Never
	 * stops short: a short page is not the end (servers cap page sizes); the list ends at an empty
	 * page or at `total`. Clients that shift while paging (added at the front) come again and are
	 * given once. A server that answers the same page again (ignores `offset`) or never ends
	 * (`maxPages`) stops the listing with an error instead of a silently truncated result.
	 */
	async listAllClients(options: ListAllClientsOptions = {}): Promise<Client[]> {
		const all: Client[] = [];
		for await (const client of this.iterateClients(options)) all.push(client);
		return all;
	}

	/** Async iterator over every client; holds one page in memory at a time. */
	iterateClients(options: ListAllClientsOptions = {}): AsyncIterable<Client> {
		const { max, pageSize, maxPages } = validateListAll(options);
		// eslint-disable-next-line @typescript-eslint/no-this-alias
		const self = this;
		return {
			async *[Symbol.asyncIterator]() {
				let offset = 0;
				let yielded = 0;
				let pages = 0;
				let previousPage = '';
				// ids only (not clients): what makes a shifted page's repeats come once
				const seen = new Set<string>();
				while (yielded < max) {
					if (++pages > maxPages) {
						throw unexpected(
							`the client list did not end after ${maxPages} pages (${offset} clients); listing stopped`,
							200,
						);
					}
					const page = await self.listClients({
						limit: Math.min(pageSize, CLIENT_PAGE_CAP),
						offset,
					});
					if (page.items.length === 0) return;
					const pageIds = page.items.map((c) => c.id).join('\n');
					if (offset > 0 && pageIds === previousPage) {
						throw unexpected(
							`the server answered the same page of clients for offset ${offset} as for the offset before it (it seems to ignore offset); listing stopped after ${yielded} clients`,
							200,
						);
					}
					previousPage = pageIds;
					for (const client of page.items) {
						if (seen.has(client.id)) continue;
						seen.add(client.id);
						yield client;
						if (++yielded >= max) return;
					}
					if (!page.hasMore) return;
					offset += page.items.length;
				}
			},
		};
	}

	/**
	 * Up to `count` clients from absolute position `offset` of the list, as many requests as the
	 * server's page cap needs (a dropdown's page N is positions N×size…, whatever size the server
	 * answers with). Ends early only at the end of the list.
	 */
	async readClientRange(offset: number, count: number): Promise<Client[]> {
		const range = validateListClients({ offset, limit: Math.min(count, CLIENT_PAGE_CAP) });
		const clients = new Map<string, Client>();
		let at = range.offset;
		let read = 0;
		while (read < count) {
			const page = await this.listClients({
				limit: Math.min(count - read, CLIENT_PAGE_CAP),
				offset: at,
			});
			// a list shifting while it is read repeats an item: given once
			for (const item of page.items) if (!clients.has(item.id)) clients.set(item.id, item);
			read += page.items.length;
			if (page.items.length === 0 || !page.hasMore) break;
			at += page.items.length;
		}
		return [...clients.values()];
	}

	async getWebhookConfig(): Promise<WebhookConfig> {
		const { status, body } = await this.request({ method: 'GET', path: '/webhooks' });
		return this.webhookConfig(body, status);
	}

	async updateWebhookConfig(input: WebhookConfigUpdateInput): Promise<WebhookConfig> {
		const body: WebhookConfigUpdate = validateWebhookUpdate(input);
		const { status, body: res } = await this.request({ method: 'PUT', path: '/webhooks', body });
		return this.webhookConfig(res, status, true);
	}

	// ------------------------------------------------------------------ internals

	private messageResponse(body: unknown, status: number): MessageResponse {
		if (!isRecord(body) || typeof body.id !== 'string')
			throw unexpected('the message response has no id', status, true);
		return body as MessageResponse;
	}

	private clientPage(body: unknown, status: number, limit: number, offset: number): ClientPage {
		let items: unknown;
		let total: number | undefined;
		if (Array.isArray(body)) items = body;
		else if (isRecord(body)) {
			items = Array.isArray(body.data)
				? body.data
				: Array.isArray(body.clients)
					? body.clients
					: undefined;
			if (typeof body.total === 'number' && Number.isInteger(body.total) && body.total >= 0)
				total = body.total;
		}
		if (!Array.isArray(items)) throw unexpected('the client list is not a list', status);
		const clients = items.filter((c): c is Client => isRecord(c) && typeof c.id === 'string');
		if (clients.length !== items.length) throw unexpected('a client in the list has no id', status);
		// see ClientPage: without `total`, only an empty page is the end
		const hasMore =
			total !== undefined
				? offset + clients.length < total && clients.length > 0
				: clients.length > 0;
		const page: ClientPage = { items: clients, limit, offset, hasMore };
		if (total !== undefined) page.total = total;
		return page;
	}

	private webhookConfig(body: unknown, status: number, processed = false): WebhookConfig {
		const config = isRecord(body) && isRecord(body.webhook) ? body.webhook : body;
		if (!isRecord(config))
			throw unexpected('the webhook configuration is not an object', status, processed);
		const url = typeof config.url === 'string' && config.url !== '' ? config.url : null;
		const events = Array.isArray(config.events)
			? config.events.filter((e): e is string => typeof e === 'string')
			: [];
		return { url, events };
	}

	private url(spec: RequestSpec): string {
		return `${this.baseUrl}${spec.path}${spec.query ? encodeQuery(spec.query) : ''}`;
	}

	private headers(hasBody: boolean): Record<string, string> {
		const headers: Record<string, string> = {
			Accept: 'application/json',
			'X-IntelliPortal-Client': this.#clientName,
		};
		if (hasBody) headers['Content-Type'] = 'application/json';
		if (!this.#transport.authenticates) headers.Authorization = `Bearer ${this.#apiKey}`;
		return headers;
	}

	private now(): number {
		return typeof this.#transport.now === 'function' ? this.#transport.now() : Date.now();
	}

	/** One operation: attempts, retry decisions, governor around every attempt. 2xx only returns. */
	private async request(spec: RequestSpec): Promise<{ status: number; body: unknown }> {
		const secrets = [this.#apiKey];
		const url = this.url(spec);
		let freeAttempts = 0;
		let throttleWaitedMs = 0;
		const run = this.#run;
		for (let attempt = 1; ; attempt++) {
			// Stopped before this attempt: the earlier ones (if any) were refused or never left.
			if (run?.stopped) throw run.stopError();
			const attemptStartedAt = run?.time();
			const result = await this.attempt(spec, url, secrets);
			if (!(result instanceof IntelliPortalError)) return result;
			const decision = decideRetry({
				method: spec.method,
				attempt,
				error: result,
				policy: this.#policy,
				freeAttempts,
				throttleWaitedMs,
			});
			if (!decision.retry) throw decision.error;
			if (run) {
				if (run.stopped)
					throw isThrottle(result) || !result.mayHaveBeenSent ? run.stopError() : result;
				if (isThrottle(result)) {
					// Refused: its flight counts, and a wait that would overspend ends it, unsent.
					if (attemptStartedAt !== undefined) run.chargeSince(attemptStartedAt);
					if (run.exceedsBudget(decision.delayMs)) throw run.budgetError(decision.delayMs);
					run.chargeWait(decision.delayMs);
				}
			}
			if (decision.free) {
				freeAttempts++;
				throttleWaitedMs += decision.delayMs;
			}
			if (!run) await this.#transport.sleep(decision.delayMs);
			else if (!(await run.wait((ms) => this.#transport.sleep(ms), decision.delayMs)))
				throw run.stopError();
		}
	}

	/** One HTTP attempt inside the governor: a 2xx result, or the typed error of the failure. */
	private async attempt(
		spec: RequestSpec,
		url: string,
		secrets: string[],
	): Promise<{ status: number; body: unknown } | IntelliPortalError> {
		const outcome: { status?: number; retryAfterMs?: number } = {};
		const run = this.#run;
		if (this.#governor) await this.#governor.acquire(run);
		try {
			let response: TransportResponse;
			try {
				response = await this.send(spec, url);
			} catch (failure) {
				return this.networkError(failure, spec.method, secrets);
			}
			const status = Number(response?.status);
			const headers = isRecord(response?.headers)
				? (response.headers as Record<string, string | undefined>)
				: {};
			outcome.status = status;
			const body = parseResponseBody(response?.body, headerValue(headers, 'content-type'));
			if (status >= 200 && status < 300) return { status, body };
			const error = fromHttpResponse(status, headers, body, {
				method: spec.method,
				secrets,
				now: this.now(),
			});
			const retryAfterMs = (error as { retryAfterMs?: number }).retryAfterMs;
			if (retryAfterMs !== undefined) outcome.retryAfterMs = retryAfterMs;
			return error;
		} finally {
			if (this.#governor) {
				try {
					this.#governor.release(outcome);
				} catch {
					// a governor must never turn a result into a failure
				}
			}
		}
	}

	/**
	 * The transport's request; on Stop, the wait for its answer ends at once with a 'response'
	 * failure (it left, so it may have been processed) unless the answer arrived first.
	 */
	private async send(spec: RequestSpec, url: string): Promise<TransportResponse> {
		const request = this.#transport.request({
			method: spec.method,
			url,
			headers: this.headers(spec.body !== undefined),
			...(spec.body !== undefined ? { body: spec.body } : {}),
			timeoutMs: this.#timeoutMs,
		});
		const run = this.#run;
		if (!run) return await request;
		const stopped = run.whenStopped();
		try {
			return await Promise.race([
				request,
				stopped.promise.then(() => {
					throw new TransportFailure('the run was stopped while the request was in flight', {
						phase: 'response',
						code: 'RUN_STOPPED',
					});
				}),
			]);
		} finally {
			stopped.cancel();
			// The transport's own outcome no longer matters once the race is decided.
			request.catch(() => undefined);
		}
	}

	private networkError(failure: unknown, method: HttpMethod, secrets: string[]): NetworkError {
		const phase = failure instanceof TransportFailure ? failure.phase : 'response';
		const raw = failure instanceof Error ? failure.message : 'request failed';
		const detail = redact(raw, secrets).slice(0, 300);
		const mayHaveBeenSent = phase !== 'connect' && method !== 'GET';
		const what =
			phase === 'connect'
				? 'Could not connect to IntelliPortal'
				: phase === 'timeout'
					? 'IntelliPortal did not answer in time'
					: 'The connection to IntelliPortal broke before an answer arrived';
		const notice =
			mayHaveBeenSent && method === 'POST'
				? ' The request may have been processed; it was not repeated, to avoid sending twice.'
				: '';
		return new NetworkError(`${what} (${this.baseUrl}): ${detail}.${notice}`, {
			phase,
			timedOut: phase === 'timeout',
			mayHaveBeenSent,
			...(failure instanceof TransportFailure && failure.code
				? { details: { transportCode: redact(failure.code, secrets).slice(0, 64) } }
				: {}),
		});
	}
}

const CLIENT_PAGE_CAP = 100;
