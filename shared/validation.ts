/**
 * The contract's input rules, checked before any request on `unknown` inputs (AI agents send
 * anything). The result is a fresh object with the contract's fields only: unknown keys (including
 * `__proto__`) are never forwarded.
 */
import { Collector, describe, own } from './collector';
import { isRecord } from './guards';
import type {
	ClientSignupRequest,
	ListClientsOptions,
	SendMessageRequest,
	SendTemplateRequest,
	WebhookConfigUpdate,
} from './types';
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from './types';
import { isLoopbackHost, parseHttpUrl } from './url';

/** The contract names no limits: WhatsApp's text limit, and generous caps for the rest. */
export const LIMITS = {
	textBody: 4096,
	caption: 1024,
	identifier: 256,
	url: 2048,
	templateParameters: 100,
	templateParameter: 1024,
} as const;

export const CLIENTS_MAX_PAGE_SIZE = 100;
const CLIENTS_DEFAULT_PAGE_SIZE = 20;

const MESSAGE_TYPES = ['text', 'media', 'template'] as const;

export function validateSendMessage(input: unknown): SendMessageRequest {
	const c = new Collector();
	const body = c.object(input, 'message');
	if (!body) return c.throwIfAny() as never;
	const client_ref = c.string(own(body, 'client_ref'), 'client_ref', LIMITS.identifier);
	const to = c.string(own(body, 'to'), 'to', LIMITS.identifier);
	const rawType = own(body, 'type');
	let type: SendMessageRequest['type'] | undefined;
	if (rawType === undefined || rawType === null || rawType === '') {
		c.add('type', `is required (one of ${MESSAGE_TYPES.join(', ')})`);
	} else if (
		typeof rawType !== 'string' ||
		!(MESSAGE_TYPES as readonly string[]).includes(rawType.trim())
	) {
		c.add('type', `must be one of ${MESSAGE_TYPES.join(', ')}`);
	} else {
		type = rawType.trim() as SendMessageRequest['type'];
	}
	const out: Record<string, unknown> = {};
	if (type === 'template') {
		c.add(
			'type',
			'template messages are sent with sendTemplate, which takes the template name and parameters',
		);
	} else if (type === 'text') {
		const text = c.object(own(body, 'text'), 'text');
		const textBody = text ? c.string(own(text, 'body'), 'text.body', LIMITS.textBody) : undefined;
		if (textBody !== undefined) out.text = { body: textBody };
	} else if (type === 'media') {
		const media = c.object(own(body, 'media'), 'media');
		if (media) {
			const url = c.url(own(media, 'url'), 'media.url', LIMITS.url, true);
			const caption = c.string(own(media, 'caption'), 'media.caption', LIMITS.caption, false);
			if (url !== undefined) out.media = caption !== undefined ? { url, caption } : { url };
		}
	}
	c.throwIfAny();
	return { client_ref: client_ref!, to: to!, type: type!, ...out } as SendMessageRequest;
}

const LANGUAGE_PATTERN = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/;

export function validateSendTemplate(input: unknown): SendTemplateRequest {
	const c = new Collector();
	const body = c.object(input, 'message');
	if (!body) return c.throwIfAny() as never;
	const client_ref = c.string(own(body, 'client_ref'), 'client_ref', LIMITS.identifier);
	const to = c.string(own(body, 'to'), 'to', LIMITS.identifier);
	const template = c.object(own(body, 'template'), 'template');
	let out: SendTemplateRequest['template'] | undefined;
	if (template) {
		const name = c.string(own(template, 'name'), 'template.name', LIMITS.identifier);
		let code = 'en';
		const language = own(template, 'language');
		if (language !== undefined && language !== null) {
			const rawCode = isRecord(language) ? own(language, 'code') : language;
			if (rawCode !== undefined && rawCode !== null && rawCode !== '') {
				const text = c.string(rawCode, 'template.language.code', 35);
				if (text !== undefined) {
					if (LANGUAGE_PATTERN.test(text)) code = text;
					else
						c.add('template.language.code', 'must be a language code such as en, en_US or pt-BR');
				}
			}
		}
		const parameters: string[] = [];
		const rawParameters = own(template, 'parameters');
		if (rawParameters !== undefined && rawParameters !== null) {
			if (!Array.isArray(rawParameters)) {
				c.add(
					'template.parameters',
					`must be a list of text values, got ${describe(rawParameters)}`,
				);
			} else if (rawParameters.length > LIMITS.templateParameters) {
				c.add('template.parameters', `must have at most ${LIMITS.templateParameters} values`);
			} else {
				rawParameters.forEach((p, i) => {
					const v = c.string(p, `template.parameters[${i}]`, LIMITS.templateParameter);
					if (v !== undefined) parameters.push(v);
				});
			}
		}
		if (name !== undefined) {
			out = { name, language: { code } };
			if (Array.isArray(rawParameters)) out.parameters = parameters;
		}
	}
	c.throwIfAny();
	return { client_ref: client_ref!, to: to!, template: out! };
}

