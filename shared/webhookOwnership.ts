/**
 * Who owns the account's single webhook: one rule for n8n trigger activation and deactivation
 * and for Zapier subscribe and unsubscribe.
 *
 * The contract gives one URL per account, a GET and a PUT, no compare-and-set and nowhere else
 * to keep state that every registration of ours can see. So the registered URL itself carries
 * the ownership record, in the query parameter `ip_hook_secret` (WEBHOOK_OWNER_PARAM):
 *
 *   <receiver URL>?ip_secret=<its secret>&ip_hook_secret=<base64url JSON>
 *   { v: 1, k: 'n' | 'z',            the holder's kind: an n8n trigger or a Zapier Zap
 *     r: [url, events] | 0,          the ROOT: the configuration before the first take-over
 *     s: [[url, events, k], ...] }   the SUSPENDED: our registrations this one (and those
 *                                    before it) replaced and that are still running, oldest first
 *
 * The rule (the same on the way in and out; a registration is identified by its receiver URL
 * without `ip_secret` and `ip_hook_secret`, i.e. an n8n workflow's webhook URL or a Zap's hook URL):
 * - Activate: the webhook already ours (any secret) → keep its record, refresh secret/events.
 *   We are among the suspended → nothing to do: we get it back when the ones above us stop.
 *   An active configuration (URL and ≥ 1 event) of anyone else, ours or foreign → refused,
 *   naming who holds it, unless Replace Existing; then taken over: a foreign one becomes the
 *   root (the chain restarts: that party replaced all of ours), one of ours is pushed onto the
 *   suspended. An inactive configuration (no URL, or events []) is taken without asking; it
 *   is the root (off), so stopping switches deliveries off again.
 * - Deactivate: we hold it → give it to the last suspended (re-registered with the rest of the
 *   record), or restore the root, or switch deliveries off (`events: []`; the PUT cannot clear
 *   the URL). We are among the suspended → rewrite the holder's URL without us (its receiver and
 *   secret unchanged), so nobody ever restores our dead URL. Otherwise (someone else replaced
 *   the webhook without knowing us) → leave it.
 * - Every write is read back. An activation whose write was overwritten by a party that did
 *   not record it is planned again from what is there now (refused, or taken over with that
 *   party recorded), at most `maxAttempts` times; a deactivation read back still naming us
 *   runs again.
 * So A replaces foreign F, B replaces A, A stops (B's record drops A), B stops → F is back.
 *
 * What no rule can fix with this contract (documented in the README, warned in the node, and
 * pinned as an expected failure in test/model/webhook-ownership.model.test.ts): a write based on
 * a read taken before another registration's write, landing after that registration has read
 * back its own write. The later write wins and the earlier registration believes it holds a
 * webhook that no longer points to it (it receives nothing until it is activated again).
 * Read-back narrows the window to one request's time; only a compare-and-set would close it.
 */
import { ConflictError } from './errors';
import type { WebhookConfig, WebhookConfigUpdate } from './types';
import { WEBHOOK_EVENT_TYPES } from './types';
import { parseHttpUrl } from './url';
import {
	WEBHOOK_OWNER_PARAM,
	isSameWebhookTarget,
	isSameWebhookUrl,
	removeOwnershipMark,
} from './webhooks';

/** Which of our integrations made a registration. */
export type WebhookOwnerKind = 'n8n' | 'zapier';

/** One registration of ours: the receiver URL (its secret included, no ownership record). */
export interface WebhookRegistration {
	url: string;
	events: string[];
	kind: WebhookOwnerKind;
}

/** The ownership record a registered URL carries. */
export interface WebhookOwnershipRecord {
	/** The configuration before the first take-over; null = none (deliveries off on restore). */
	root: WebhookConfig | null;
	/** Our registrations replaced since, still running, oldest first. */
	suspended: WebhookRegistration[];
}

