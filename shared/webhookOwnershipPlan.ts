/**
 * The one ownership rule of the account's single webhook, for n8n activation and deactivation
 * and Zapier subscribe and unsubscribe alike: pure, from the configuration read to the PUT to
 * make. docs/ARCHITECTURE.md states the rule; the record it keeps is shared/webhookRecord.ts.
 */
import type { WebhookConfig, WebhookConfigUpdate } from './types';
import { LIMITS } from './validation';
import { readOwnershipRecord, writeOwnershipRecord } from './webhookRecord';
import type {
	OwnershipRecordKey,
	RecordReading,
	WebhookOwnerKind,
	WebhookOwnershipRecord,
	WebhookRegistration,
} from './webhookRecord';
import {
	isSameWebhookTarget,
	isSameWebhookUrl,
	receiverHost,
	receiverOrigin,
	removeOwnershipRecord,
} from './webhookUrl';

/** Who holds the webhook, as far as it can be recognised. */
export interface WebhookHolder {
	kind: WebhookOwnerKind | 'zapier-other' | 'other' | 'none';
	/** The receiver's scheme, host and port: never its path, which may be its credential. */
	origin: string | null;
}

/** A record nothing can be read from: sealed under another API key, or altered. */
export type RecordProblem = 'record_other_key' | 'record_tampered';
export type RefusalReason = 'in_use' | 'record_too_long' | RecordProblem;
export type Restores = 'suspended' | 'root' | 'off' | 'withdraw';

export type WebhookActivationPlan =
	/** The webhook points to us with these events and this secret already. */
	| { action: 'none' }
	/** We are recorded as suspended under another registration of ours: nothing to write. */
	| { action: 'suspended'; holder: WebhookHolder }
	| { action: 'update'; update: { url: string; events: string[] }; replaced: WebhookHolder }
	| { action: 'refuse'; reason: RefusalReason; holder: WebhookHolder; events: number };

export type WebhookDeactivationPlan =
	| { action: 'update'; update: WebhookConfigUpdate; restores: Restores; holder: WebhookHolder }
	| { action: 'none'; reason: 'not_ours' | RecordProblem; holder: WebhookHolder };

interface PlanInput {
	current: WebhookConfig;
	key: OwnershipRecordKey;
	/** What an unmarked registration of ours said it had replaced (n8n static data, Zapier bundle). */
	legacyPrevious?: WebhookConfig | null;
}

const NOBODY: WebhookHolder = { kind: 'none', origin: null };

/**
 * Decided for the whole project (the contract is silent): `events: []` means deliveries are off
 * (the PUT cannot clear the URL); a configuration is in use only with a URL and ≥ 1 event.
 */
export function isWebhookInUse(config: WebhookConfig): boolean {
	return typeof config.url === 'string' && config.url.trim() !== '' && config.events.length > 0;
}

function holderOf(url: string | null | undefined, reading: RecordReading): WebhookHolder {
	if (!url) return NOBODY;
	if (reading.status === 'read') {
		return { kind: reading.mark.kind, origin: receiverOrigin(reading.mark.url) };
	}
	const host = receiverHost(url);
	const zapier = host === 'hooks.zapier.com' || host.endsWith('.zapier.com');
	return { kind: zapier ? 'zapier-other' : 'other', origin: receiverOrigin(url) };
}

/** Who a configuration belongs to, as far as it can be recognised. */
function webhookHolder(config: WebhookConfig, key: OwnershipRecordKey): WebhookHolder {
	return holderOf(config.url, readOwnershipRecord(config.url, key));
}

function problemOf(reading: RecordReading): RecordProblem | undefined {
	if (reading.status === 'other_key') return 'record_other_key';
	if (reading.status === 'tampered') return 'record_tampered';
	return undefined;
}

function sameEvents(a: readonly string[], b: readonly string[]): boolean {
	const sa = new Set(a);
	const sb = new Set(b);
	return sa.size === sb.size && [...sa].every((e) => sb.has(e));
}

function sameRegistration(a: string | null | undefined, b: string): boolean {
	return !!a && isSameWebhookUrl(removeOwnershipRecord(a), removeOwnershipRecord(b));
}

function usableRoot(previous: WebhookConfig | null | undefined, me: string): WebhookConfig | null {
	if (!previous || !previous.url || isSameWebhookTarget(previous.url, me)) return null;
	return { url: previous.url, events: [...previous.events] };
}

/** What activating `me` does to `current`; an update whose URL the API would refuse is refused. */
export function planWebhookActivation(
	input: PlanInput & { me: WebhookRegistration; replaceExisting?: boolean },
): WebhookActivationPlan {
	const plan = planActivation(input);
	if (plan.action !== 'update' || plan.update.url.length <= LIMITS.url) return plan;
	const holder = webhookHolder(input.current, input.key);
	return {
		action: 'refuse',
		reason: 'record_too_long',
		holder,
		events: input.current.events.length,
	};
}

