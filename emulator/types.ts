/** Public types of the sandbox emulator (dev tooling; not shipped in the n8n tarball). */

export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

/**
 * The webhook event names are the project's own decision (the contract defines no payloads),
 * made once in the core: the emulator emits exactly those.
 */
import type { WebhookEventType } from '../shared/types';

export type { EmulatorConfig, EmulatorOptions } from './options';

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
	type: WebhookEventType | string;
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
