/**
 * The contract's input rules, checked before any request on `unknown` inputs (AI agents send
 * anything). The result is a fresh object with the contract's fields only: unknown keys (including
 * `__proto__`) are never forwarded.
 */
import { Collector, describe, own } from './collector';
import type { Rule } from './collector';
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
/** "All" means all: no silent cap (a host's "return all", a search over every client). Paging ends
 * on an empty page or when `total` is reached (see ClientPage); never on a merely short page. */
export const DEFAULT_LIST_ALL_MAX = Number.MAX_SAFE_INTEGER;
const ANY = Number.MAX_SAFE_INTEGER;

const ID: Rule = { kind: 'string', max: LIMITS.identifier };
const RECIPIENT = { client_ref: ID, to: ID };
const TEXT: Record<string, Rule> = { body: { kind: 'string', max: LIMITS.textBody } };
const MEDIA: Record<string, Rule> = {
	url: { kind: 'url', max: LIMITS.url },
	caption: { kind: 'string', max: LIMITS.caption, optional: true },
};
const SIGNUP: Record<string, Rule> = {
	business_name: ID,
	phone_number_id: ID,
	waba_id: { ...ID, optional: true },
	callback_url: { kind: 'url', max: LIMITS.url, optional: true },
};
const PAGE: Record<string, Rule> = {
	limit: { kind: 'integer', min: 1, max: CLIENTS_MAX_PAGE_SIZE, fallback: 20 },
	offset: { kind: 'integer', min: 0, max: ANY, fallback: 0 },
};
const LIST_ALL: Record<string, Rule> = {
	max: { kind: 'integer', min: 1, max: ANY, fallback: DEFAULT_LIST_ALL_MAX },
	pageSize: {
		kind: 'integer',
		min: 1,
		max: CLIENTS_MAX_PAGE_SIZE,
		fallback: CLIENTS_MAX_PAGE_SIZE,
	},
	maxPages: { kind: 'integer', min: 1, max: ANY, fallback: 10_000 },
};

/** A request type that is its table alone; absent options (`optional`) mean every default. */
function byTable<T>(
	input: unknown,
	name: string,
	table: Record<string, Rule>,
	optional = false,
): T {
	const c = new Collector();
	const body = optional && (input === undefined || input === null) ? {} : c.object(input, name);
	const out = body ? c.fields(body, table) : undefined;
	c.throwIfAny();
	return out as T;
}

const MESSAGE_TYPES = ['text', 'media', 'template'] as const;

export function validateSendMessage(input: unknown): SendMessageRequest {
	const c = new Collector();
	const body = c.object(input, 'message');
	if (!body) return c.throwIfAny() as never;
	const out = c.fields(body, RECIPIENT);
	const rawType = own(body, 'type');
	if (rawType === undefined || rawType === null || rawType === '') {
		c.add('type', `is required (one of ${MESSAGE_TYPES.join(', ')})`);
	} else if (
		typeof rawType !== 'string' ||
		!(MESSAGE_TYPES as readonly string[]).includes(rawType.trim())
	) {
		c.add('type', `must be one of ${MESSAGE_TYPES.join(', ')}`);
	} else {
		out.type = rawType.trim();
	}
	if (out.type === 'template') {
		c.add(
			'type',
			'template messages are sent with sendTemplate, which takes the template name and parameters',
		);
	} else if (out.type === 'text' || out.type === 'media') {
		// text → text.body, media → media.url (+ caption): the part its type names
		const key = out.type;
		const part = c.object(own(body, key), key);
		const checked = part ? c.fields(part, key === 'text' ? TEXT : MEDIA, `${key}.`) : {};
		if (checked.body !== undefined || checked.url !== undefined) out[key] = checked;
	}
	c.throwIfAny();
	return out as unknown as SendMessageRequest;
}

const LANGUAGE_PATTERN = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/;

export function validateSendTemplate(input: unknown): SendTemplateRequest {
	const c = new Collector();
	const body = c.object(input, 'message');
	if (!body) return c.throwIfAny() as never;
	const out = c.fields(body, RECIPIENT);
	const template = c.object(own(body, 'template'), 'template');
	if (template) {
		const { name } = c.fields(template, { name: ID }, 'template.');
		let code = 'en';
		const language = own(template, 'language');
		const rawCode = isRecord(language) ? own(language, 'code') : language;
		if (rawCode !== undefined && rawCode !== null && rawCode !== '') {
			const text = c.string(rawCode, 'template.language.code', 35);
			if (text !== undefined && LANGUAGE_PATTERN.test(text)) code = text;
			else if (text !== undefined)
				c.add('template.language.code', 'must be a language code such as en, en_US or pt-BR');
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
		const withParameters = Array.isArray(rawParameters) ? { parameters } : {};
		if (name !== undefined) out.template = { name, language: { code }, ...withParameters };
	}
	c.throwIfAny();
	return out as unknown as SendTemplateRequest;
}

export function validateClientSignup(input: unknown): ClientSignupRequest {
	return byTable(input, 'client', SIGNUP);
}

export function validateListClients(input: unknown): Required<ListClientsOptions> {
	return byTable(input, 'options', PAGE, true);
}

export function validateListAll(input: unknown): {
	max: number;
	pageSize: number;
	maxPages: number;
} {
	return byTable(input, 'options', LIST_ALL, true);
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