/** Who holds the webhook, as far as it can be recognised. */
export interface WebhookHolder {
	kind: WebhookOwnerKind | 'zapier-other' | 'other' | 'none';
	/** The receiver as shown to users: scheme, host, port and path (no query, no secret). */
	display: string | null;
}

/** Longest URL the API takes (shared/validation.ts LIMITS.url). */
const MAX_URL_LENGTH = 2048;

// ---------------------------------------------------------------- encoding

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function utf8(text: string): number[] {
	const escaped = encodeURIComponent(text);
	const bytes: number[] = [];
	for (let i = 0; i < escaped.length; i++) {
		if (escaped[i] === '%') {
			bytes.push(parseInt(escaped.slice(i + 1, i + 3), 16));
			i += 2;
		} else bytes.push(escaped.charCodeAt(i));
	}
	return bytes;
}

function base64url(text: string): string {
	const bytes = utf8(text);
	let out = '';
	for (let i = 0; i < bytes.length; i += 3) {
		const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
		out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
		if (i + 1 < bytes.length) out += B64[(n >> 6) & 63];
		if (i + 2 < bytes.length) out += B64[n & 63];
	}
	return out;
}

function fromBase64url(text: string): string | undefined {
	let bits = 0;
	let value = 0;
	let escaped = '';
	for (const char of text) {
		const index = B64.indexOf(char);
		if (index < 0) return undefined;
		value = (value << 6) | index;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			escaped += `%${((value >> bits) & 255).toString(16).padStart(2, '0')}`;
		}
	}
	try {
		return decodeURIComponent(escaped);
	} catch {
		return undefined;
	}
}

/** Events as a bit set over WEBHOOK_EVENT_TYPES when all are known (short), else the names. */
function packEvents(events: readonly string[]): number | string[] {
	let bits = 0;
	for (const event of events) {
		const index = (WEBHOOK_EVENT_TYPES as readonly string[]).indexOf(event);
		if (index < 0) return [...events];
		bits |= 1 << index;
	}
	return bits;
}

function unpackEvents(packed: unknown): string[] | undefined {
	if (typeof packed === 'number' && Number.isInteger(packed) && packed >= 0) {
		return WEBHOOK_EVENT_TYPES.filter((_, index) => (packed & (1 << index)) !== 0);
	}
	if (Array.isArray(packed) && packed.every((e) => typeof e === 'string')) return [...packed];
	return undefined;
}

const KIND_CODES: Record<WebhookOwnerKind, string> = { n8n: 'n', zapier: 'z' };

function kindOf(code: unknown): WebhookOwnerKind | undefined {
	if (code === 'n') return 'n8n';
	if (code === 'z') return 'zapier';
	return undefined;
}

function queryValue(url: string, name: string): string | undefined {
	const query = url.split('#', 1)[0].split('?').slice(1).join('?');
	for (const part of query.split('&')) {
		const eq = part.indexOf('=');
		if (eq > 0 && part.slice(0, eq) === name) return part.slice(eq + 1);
	}
	return undefined;
}

/** The URL to register: the receiver URL plus its ownership record. */
export function markWebhookUrl(
	registration: Pick<WebhookRegistration, 'url' | 'kind'>,
	record: WebhookOwnershipRecord,
): string {
	const json = JSON.stringify({
		v: 1,
		k: KIND_CODES[registration.kind],
		r: record.root?.url ? [record.root.url, packEvents(record.root.events)] : 0,
		s: record.suspended.map((s) => [s.url, packEvents(s.events), KIND_CODES[s.kind]]),
	});
	const base = removeOwnershipMark(registration.url);
	const [beforeHash, hash] = base.split('#', 2);
	const sep = beforeHash.includes('?') ? '&' : '?';
	return `${beforeHash}${sep}${WEBHOOK_OWNER_PARAM}=${base64url(json)}${hash !== undefined ? `#${hash}` : ''}`;
}

/**
 * The registration of ours a configured URL belongs to and its ownership record; undefined when
 * the URL carries no (readable) record: someone else's, or ours from before records existed.
 */
