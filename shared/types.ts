/**
 * Request/response types. Where the contract (openapi.json) defines a schema, the type is derived
 * from the generated file; where it is silent, the assumption is decided here, once, and
 * documented beside the type (see docs/ARCHITECTURE.md "Contract silences").
 */
import type { components } from './generated/openapi';

type Schemas = components['schemas'];

export type SendMessageRequest = Schemas['SendMessageRequest'];
export type SendTemplateRequest = Schemas['SendTemplateRequest'];
export type ClientSignupRequest = Schemas['ClientSignupRequest'];

/**
 * A request as a host hands it to the core, before validation: the request's own field names,
 * each holding whatever the user gave. A misspelt field name is a compile error in the host; a
 * wrong value is the core's ValidationError naming the field.
 */
export type Unvalidated<T> = { [K in keyof T]?: unknown };
export type SendMessageInput = Unvalidated<SendMessageRequest>;
export type SendTemplateInput = Unvalidated<SendTemplateRequest>;
export type ClientSignupInput = Unvalidated<ClientSignupRequest>;
export type MessageStatus = NonNullable<Schemas['MessageResponse']['status']>;

/**
 * 200 of both send operations. The contract marks no field required; the core requires `id`
 * (an accepted message without an id cannot be tracked) and passes the rest through.
 */
export type MessageResponse = Schemas['MessageResponse'] & { id: string };

/**
 * ASSUMPTION (201 of POST /clients/signup has no schema; GET /clients items have none either):
 * a client is `{ id, business_name, phone_number_id, waba_id?, callback_url?, status, created_at }`.
 * Unknown extra fields the server adds are kept.
 */
export interface Client {
	id: string;
	business_name: string;
	phone_number_id: string;
	waba_id?: string;
	callback_url?: string;
	status: string;
	created_at: string;
	[extra: string]: unknown;
}

/**
 * One page of GET /clients, whichever of its three shapes the server sent (responses.ts). Without
 * `total` a short page does not prove the end (servers cap page sizes): only an empty page does.
 */
export interface ClientPage {
	items: Client[];
	limit: number;
	offset: number;
	hasMore: boolean;
	total?: number;
}

export interface ListClientsOptions {
	/** 1..100 (CLIENTS_MAX_PAGE_SIZE); default 20 as in the contract. */
	limit?: number;
	/** >= 0; default 0. */
	offset?: number;
}

export interface ListAllClientsOptions {
	/** Stop after this many clients. Default: no limit (DEFAULT_LIST_ALL_MAX). */
	max?: number;
	/** Page size 1..100; default 100. */
	pageSize?: number;
	/** Requests at most (default 10 000): a list that never ends fails instead of looping. */
	maxPages?: number;
}

/**
 * ASSUMPTION (no schema): one webhook per account. `events: []` means deliveries are off (the PUT
 * cannot clear the URL); a PUT without `events` subscribes every event.
 */
export interface WebhookConfig {
	url: string | null;
	events: string[];
}

/** PUT /webhooks body (contract schema); `events` are known event names (see WEBHOOK_EVENT_TYPES). */
export type WebhookConfigUpdateInput = Unvalidated<WebhookConfigUpdate>;

export interface WebhookConfigUpdate {
	url?: string;
	events?: string[];
}

/**
 * ASSUMPTION (the contract defines no webhook payloads): each delivery POSTs one JSON object
 * `{ id, type, created_at, data }`.
 */
export const WEBHOOK_EVENT_TYPES = [
	'message.queued',
	'message.sent',
	'message.delivered',
	'message.read',
	'message.failed',
	'message.received',
	'client.onboarded',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** In an event selection (and in PUT /webhooks `events`), stands for every event type. */
export const ALL_EVENTS = '*';

/** `data` of `message.*` events (status changes and inbound `message.received`). */
export interface MessageEventData {
	message_id: string;
	client_ref?: string;
	to?: string;
	channel?: string;
	status?: string;
	error?: { code?: string; message?: string; [extra: string]: unknown };
	[extra: string]: unknown;
}

/** `data` of `client.onboarded`. */
export interface ClientEventData {
	client: Client;
	[extra: string]: unknown;
}

export interface WebhookEventBase<T extends WebhookEventType, D> {
	id: string;
	type: T;
	created_at: string;
	data: D;
}

export type MessageWebhookEvent = WebhookEventBase<
	Exclude<WebhookEventType, 'client.onboarded'>,
	MessageEventData
>;
export type ClientOnboardedWebhookEvent = WebhookEventBase<'client.onboarded', ClientEventData>;
export type WebhookEvent = MessageWebhookEvent | ClientOnboardedWebhookEvent;
