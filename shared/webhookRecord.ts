/**
 * The ownership record a registered URL carries (`ip_owner`): what our registration replaced.
 * It holds other receivers' URLs and secrets and travels in every delivery URL, so it is sealed
 * with AES-256-GCM under a key derived from the API key: unreadable and unforgeable without it.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

import { isRecord } from './guards';
import type { WebhookConfig } from './types';
import { WEBHOOK_EVENT_TYPES } from './types';
import {
	LEGACY_OWNERSHIP_RECORD_PARAM,
	OWNERSHIP_RECORD_PARAM,
	appendQueryParam,
	queryParam,
	removeOwnershipRecord,
} from './webhookUrl';

/** Which of our integrations made a registration. */
export type WebhookOwnerKind = 'n8n' | 'zapier';

/** One registration of ours: the receiver URL (its secret included, no ownership record). */
export interface WebhookRegistration {
	url: string;
	events: string[];
	kind: WebhookOwnerKind;
}

export interface WebhookOwnershipRecord {
	/** The configuration before the first take-over; null = none (deliveries off on restore). */
	root: WebhookConfig | null;
	/** Our registrations replaced since, still running, oldest first. */
	suspended: WebhookRegistration[];
}

/** A registered URL of ours, read: who registered it and what it replaced. */
export interface OwnershipMark {
	kind: WebhookOwnerKind;
	/** The receiver URL without the record. */
	url: string;
	record: WebhookOwnershipRecord;
	/** Read from the former plain record: rewritten sealed at the next write. */
	legacy: boolean;
}

export type RecordReading =
	/** No record: someone else's URL, or ours from before records. */
	| { status: 'absent' }
	| { status: 'read'; mark: OwnershipMark }
	/** Sealed under another API key (the key was changed): nothing in it can be known. */
	| { status: 'other_key' }
	/** Altered or damaged: nothing in it may be trusted. */
	| { status: 'tampered' };

const FORMAT = 2;
const KEY_ID_BYTES = 4;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES + NONCE_BYTES;
const SALT = 'intelliportal webhook ownership record';

/** The record's key, derived from the API key (HKDF-SHA-256); it keeps no copy of the API key. */
export class OwnershipRecordKey {
	readonly #key: Buffer;
	/** Tells "sealed under another key" from "tampered"; one-way, so it reveals nothing. */
	readonly #id: Buffer;

	constructor(apiKey: string) {
		const derive = (info: string, length: number) =>
			Buffer.from(hkdfSync('sha256', apiKey.trim(), SALT, info, length));
		this.#key = derive('aes-256-gcm key', 32);
		this.#id = derive('key id', KEY_ID_BYTES);
	}

	seal(plain: string): string {
		const header = Buffer.concat([Buffer.from([FORMAT]), this.#id, randomBytes(NONCE_BYTES)]);
		const cipher = createCipheriv('aes-256-gcm', this.#key, header.subarray(1 + KEY_ID_BYTES));
		cipher.setAAD(header);
		const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
		return Buffer.concat([header, body, cipher.getAuthTag()]).toString('base64url');
	}

	open(sealed: string): string | 'other_key' | 'tampered' {
		if (!/^[A-Za-z0-9_-]+$/.test(sealed)) return 'tampered';
		const bytes = Buffer.from(sealed, 'base64url');
		if (bytes.length < HEADER_BYTES + TAG_BYTES || bytes[0] !== FORMAT) return 'tampered';
		const header = bytes.subarray(0, HEADER_BYTES);
		if (!header.subarray(1, 1 + KEY_ID_BYTES).equals(this.#id)) return 'other_key';
		const decipher = createDecipheriv('aes-256-gcm', this.#key, header.subarray(1 + KEY_ID_BYTES));
		decipher.setAAD(header);
		decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
		try {
			const body = bytes.subarray(HEADER_BYTES, bytes.length - TAG_BYTES);
			return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
		} catch {
			// GCM refuses a wrong tag: the record was altered.
			return 'tampered';
		}
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

/** The URL to register: the receiver URL plus its sealed ownership record. */
export function writeOwnershipRecord(
	registration: Pick<WebhookRegistration, 'url' | 'kind'>,
	record: WebhookOwnershipRecord,
	key: OwnershipRecordKey,
): string {
	const json = JSON.stringify({
		v: 1,
		k: KIND_CODES[registration.kind],
		r: record.root?.url ? [record.root.url, packEvents(record.root.events)] : 0,
		s: record.suspended.map((s) => [s.url, packEvents(s.events), KIND_CODES[s.kind]]),
	});
	const base = removeOwnershipRecord(registration.url);
	return appendQueryParam(base, OWNERSHIP_RECORD_PARAM, key.seal(json));
}

/** The record a configured URL carries, sealed (`ip_owner`) or in the former plain form. */
export function readOwnershipRecord(
	url: string | null | undefined,
	key: OwnershipRecordKey,
): RecordReading {
	if (!url) return { status: 'absent' };
	const sealed = queryParam(url, OWNERSHIP_RECORD_PARAM);
	let json: string;
	if (sealed !== undefined) {
		const opened = key.open(sealed);
		if (opened === 'other_key' || opened === 'tampered') return { status: opened };
		json = opened;
	} else {
		const plain = queryParam(url, LEGACY_OWNERSHIP_RECORD_PARAM);
		if (plain === undefined) return { status: 'absent' };
		if (!/^[A-Za-z0-9_-]+$/.test(plain)) return { status: 'tampered' };
		json = Buffer.from(plain, 'base64url').toString('utf8');
	}
	const mark = decodeMark(json, removeOwnershipRecord(url), sealed === undefined);
	return mark ? { status: 'read', mark } : { status: 'tampered' };
}

function decodeMark(json: string, url: string, legacy: boolean): OwnershipMark | undefined {
	let value: unknown;
	try {
		value = JSON.parse(json);
	} catch {
		return undefined;
	}
	if (!isRecord(value)) return undefined;
	const { v, k, r, s } = value;
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
	return { kind, url, record: { root, suspended }, legacy };
}