export function readWebhookMark(
	url: string | null | undefined,
): { kind: WebhookOwnerKind; url: string; record: WebhookOwnershipRecord } | undefined {
	if (!url) return undefined;
	const raw = queryValue(url, WEBHOOK_OWNER_PARAM);
	const json = raw === undefined ? undefined : fromBase64url(raw);
	if (json === undefined) return undefined;
	let value: unknown;
	try {
		value = JSON.parse(json);
	} catch {
		return undefined;
	}
	if (value === null || typeof value !== 'object') return undefined;
	const { v, k, r, s } = value as Record<string, unknown>;
	const kind = kindOf(k);
	if (v !== 1 || !kind || !Array.isArray(s)) return undefined;
	let root: WebhookConfig | null = null;
	if (Array.isArray(r)) {
		const events = unpackEvents(r[1]);
		if (typeof r[0] !== 'string' || !events) return undefined;
		root = { url: r[0], events };
	} else if (r !== 0) return undefined;
	const suspended: WebhookRegistration[] = [];
	for (const entry of s) {
		if (!Array.isArray(entry)) return undefined;
		const events = unpackEvents(entry[1]);
		const entryKind = kindOf(entry[2]);
		if (typeof entry[0] !== 'string' || !events || !entryKind) return undefined;
		suspended.push({ url: entry[0], events, kind: entryKind });
	}
	return { kind, url: removeOwnershipMark(url), record: { root, suspended } };
}

// ---------------------------------------------------------------- the rule

function sameEvents(a: readonly string[], b: readonly string[]): boolean {
	const sa = new Set(a);
	const sb = new Set(b);
	return sa.size === sb.size && [...sa].every((e) => sb.has(e));
}

/**
 * Decided for the whole project (the contract is silent): `events: []` means deliveries are
 * off (the only way the PUT can stop them: it cannot clear the URL) and a PUT without `events`
 * subscribes every event. A configuration is in use only with a URL and at least one event.
 */
export function isWebhookInUse(config: WebhookConfig): boolean {
	return typeof config.url === 'string' && config.url.trim() !== '' && config.events.length > 0;
}

function displayUrl(url: string): string {
	const p = parseHttpUrl(url);
	if (!p) return 'another address';
	return `${p.scheme}://${p.host}${p.port ? `:${p.port}` : ''}${p.path}${p.query ? '?…' : ''}`;
}

/** Who a configuration belongs to, as far as it can be recognised. */
export function webhookHolder(config: WebhookConfig): WebhookHolder {
	if (!config.url) return { kind: 'none', display: null };
	const mark = readWebhookMark(config.url);
	if (mark) return { kind: mark.kind, display: displayUrl(removeQueryOf(mark.url)) };
	const p = parseHttpUrl(config.url);
	const zapier =
		p !== undefined && (p.host === 'hooks.zapier.com' || p.host.endsWith('.zapier.com'));
	return { kind: zapier ? 'zapier-other' : 'other', display: displayUrl(config.url) };
}

function removeQueryOf(url: string): string {
	return url.split('#', 1)[0].split('?', 1)[0];
}

const HOLDER_WORDS: Record<WebhookHolder['kind'], string> = {
	n8n: 'another n8n workflow (an IntelliPortal Trigger)',
	zapier: 'a Zapier Zap (IntelliPortal’s New Message Event trigger)',
	'zapier-other': 'a Zapier Zap',
	other: 'another receiver',
	none: 'nobody',
};

/** "another n8n workflow (an IntelliPortal Trigger) at https://…/webhook" */
export function describeWebhookHolder(holder: WebhookHolder): string {
	return `${HOLDER_WORDS[holder.kind]}${holder.display ? ` at ${holder.display}` : ''}`;
}

/**
 * What a user can do about a refusal, in the host's words for its own switch.
 * `replaceSwitch`: e.g. '"Replace Existing Webhook"'; `thisThing`: 'this workflow' / 'this Zap'.
 */
