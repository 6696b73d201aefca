/** Public types of the sandbox emulator (dev tooling; not shipped in the n8n tarball). */

export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

/**
 * The webhook event names are the project's own decision (the contract defines no payloads),
 * made once in the core: the emulator emits exactly those.
 */
import { WEBHOOK_EVENT_TYPES } from '../shared/types';

export const EVENT_TYPES = WEBHOOK_EVENT_TYPES;
export type EventType = (typeof EVENT_TYPES)[number];

/** Runtime-adjustable knobs (options at start, CLI flags/env, `POST /__admin/config`). */
export interface EmulatorConfig {
	/** Added to every contract request before it is handled (ms). */
	latencyMs: number;
	/** Uniform random extra latency in [0, jitterMs] (ms). */
	jitterMs: number;
	/** Token-bucket refill rate in requests/second; 0 disables rate limiting. */
	rateLimitRps: number;
	/** Token-bucket capacity; 0 means "same as rateLimitRps" (at least 1). */
	rateLimitBurst: number;
	/** Probability of answering 500 without processing. */
	fault500: number;
	/** Probability of answering 503 + Retry-After without processing. */
	fault503: number;
	/**
	 * Probability of answering 429 + Retry-After without processing (an injected throttle,
	 * independent of the token bucket; counted in `faults.error429`, not in `rateLimited`).
	 */
	fault429: number;
	/** Probability of destroying the socket BEFORE processing (request had no effect). */
	faultResetBefore: number;
	/** Probability of destroying the socket AFTER processing (request took effect; the ambiguous case). */
	faultResetAfter: number;
	/** Probability of processing the request and holding the response for slowMs. */
	faultSlow: number;
	/** How long a slow response is held (ms); make it longer than the client's timeout. */
	slowMs: number;
	/** Retry-After (seconds) sent with injected 503s and 429s. */
	retryAfterSeconds: number;
	/** Delay between automatic message status steps (ms); 0 = no automatic progression. */
	statusStepMs: number;
	/** Attempts per webhook delivery (first try included). */
	webhookMaxAttempts: number;
	/** Backoff before webhook retry n is webhookBackoffMs * 2^(n-1) (ms). */
	webhookBackoffMs: number;
	/** Timeout of one webhook delivery attempt (ms). */
	webhookTimeoutMs: number;
	/**
	 * Client-list quirks a real server may have, where the contract is silent (the core must list
	 * every client anyway): 1 = answer GET /clients without `total`.
	 */
	listOmitTotal: number;
	/** Largest page GET /clients returns, whatever `limit` asks (0 = no cap below `limit`). */
	listPageCap: number;
	/** 1 = GET /clients ignores `offset` and always answers the first page. */
	listIgnoreOffset: number;
	/**
	 * Clients onboarded at the FRONT of the list right after a GET /clients at offset 0 has been
	 * answered: every later page of that listing is shifted by this many (repeats, no gaps).
	 */
	listShiftAfterFirstPage: number;
	/** 1 = GET /clients never ends: every page is new made-up clients, no `total`. */
	listEndless: number;
}

export interface EmulatorOptions extends Partial<EmulatorConfig> {
	/** TCP port; 0 (the default for the library) picks a free one. The CLI defaults to 4010. */
	port?: number;
	/** Bind address; default 127.0.0.1. */
	host?: string;
	/** Seed for the deterministic RNG (faults, jitter, ids). Default 1. */
	seed?: number;
	/** Clients created at start (and after reset), without webhook events. */
	seedClients?: number;
	/** Allow webhook delivery to non-loopback hosts. Default false: such deliveries are recorded as blocked. */
	allowRemoteWebhooks?: boolean;
	/** How many requests GET /__admin/requests keeps. Default 500. */
	requestLogSize?: number;
	/** Called with one line per request/event; never receives the API key. Default: silent. */
	log?: (line: string) => void;
}

export interface ClientRecord {
	id: string;
	business_name: string;
	phone_number_id: string;
	waba_id?: string;
	callback_url?: string;
	status: 'active';
	created_at: string;
}

export interface MessageError {
	code: string;
	message: string;
}

export interface MessageRecord {
	id: string;
	kind: 'message' | 'template';
	client_ref: string;
	to: string;
	type: 'text' | 'media' | 'template';
	channel: string;
	status: MessageStatus;
	created_at: string;
	updated_at: string;
	/** The accepted request body, as sent. */
	body: Record<string, unknown>;
	history: Array<{ status: MessageStatus; at: string }>;
	error?: MessageError;
}

export interface TemplateRecord {
	name: string;
	parameterCount: number;
	languages: string[];
	text: string;
}

export interface WebhookConfigRecord {
	url: string | null;
	events: string[];
}

export interface WebhookEvent {
	id: string;
	type: EventType | string;
	created_at: string;
	data: Record<string, unknown>;
}

export interface DeliveryAttempt {
	at: string;
	status?: number;
	error?: string;
	durationMs: number;
}

export interface WebhookDelivery {
	id: string;
	event: WebhookEvent;
	url: string;
	state: 'pending' | 'delivered' | 'failed' | 'blocked';
	attempts: DeliveryAttempt[];
}

export interface RequestLogEntry {
	id: string;
	at: string;
	method: string;
	path: string;
	query: string;
	/** HTTP status sent, or 'reset' when the socket was destroyed without a response. */
	status: number | 'reset';
	durationMs: number;
	/** Request headers; Authorization is replaced by a redacted marker. */
	headers: Record<string, string>;
	fault?: FaultKind;
	operationId?: string;
}

export type FaultKind =
	| 'error500'
	| 'error503'
	| 'error429'
	| 'resetBefore'
	| 'resetAfter'
	| 'slow';

export interface Counters {
	requests: number;
	/** "METHOD /path" → status (or 'reset') → count. */
	byRoute: Record<string, Record<string, number>>;
	rateLimited: number;
	faults: Record<FaultKind, number>;
	messagesAccepted: number;
	templatesAccepted: number;
	clientsCreated: number;
	webhooks: {
		events: number;
		delivered: number;
		failed: number;
		blocked: number;
		attempts: number;
	};
}