function planActivation(
	input: PlanInput & { me: WebhookRegistration; replaceExisting?: boolean },
): WebhookActivationPlan {
	const { current, me, key } = input;
	const events = [...new Set(me.events)];
	const reading = readOwnershipRecord(current.url, key);
	const holder = holderOf(current.url, reading);
	const ours = isSameWebhookTarget(current.url, me.url);
	const unchanged = sameRegistration(current.url, me.url) && sameEvents(current.events, events);
	const problem = problemOf(reading);
	if (problem) {
		// Nothing in the record can be known, so nothing is written over it.
		if (ours && unchanged) return { action: 'none' };
		return { action: 'refuse', reason: problem, holder, events: current.events.length };
	}
	const mark = reading.status === 'read' ? reading.mark : undefined;
	const update = (url: string, updateEvents: string[], replaced: WebhookHolder) => ({
		action: 'update' as const,
		update: { url, events: updateEvents },
		replaced,
	});
	if (ours) {
		if (mark && !mark.legacy && unchanged) return { action: 'none' };
		const record = mark?.record ?? {
			root: usableRoot(input.legacyPrevious, me.url),
			suspended: [],
		};
		return update(writeOwnershipRecord(me, record, key), events, NOBODY);
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
		suspended[index] = { url: removeOwnershipRecord(me.url), events, kind: me.kind };
		const url = writeOwnershipRecord(mark, { root: mark.record.root, suspended }, key);
		return update(url, [...current.events], NOBODY);
	}
	if (isWebhookInUse(current)) {
		if (!input.replaceExisting) {
			return { action: 'refuse', reason: 'in_use', holder, events: current.events.length };
		}
		// A foreign holder becomes the root (it replaced all of ours); one of ours is suspended.
		const record: WebhookOwnershipRecord = mark
			? {
					root: mark.record.root,
					suspended: [
						...mark.record.suspended,
						{ url: mark.url, events: [...current.events], kind: mark.kind },
					],
				}
			: { root: { url: current.url, events: [...current.events] }, suspended: [] };
		return update(writeOwnershipRecord(me, record, key), events, holder);
	}
	// Not in use: restoring means "off" again. A foreign URL with its events off is restored as
	// it was; our own leftover URL is not worth restoring.
	const record: WebhookOwnershipRecord = mark
		? { root: null, suspended: mark.record.suspended }
		: { root: current.url ? { url: current.url, events: [] } : null, suspended: [] };
	return update(writeOwnershipRecord(me, record, key), events, holder);
}

/**
 * What stopping `me` does to `current`: give the webhook to the last suspended, or restore the
 * root, or switch deliveries off; withdraw from the record when suspended; else leave it.
 */
export function planWebhookDeactivation(
	input: PlanInput & { me: Pick<WebhookRegistration, 'url'> },
): WebhookDeactivationPlan {
	const { current, me, key } = input;
	const reading = readOwnershipRecord(current.url, key);
	const problem = problemOf(reading);
	if (problem) return { action: 'none', reason: problem, holder: holderOf(current.url, reading) };
	const mark = reading.status === 'read' ? reading.mark : undefined;
	if (isSameWebhookTarget(current.url, me.url)) {
		const record = mark?.record ?? {
			root: usableRoot(input.legacyPrevious, me.url),
			suspended: [],
		};
		const next = record.suspended[record.suspended.length - 1];
		if (next) {
			const rest = { root: record.root, suspended: record.suspended.slice(0, -1) };
			return {
				action: 'update',
				update: { url: writeOwnershipRecord(next, rest, key), events: [...next.events] },
				restores: 'suspended',
				holder: { kind: next.kind, origin: receiverOrigin(next.url) },
			};
		}
		if (record.root?.url) {
			return {
				action: 'update',
				update: { url: record.root.url, events: [...record.root.events] },
				restores: 'root',
				holder: webhookHolder(record.root, key),
			};
		}
		return { action: 'update', update: { events: [] }, restores: 'off', holder: NOBODY };
	}
	if (mark) {
		const suspended = mark.record.suspended.filter((s) => !isSameWebhookTarget(s.url, me.url));
		// A registration of ours from before records existed may be this one's root.
		const rootIsMe = isSameWebhookTarget(mark.record.root?.url, me.url);
		if (suspended.length !== mark.record.suspended.length || rootIsMe) {
			const root = rootIsMe ? usableRoot(input.legacyPrevious, me.url) : mark.record.root;
			const url = writeOwnershipRecord(mark, { root, suspended }, key);
			return {
				action: 'update',
				update: { url, events: [...current.events] },
				restores: 'withdraw',
				holder: holderOf(current.url, reading),
			};
		}
	}
	return { action: 'none', reason: 'not_ours', holder: holderOf(current.url, reading) };
}

/** Whether `current` still names `me`: holding it in use, suspended, or as the root. */
export function namesRegistration(
	current: WebhookConfig,
	me: Pick<WebhookRegistration, 'url'>,
	key: OwnershipRecordKey,
): boolean {
	if (isSameWebhookTarget(current.url, me.url)) return isWebhookInUse(current);
	const reading = readOwnershipRecord(current.url, key);
	if (reading.status !== 'read') return false;
	const { record } = reading.mark;
	return (
		record.suspended.some((s) => isSameWebhookTarget(s.url, me.url)) ||
		isSameWebhookTarget(record.root?.url, me.url)
	);
}