export function webhookRefusalAdvice(
	holder: WebhookHolder,
	words: { replaceSwitch: string; thisThing: string },
): string {
	const first =
		holder.kind === 'n8n'
			? 'Deactivate that workflow first'
			: holder.kind === 'zapier' || holder.kind === 'zapier-other'
				? 'Turn that Zap off first'
				: 'Remove that webhook in IntelliPortal (or point it elsewhere) first';
	return `${first}, or turn on ${words.replaceSwitch} to let ${words.thisThing} take the webhook over; it gives it back when ${words.thisThing} stops.`;
}

function sameRegistration(a: string | null | undefined, b: string): boolean {
	return !!a && isSameWebhookUrl(removeOwnershipMark(a), removeOwnershipMark(b));
}

export type WebhookActivationPlan =
	/** The webhook points to us with these events and this secret already. */
	| { action: 'none' }
	/** We are recorded as suspended under another registration of ours: nothing to write. */
	| { action: 'suspended'; holder: WebhookHolder }
	| { action: 'update'; update: { url: string; events: string[] }; replaced: WebhookHolder }
	| { action: 'refuse'; holder: WebhookHolder; message: string };

/**
 * What activating `me` does to `current`. `legacyPrevious`: what an unmarked registration of
 * ours (from before ownership records) said it had replaced (n8n static data, Zapier bundle).
 */
export function planWebhookActivation(input: {
	current: WebhookConfig;
	me: WebhookRegistration;
	replaceExisting?: boolean;
	legacyPrevious?: WebhookConfig | null;
}): WebhookActivationPlan {
	const { current, me } = input;
	const events = [...new Set(me.events)];
	const mark = readWebhookMark(current.url);
	const holder = webhookHolder(current);
	if (isSameWebhookTarget(current.url, me.url)) {
		if (mark && sameRegistration(current.url, me.url) && sameEvents(current.events, events)) {
			return { action: 'none' };
		}
		const record: WebhookOwnershipRecord = mark?.record ?? {
			root: usableRoot(input.legacyPrevious, me),
			suspended: [],
		};
		return {
			action: 'update',
			update: { url: markWebhookUrl(me, record), events },
			replaced: { kind: 'none', display: null },
		};
	}
	const index = mark
		? mark.record.suspended.findIndex((s) => isSameWebhookTarget(s.url, me.url))
		: -1;
	if (mark && index >= 0) {
		const entry = mark.record.suspended[index];
		if (sameRegistration(entry.url, me.url) && sameEvents(entry.events, events)) {
			return { action: 'suspended', holder };
		}
		// New secret or events while suspended: rewrite our entry, the holder keeps the webhook.
		const suspended = [...mark.record.suspended];
		suspended[index] = { url: removeOwnershipMark(me.url), events, kind: me.kind };
		return {
			action: 'update',
			update: {
				url: markWebhookUrl(mark, { root: mark.record.root, suspended }),
				events: [...current.events],
			},
			replaced: { kind: 'none', display: null },
		};
	}
	if (isWebhookInUse(current)) {
		if (!input.replaceExisting) {
			return {
				action: 'refuse',
				holder,
				message: `The IntelliPortal account's webhook is in use by ${describeWebhookHolder(holder)} (${current.events.length} event(s)); IntelliPortal allows one webhook URL per account.`,
			};
		}
		const record: WebhookOwnershipRecord = mark
			? {
					root: mark.record.root,
					suspended: [
						...mark.record.suspended,
						{ url: mark.url, events: [...current.events], kind: mark.kind },
					],
				}
			: { root: { url: current.url, events: [...current.events] }, suspended: [] };
		return {
			action: 'update',
			update: { url: markWebhookUrl(me, record), events },
			replaced: holder,
		};
	}
	// Not in use: deliveries are off, so restoring means "off" again. A foreign URL with its
	// events off is restored as it was; our own leftover URL is not worth restoring.
	const record: WebhookOwnershipRecord = mark
		? { root: null, suspended: mark.record.suspended }
		: { root: current.url ? { url: current.url, events: [] } : null, suspended: [] };
	return {
		action: 'update',
		update: { url: markWebhookUrl(me, record), events },
		replaced: holder,
	};
}

