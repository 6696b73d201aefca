/**
 * IntelliPortalClient: the contract's operations. Each call validates its input, makes one request
 * through the host's chain of layers (send.ts) and maps the answer to a typed result or error.
 */
import { resolveEnvironment } from './environment';
import type { Environment } from './environment';
import {
	clientPage,
	messageResponse,
	onboardedClient,
	unexpected,
	webhookConfig,
} from './responses';
import { compose, exchange } from './send';
import type { Layer, Send } from './send';
import type { HttpMethod, Transport } from './transport';
import type {
	Client,
	ClientPage,
	ClientSignupInput,
	ListAllClientsOptions,
	ListClientsOptions,
	MessageResponse,
	SendMessageInput,
	SendTemplateInput,
	WebhookConfig,
	WebhookConfigUpdateInput,
} from './types';
import {
	CLIENTS_MAX_PAGE_SIZE,
	validateClientSignup,
	validateListAll,
	validateListClients,
	validateSendMessage,
	validateSendTemplate,
	validateWebhookUpdate,
} from './validation';

export const DEFAULT_TIMEOUT_MS = 30_000;
const CLIENT_HEADER_VALUE = 'intelliportal-core/0.1.0';

export interface IntelliPortalClientOptions {
	apiKey: string;
	/** Default 'auto' (from the key prefix). */
	environment?: Environment;
	/** Required for 'custom'. */
	baseUrl?: string;
	transport: Transport;
	/** Around every request, outermost first (retry, pacing, run control); none: one attempt. */
	layers?: readonly Layer[];
	timeoutMs?: number;
	/** The X-IntelliPortal-Client header: the host package's name/version. */
	clientName?: string;
}

interface RequestSpec {
	method: HttpMethod;
	path: string;
	body?: unknown;
}

export class IntelliPortalClient {
	readonly baseUrl: string;
	readonly environment: 'production' | 'sandbox' | 'custom';
	// Private fields: toJSON and inspect never show the key.
	readonly #apiKey: string;
	readonly #transport: Transport;
	readonly #send: Send;
	readonly #timeoutMs: number;
	readonly #clientName: string;

	constructor(options: IntelliPortalClientOptions) {
		const resolved = resolveEnvironment(options);
		const transport = options.transport;
		this.baseUrl = resolved.baseUrl;
		this.environment = resolved.environment;
		this.#apiKey = resolved.apiKey;
		this.#transport = transport;
		this.#send = compose(options.layers ?? [], exchange(transport, [resolved.apiKey]));
		const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		this.#timeoutMs = Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS;
		this.#clientName = options.clientName || CLIENT_HEADER_VALUE;
	}

	toJSON(): Record<string, unknown> {
		return { baseUrl: this.baseUrl, environment: this.environment };
	}

	[Symbol.for('nodejs.util.inspect.custom')](): string {
		return `IntelliPortalClient { baseUrl: '${this.baseUrl}', environment: '${this.environment}' }`;
	}

	async sendMessage(input: SendMessageInput): Promise<MessageResponse> {
		const body = validateSendMessage(input);
		return this.request({ method: 'POST', path: '/messages/send', body }, messageResponse);
	}

	async sendTemplate(input: SendTemplateInput): Promise<MessageResponse> {
		const body = validateSendTemplate(input);
		return this.request({ method: 'POST', path: '/messages/send-template', body }, messageResponse);
	}

	async onboardClient(input: ClientSignupInput): Promise<Client> {
		const body = validateClientSignup(input);
		return this.request({ method: 'POST', path: '/clients/signup', body }, onboardedClient);
	}

	async listClients(options: ListClientsOptions = {}): Promise<ClientPage> {
		const { limit, offset } = validateListClients(options);
		const query = `?limit=${limit}&offset=${offset}`;
		return this.request({ method: 'GET', path: `/clients${query}` }, (body, status) =>
			clientPage(body, status, limit, offset),
		);
	}

	/**
	 * Every client, up to `max` (default: no limit), each once even when the list shifts. A server
	 * that ignores `offset` or never ends fails the listing rather than truncate it silently.
	 */
	async listAllClients(options: ListAllClientsOptions = {}): Promise<Client[]> {
		const all: Client[] = [];
		for await (const client of this.iterateClients(options)) all.push(client);
		return all;
	}

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
						limit: Math.min(pageSize, CLIENTS_MAX_PAGE_SIZE),
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

	/** Up to `count` clients from position `offset`, in as many requests as the server's page cap needs. */
	async readClientRange(offset: number, count: number): Promise<Client[]> {
		const range = validateListClients({ offset, limit: Math.min(count, CLIENTS_MAX_PAGE_SIZE) });
		const clients = new Map<string, Client>();
		let at = range.offset;
		let read = 0;
		while (read < count) {
			const page = await this.listClients({
				limit: Math.min(count - read, CLIENTS_MAX_PAGE_SIZE),
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
		return this.request({ method: 'GET', path: '/webhooks' }, webhookConfig);
	}

	async updateWebhookConfig(input: WebhookConfigUpdateInput): Promise<WebhookConfig> {
		const body = validateWebhookUpdate(input);
		return this.request({ method: 'PUT', path: '/webhooks', body }, (answer, status) =>
			webhookConfig(answer, status, true),
		);
	}

	/** The one request of every operation, its answer mapped to the operation's typed result. */
	private async request<T>(spec: RequestSpec, map: (body: unknown, status: number) => T) {
		const hasBody = spec.body !== undefined;
		const headers: Record<string, string> = {
			Accept: 'application/json',
			'X-IntelliPortal-Client': this.#clientName,
		};
		if (hasBody) headers['Content-Type'] = 'application/json';
		if (!this.#transport.authenticates) headers.Authorization = `Bearer ${this.#apiKey}`;
		const answer = await this.#send({
			method: spec.method,
			url: `${this.baseUrl}${spec.path}`,
			headers,
			...(hasBody ? { body: spec.body } : {}),
			timeoutMs: this.#timeoutMs,
		});
		return map(answer.body, answer.status);
	}
}
