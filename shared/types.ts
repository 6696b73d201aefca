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

/** A misspelt field name is a compile error in the host; a wrong value, a ValidationError. */
export type Unvalidated<T> = { [K in keyof T]?: unknown };
export type SendMessageInput = Unvalidated<SendMessageRequest>;
export type SendTemplateInput = Unvalidated<SendTemplateRequest>;
export type ClientSignupInput = Unvalidated<ClientSignupRequest>;
export type MessageStatus = NonNullable<Schemas['MessageResponse']['status']>;

/** The contract marks no field required; without `id` an accepted message cannot be tracked. */
export type MessageResponse = Schemas['MessageResponse'] & { id: string };

/** ASSUMPTION (neither signup's 201 nor the list's items have a schema); extra fields are kept. */
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

/** Without `total` a short page does not prove the end (servers cap page sizes): an empty one does. */
export interface ClientPage {
	items: Client[];
	limit: number;
	offset: number;
	hasMore: boolean;
	total?: number;
}

export interface ListClientsOptions {
	limit?: number;
	offset?: number;
}

export interface ListAllClientsOptions {
	max?: number;
	pageSize?: number;
	/** A list that never ends fails instead of looping. */
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

export const ALL_EVENTS = '*';

export interface MessageEventData {
	message_id: string;
	client_ref?: string;
	to?: string;
	channel?: string;
	status?: string;
	error?: { code?: string; message?: string; [extra: string]: unknown };
	[extra: string]: unknown;
}

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