function usableRoot(
	previous: WebhookConfig | null | undefined,
	me: WebhookRegistration,
): WebhookConfig | null {
	if (!previous || !previous.url || isSameWebhookTarget(previous.url, me.url)) return null;
	return { url: previous.url, events: [...previous.events] };
}

/** Whether `me` is registered as it wants to be (n8n's checkExists): holding it, or suspended. */
export function isWebhookRegistered(current: WebhookConfig, me: WebhookRegistration): boolean {
	const action = planWebhookActivation({ current, me }).action;
	return action === 'none' || action === 'suspended';
}

export type WebhookDeactivationPlan =
	| {
			action: 'update';
			update: WebhookConfigUpdate;
			restores: 'suspended' | 'root' | 'off' | 'withdraw';
			/** Who holds the webhook after the update. */
			holder: WebhookHolder;
	  }
	| { action: 'none'; reason: string };

/** What stopping `me` does to `current` (see the rule at the top of this file). */
export function planWebhookDeactivation(input: {
	current: WebhookConfig;
	me: Pick<WebhookRegistration, 'url'>;
	legacyPrevious?: WebhookConfig | null;
}): WebhookDeactivationPlan {
	const { current, me } = input;
	const mark = readWebhookMark(current.url);
	if (isSameWebhookTarget(current.url, me.url)) {
		const record: WebhookOwnershipRecord = mark?.record ?? {
			root: usableRoot(input.legacyPrevious, { url: me.url, events: [], kind: 'n8n' }),
			suspended: [],
		};
		const next = record.suspended[record.suspended.length - 1];
		if (next) {
			const url = markWebhookUrl(next, {
				root: record.root,
				suspended: record.suspended.slice(0, -1),
			});
			return {
				action: 'update',
				update: { url, events: [...next.events] },
				restores: 'suspended',
				holder: webhookHolder({ url, events: next.events }),
			};
		}
		if (record.root?.url) {
			return {
				action: 'update',
				update: { url: record.root.url, events: [...record.root.events] },
				restores: 'root',
				holder: webhookHolder(record.root),
			};
		}
		return {
			action: 'update',
			update: { events: [] },
			restores: 'off',
			holder: { kind: 'none', display: null },
		};
	}
	if (mark) {
		const suspended = mark.record.suspended.filter((s) => !isSameWebhookTarget(s.url, me.url));
		// A registration of ours from before records existed may be this one's root.
		const rootIsMe = isSameWebhookTarget(mark.record.root?.url, me.url);
		if (suspended.length !== mark.record.suspended.length || rootIsMe) {
			const root = rootIsMe
				? usableRoot(input.legacyPrevious, { url: me.url, events: [], kind: 'n8n' })
				: mark.record.root;
			return {
				action: 'update',
				update: { url: markWebhookUrl(mark, { root, suspended }), events: [...current.events] },
				restores: 'withdraw',
				holder: webhookHolder(current),
			};
		}
	}
	return {
		action: 'none',
		reason: `The webhook no longer points here (it is now used by ${describeWebhookHolder(webhookHolder(current))}); it was left unchanged.`,
	};
}

// ---------------------------------------------------------------- with the API

/** The two calls the rule needs (IntelliPortalClient has them). */
export interface WebhookConfigApi {
	getWebhookConfig(): Promise<WebhookConfig>;
	updateWebhookConfig(input: WebhookConfigUpdate): Promise<WebhookConfig>;
}

export type WebhookActivationResult =
	| { outcome: 'registered'; url: string; replaced: WebhookHolder; attempts: number }
	| { outcome: 'unchanged'; url: string }
	| { outcome: 'suspended'; holder: WebhookHolder }
	| { outcome: 'refused'; holder: WebhookHolder; message: string };