export function validateClientSignup(input: unknown): ClientSignupRequest {
	const c = new Collector();
	const body = c.object(input, 'client');
	if (!body) return c.throwIfAny() as never;
	const business_name = c.string(own(body, 'business_name'), 'business_name', LIMITS.identifier);
	const phone_number_id = c.string(
		own(body, 'phone_number_id'),
		'phone_number_id',
		LIMITS.identifier,
	);
	const waba_id = c.string(own(body, 'waba_id'), 'waba_id', LIMITS.identifier, false);
	const callback_url = c.url(own(body, 'callback_url'), 'callback_url', LIMITS.url, false);
	c.throwIfAny();
	const out: ClientSignupRequest = {
		business_name: business_name!,
		phone_number_id: phone_number_id!,
	};
	if (waba_id !== undefined) out.waba_id = waba_id;
	if (callback_url !== undefined) out.callback_url = callback_url;
	return out;
}

export function validateListClients(input: unknown): Required<ListClientsOptions> {
	const c = new Collector();
	const body = input === undefined || input === null ? {} : c.object(input, 'options');
	if (!body) return c.throwIfAny() as never;
	const limit = c.integer(
		own(body, 'limit'),
		'limit',
		1,
		CLIENTS_MAX_PAGE_SIZE,
		CLIENTS_DEFAULT_PAGE_SIZE,
	);
	const offset = c.integer(own(body, 'offset'), 'offset', 0, Number.MAX_SAFE_INTEGER, 0);
	c.throwIfAny();
	return { limit, offset };
}

/** "All" means all: no silent cap (a host's "return all", a search over every client). Paging ends
 * on an empty page or when `total` is reached (see ClientPage); never on a merely short page. */
export const DEFAULT_LIST_ALL_MAX = Number.MAX_SAFE_INTEGER;

const DEFAULT_LIST_MAX_PAGES = 10_000;

export function validateListAll(input: unknown): {
	max: number;
	pageSize: number;
	maxPages: number;
} {
	const c = new Collector();
	const body = input === undefined || input === null ? {} : c.object(input, 'options');
	if (!body) return c.throwIfAny() as never;
	const max = c.integer(own(body, 'max'), 'max', 1, Number.MAX_SAFE_INTEGER, DEFAULT_LIST_ALL_MAX);
	const pageSize = c.integer(
		own(body, 'pageSize'),
		'pageSize',
		1,
		CLIENTS_MAX_PAGE_SIZE,
		CLIENTS_MAX_PAGE_SIZE,
	);
	const maxPages = c.integer(
		own(body, 'maxPages'),
		'maxPages',
		1,
		Number.MAX_SAFE_INTEGER,
		DEFAULT_LIST_MAX_PAGES,
	);
	c.throwIfAny();
	return { max, pageSize, maxPages };
}

/** Webhook URL rule: https, or http for loopback hosts only. */
function webhookUrlProblem(url: string): string | undefined {
	const parsed = parseHttpUrl(url);
	if (!parsed) return 'must be an absolute https URL';
	if (parsed.scheme === 'http' && !isLoopbackHost(parsed.host)) {
		return 'must use https (http is only allowed for localhost, 127.0.0.0/8 and [::1])';
	}
	return undefined;
}

export function validateWebhookUpdate(input: unknown): WebhookConfigUpdate {
	const c = new Collector();
	const body = c.object(input, 'webhook');
	if (!body) return c.throwIfAny() as never;
	const out: WebhookConfigUpdate = {};
	const rawUrl = own(body, 'url');
	if (rawUrl !== undefined) {
		const url = c.string(rawUrl, 'url', LIMITS.url);
		const problem = url !== undefined ? webhookUrlProblem(url) : undefined;
		if (problem) c.add('url', problem);
		else if (url !== undefined) out.url = url;
	}
	const rawEvents = own(body, 'events');
	if (rawEvents !== undefined) {
		if (!Array.isArray(rawEvents)) {
			c.add('events', `must be a list of event names, got ${describe(rawEvents)}`);
		} else {
			const events: string[] = [];
			rawEvents.slice(0, 100).forEach((e, i) => {
				if (e === ALL_EVENTS) {
					events.push(...WEBHOOK_EVENT_TYPES);
				} else if (
					typeof e !== 'string' ||
					!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e.trim())
				) {
					c.add(
						`events[${i}]`,
						`must be one of ${WEBHOOK_EVENT_TYPES.join(', ')} (or '${ALL_EVENTS}' for all)`,
					);
				} else {
					events.push(e.trim());
				}
			});
			if (rawEvents.length > 100) c.add('events', 'must have at most 100 entries');
			out.events = [...new Set(events)];
		}
	}
	if (rawUrl === undefined && rawEvents === undefined) {
		c.add('url', 'is required (or give events)');
	}
	c.throwIfAny();
	return out;
}
