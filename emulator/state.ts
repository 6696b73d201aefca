/**
 * The account the emulator serves: clients, messages and their status progression, the webhook
 * configuration, emitted events, and the seeded id generator. Contract operations
 * (emulator/operations.ts) and the admin API read and change it.
 */
import { HttpError } from './http';
import { createRng, randomHex } from './rng';
import type { Rng } from './rng';
import type { EmulatorConfig } from './options';
import type {
	ClientRecord,
	Counters,
	MessageRecord,
	MessageStatus,
	TemplateRecord,
	WebhookConfigRecord,
	WebhookEvent,
} from './types';

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

export interface NewClient {
	business_name: string;
	phone_number_id: string;
	waba_id?: string;
	callback_url?: string;
}

export class AccountState {
	clients: ClientRecord[] = [];
	clientsByPhone = new Map<string, ClientRecord>();
	messages = new Map<string, MessageRecord>();
	webhook: WebhookConfigRecord = { url: null, events: [] };
	events: WebhookEvent[] = [];
	private idRng!: Rng;
	private seededCount = 0;
	private lastCreatedMs = Number.NEGATIVE_INFINITY;
	private readonly statusTimers = new Map<string, NodeJS.Timeout>();
	private stopped = false;

	constructor(
		private readonly config: () => EmulatorConfig,
		private readonly seed: number,
		private readonly counters: () => Counters,
		/** Hands an event to webhook delivery (emulator/webhooks.ts). */
		private readonly deliver: (event: WebhookEvent, url: string) => void,
	) {}

	/** `<prefix>_<length hex chars>` from the seeded id generator. */
	newId(prefix: string, length: number): string {
		return `${prefix}_${randomHex(this.idRng, length)}`;
	}

	/** Back to the start: no data, ids re-seeded, `seedClients` clients created (no events). */
	reset(seedClients: number): void {
		this.clearTimers();
		this.idRng = createRng(this.seed ^ 0x85ebca6b);
		this.clients = [];
		this.clientsByPhone = new Map();
		this.messages = new Map();
		this.webhook = { url: null, events: [] };
		this.events = [];
		this.seededCount = 0;
		this.lastCreatedMs = Number.NEGATIVE_INFINITY;
		if (seedClients) this.seedClients(seedClients);
	}

	/** No status step runs after this. */
	stop(): void {
		this.stopped = true;
		this.clearTimers();
	}

	/** `count` clients named Seed Business NNNN (no events). */
	seedClients(count: number): ClientRecord[] {
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
		// One millisecond apart, the last one now: the list's order shows in its dates however
		// fast the machine seeds (New Client reads more pages when a page's dates are all equal).
		const firstMs = Date.now() - count;
		for (let i = 0; i < count; i++) {
			const n = ++this.seededCount;
			const suffix = String(n).padStart(4, '0');
			created.push(
				this.addClient(
					{
						business_name: `Seed Business ${suffix}`,
						phone_number_id: `seed_pn_${suffix}_${randomHex(this.idRng, 4)}`,
						waba_id: `seed_waba_${suffix}`,
					},
					firstMs + i,
				),
			);
		}
		return created;
	}

	/** Each client is created strictly after the previous one (at `atMs` or later). */
	addClient(input: NewClient, atMs = Date.now()): ClientRecord {
		this.lastCreatedMs = Math.max(atMs, this.lastCreatedMs + 1);
		const client: ClientRecord = {
			id: this.newId('cl', 20),
			business_name: input.business_name,
			phone_number_id: input.phone_number_id,
			...(input.waba_id !== undefined ? { waba_id: input.waba_id } : {}),
			...(input.callback_url !== undefined ? { callback_url: input.callback_url } : {}),
			status: 'active',
			created_at: new Date(this.lastCreatedMs).toISOString(),
		};
		this.clients.push(client);
		this.clientsByPhone.set(client.phone_number_id, client);
		this.counters().clientsCreated++;
		return client;
	}

	/** Records the event and delivers it if the webhook configuration subscribes to it. */
	emit(type: string, data: Record<string, unknown>): WebhookEvent {
		const event: WebhookEvent = {
			id: this.newId('evt', 20),
			type,
			created_at: new Date().toISOString(),
			data,
		};
		this.events.push(event);
		this.counters().webhooks.events++;
		const { url, events } = this.webhook;
		// An empty list delivers nothing (see updateWebhook): the only way the contract's PUT can
		// switch deliveries off, since it cannot clear the URL.
		if (url && events.includes(type)) this.deliver(event, url);
		return event;
	}

	/** A message accepted now: queued, its event emitted, its progression scheduled. */
	acceptMessage(
		kind: 'message' | 'template',
		body: Record<string, unknown>,
		type: MessageRecord['type'],
	): MessageRecord {
		const now = new Date().toISOString();
		const to = String(body.to);
		const m: MessageRecord = {
			id: this.newId('msg', 24),
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
		if (kind === 'message') this.counters().messagesAccepted++;
		else this.counters().templatesAccepted++;
		this.emit('message.queued', messageEventData(m));
		this.scheduleNext(m);
		return m;
	}

	/** Sets a message's status now, emits its event, and schedules the next automatic step. */
	setStatus(
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
		this.emit(`message.${status}`, messageEventData(m));
		this.scheduleNext(m);
	}

	private scheduleNext(m: MessageRecord): void {
		const existing = this.statusTimers.get(m.id);
		if (existing) clearTimeout(existing);
		this.statusTimers.delete(m.id);
		const stepMs = this.config().statusStepMs;
		if (stepMs <= 0 || this.stopped) return;
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
		}, stepMs);
		this.statusTimers.set(m.id, timer);
	}

	private clearTimers(): void {
		for (const t of this.statusTimers.values()) clearTimeout(t);
		this.statusTimers.clear();
	}
}

function messageEventData(m: MessageRecord): Record<string, unknown> {
	return {
		message_id: m.id,
		client_ref: m.client_ref,
		to: m.to,
		channel: m.channel,
		status: m.status,
		...(m.error ? { error: m.error } : {}),
	};
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
