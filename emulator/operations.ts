/**
 * The contract's operations on the account state, after the request has passed the contract
 * validator: the rules the schema cannot express, and the answers (list quirks included, see
 * the list* knobs in emulator/options.ts).
 */
import { WEBHOOK_EVENT_TYPES } from '../shared/types';
import { HttpError, isHttpUrl, validationError } from './http';
import type { EmulatorConfig } from './options';
import { SEEDED_TEMPLATES } from './state';
import type { AccountState } from './state';
import type { ClientRecord, MessageRecord } from './types';
import type { FieldIssue } from './validator';

export interface ContractResult {
	status: number;
	body: unknown;
}

export function runOperation(
	state: AccountState,
	config: EmulatorConfig,
	operationId: string,
	body: Record<string, unknown>,
	query: URLSearchParams,
): ContractResult {
	switch (operationId) {
		case 'sendMessage':
			return sendMessage(state, body);
		case 'sendTemplateMessage':
			return sendTemplate(state, body);
		case 'onboardClient':
			return onboardClient(state, body);
		case 'listClients':
			return listClients(state, config, query);
		case 'getWebhookConfig':
			return { status: 200, body: { ...state.webhook, events: [...state.webhook.events] } };
		case 'updateWebhookConfig':
			return updateWebhook(state, body);
		default:
			throw new HttpError(404, 'not_found', `Operation ${operationId} is not implemented`);
	}
}

function sendMessage(state: AccountState, body: Record<string, unknown>): ContractResult {
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
	return { status: 200, body: messageResponse(state.acceptMessage('message', body, type)) };
}

function sendTemplate(state: AccountState, body: Record<string, unknown>): ContractResult {
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
	return { status: 200, body: messageResponse(state.acceptMessage('template', body, 'template')) };
}

function onboardClient(state: AccountState, body: Record<string, unknown>): ContractResult {
	const issues = requireNonEmpty(body, ['business_name', 'phone_number_id']);
	if (typeof body.callback_url === 'string' && !isHttpUrl(body.callback_url)) {
		issues.push({ field: 'callback_url', message: 'must be an http(s) URL' });
	}
	if (issues.length > 0) throw validationError(issues);
	const phone = String(body.phone_number_id);
	const existing = state.clientsByPhone.get(phone);
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
	const client = state.addClient({
		business_name: String(body.business_name),
		phone_number_id: phone,
		waba_id: typeof body.waba_id === 'string' ? body.waba_id : undefined,
		callback_url: typeof body.callback_url === 'string' ? body.callback_url : undefined,
	});
	state.emit('client.onboarded', { client: { ...client } });
	return { status: 201, body: client };
}

function listClients(
	state: AccountState,
	cfg: EmulatorConfig,
	query: URLSearchParams,
): ContractResult {
	const limit = query.has('limit') ? Number(query.get('limit')) : 20;
	const offset = query.has('offset') ? Number(query.get('offset')) : 0;
	const issues: FieldIssue[] = [];
	if (!Number.isInteger(limit) || limit < 1 || limit > 100)
		issues.push({ field: 'limit', message: 'must be an integer between 1 and 100' });
	if (!Number.isInteger(offset) || offset < 0)
		issues.push({ field: 'offset', message: 'must be an integer ≥ 0' });
	if (issues.length > 0) throw validationError(issues);
	const size = cfg.listPageCap > 0 ? Math.min(limit, cfg.listPageCap) : limit;
	const from = cfg.listIgnoreOffset ? 0 : offset;
	const data = cfg.listEndless
		? Array.from({ length: size }, (_, i) => madeUpClient(offset + i))
		: state.clients.slice(from, from + size).map((c) => ({ ...c }));
	const body: Record<string, unknown> = { data, limit: size, offset: from };
	if (!cfg.listOmitTotal && !cfg.listEndless) body.total = state.clients.length;
	if (cfg.listShiftAfterFirstPage > 0 && from === 0) {
		const added = state.seedClients(cfg.listShiftAfterFirstPage);
		state.clients = [...added, ...state.clients.filter((c) => !added.includes(c))];
	}
	return { status: 200, body };
}

/** A client that exists only in one page of an endless list (listEndless). */
function madeUpClient(position: number): ClientRecord {
	return {
		id: `cl_endless_${position}`,
		business_name: `Endless ${position}`,
		phone_number_id: String(9_000_000_000 + position),
		status: 'active',
		created_at: new Date(0).toISOString(),
	};
}

function updateWebhook(state: AccountState, body: Record<string, unknown>): ContractResult {
	const issues: FieldIssue[] = [];
	if (body.url !== undefined && !isHttpUrl(body.url as string)) {
		issues.push({ field: 'url', message: 'must be an http(s) URL' });
	}
	const events = body.events as string[] | undefined;
	events?.forEach((e, i) => {
		if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e)) {
			issues.push({
				field: `events[${i}]`,
				message: `unknown event '${e}'; known events: ${WEBHOOK_EVENT_TYPES.join(', ')}`,
			});
		}
	});
	if (issues.length > 0) throw validationError(issues);
	if (body.url !== undefined) state.webhook.url = body.url as string;
	// Decided with the core (shared/webhooks.ts, docs/ARCHITECTURE.md): `events` left out
	// means every event, `events: []` means none (deliveries off, URL kept).
	state.webhook.events = events === undefined ? [...WEBHOOK_EVENT_TYPES] : [...new Set(events)];
	return { status: 200, body: { ...state.webhook, events: [...state.webhook.events] } };
}

function messageResponse(m: MessageRecord) {
	return { id: m.id, status: m.status, channel: m.channel, created_at: m.created_at };
}

function requireNonEmpty(body: Record<string, unknown>, fields: string[]): FieldIssue[] {
	return fields
		.filter((f) => typeof body[f] === 'string' && (body[f] as string).trim() === '')
		.map((f) => ({ field: f, message: 'must not be empty' }));
}