/**
 * Activation / subscription: read, plan, write, read back. A write that a party without our
 * record overwrote in between is planned again from what is there now, at most `maxAttempts`
 * times; then a ConflictError (the webhook keeps changing). Throws the client's errors as they
 * are, and a ConflictError when the record would not fit the API's URL length.
 */
export async function activateWebhook(
	api: WebhookConfigApi,
	me: WebhookRegistration,
	options: {
		replaceExisting?: boolean;
		legacyPrevious?: WebhookConfig | null;
		maxAttempts?: number;
	} = {},
): Promise<WebhookActivationResult> {
	const maxAttempts = options.maxAttempts ?? 3;
	let current = await api.getWebhookConfig();
	for (let attempt = 1; attempt <= maxAttempts; attempt++) {
		const plan = planWebhookActivation({
			current,
			me,
			replaceExisting: options.replaceExisting,
			legacyPrevious: options.legacyPrevious,
		});
		if (plan.action === 'none') return { outcome: 'unchanged', url: current.url as string };
		if (plan.action === 'suspended') return { outcome: 'suspended', holder: plan.holder };
		if (plan.action === 'refuse')
			return { outcome: 'refused', holder: plan.holder, message: plan.message };
		if (plan.update.url.length > MAX_URL_LENGTH) {
			throw new ConflictError(
				`The webhook cannot be taken over: recording what it replaces would make the registered URL longer than ${MAX_URL_LENGTH} characters. Stop one of the other IntelliPortal triggers or Zaps first.`,
				{ code: 'webhook_record_too_long' },
			);
		}
		await api.updateWebhookConfig(plan.update);
		current = await api.getWebhookConfig();
		if (isSameWebhookTarget(current.url, me.url)) {
			return {
				outcome: 'registered',
				url: current.url as string,
				replaced: plan.replaced,
				attempts: attempt,
			};
		}
		const after = planWebhookActivation({ current, me });
		if (after.action === 'suspended') return { outcome: 'suspended', holder: after.holder };
	}
	throw new ConflictError(
		'The IntelliPortal webhook kept changing while this trigger registered itself (another integration is registering at the same time). Try again in a moment.',
		{ code: 'webhook_contended', retryable: true },
	);
}

export type WebhookDeactivationResult =
	| {
			outcome: 'restored';
			restores: 'suspended' | 'root' | 'off' | 'withdraw';
			holder: WebhookHolder;
	  }
	| { outcome: 'left'; reason: string };

/**
 * Deactivation / unsubscription: read, plan, write, read back; while the read-back still names
 * us (a concurrent take-over recorded us after our read), plan again (at most `maxAttempts`).
 */
export async function deactivateWebhook(
	api: WebhookConfigApi,
	me: Pick<WebhookRegistration, 'url'>,
	options: { legacyPrevious?: WebhookConfig | null; maxAttempts?: number } = {},
): Promise<WebhookDeactivationResult> {
	const maxAttempts = options.maxAttempts ?? 3;
	let current = await api.getWebhookConfig();
	let result: WebhookDeactivationResult | undefined;
	for (let attempt = 1; attempt <= maxAttempts; attempt++) {
		const plan = planWebhookDeactivation({ current, me, legacyPrevious: options.legacyPrevious });
		if (plan.action === 'none') return result ?? { outcome: 'left', reason: plan.reason };
		await api.updateWebhookConfig(plan.update);
		result = { outcome: 'restored', restores: plan.restores, holder: plan.holder };
		current = await api.getWebhookConfig();
		if (!namesUs(current, me)) return result;
	}
	return result as WebhookDeactivationResult;
}

function namesUs(current: WebhookConfig, me: Pick<WebhookRegistration, 'url'>): boolean {
	if (isSameWebhookTarget(current.url, me.url)) return isWebhookInUse(current);
	const mark = readWebhookMark(current.url);
	return (
		!!mark &&
		(mark.record.suspended.some((s) => isSameWebhookTarget(s.url, me.url)) ||
			isSameWebhookTarget(mark.record.root?.url, me.url))
	);
}
