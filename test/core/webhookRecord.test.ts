/**
 * The ownership record's codec (shared/webhookRecord.ts): sealed with AES-256-GCM under a key
 * derived from the API key, so a reader of the registered URL (an access log of the holder)
 * learns nothing of what it records, and nobody without the key can forge or alter it.
 */
import { inspect } from 'node:util';

import {
	OwnershipRecordKey,
	readOwnershipRecord,
	writeOwnershipRecord,
} from '../../shared/webhookRecord';
import type { WebhookOwnershipRecord, WebhookRegistration } from '../../shared/webhookRecord';
import { appendSecret } from '../../shared/webhookUrl';

const API_KEY = 'ik_test_RecordCodecKey0123456789';
const key = new OwnershipRecordKey(API_KEY);

const FOREIGN_TOKEN = 'tok_F0reignReceiverToken';
const FOREIGN_URL = `https://crm.example.com/hooks/in?token=${FOREIGN_TOKEN}`;
const N8N_SECRET = '6f1c2a9e4b7d3f0a8c5e2b9d1f4a7c3e6b0d9f2a5c8e1b4d';
const suspendedN8n: WebhookRegistration = {
	url: appendSecret('https://n8n.example.com/webhook/a1/webhook', N8N_SECRET),
	events: ['message.read', 'message.future'],
	kind: 'n8n',
};
const zap: WebhookRegistration = {
	url: appendSecret('https://hooks.zapier.com/hooks/standard/1/2/', 'z'.repeat(48)),
	events: ['message.delivered'],
	kind: 'zapier',
};
const record: WebhookOwnershipRecord = {
	root: { url: FOREIGN_URL, events: ['message.sent'] },
	suspended: [suspendedN8n],
};

/** The old plain record as registrations before this version wrote it. */
function legacyUrl(holder: WebhookRegistration, r: WebhookOwnershipRecord): string {
	const json = JSON.stringify({
		v: 1,
		k: holder.kind === 'n8n' ? 'n' : 'z',
		r: r.root ? [r.root.url, r.root.events] : 0,
		s: r.suspended.map((s) => [s.url, s.events, s.kind === 'n8n' ? 'n' : 'z']),
	});
	return `${holder.url}&ip_hook_secret=${Buffer.from(json).toString('base64url')}`;
}

/** Everything a log reader can get from a URL: each part and parameter, base64url-decoded too. */
function whatALogReaderSees(url: string): string {
	const parsed = new URL(url);
	const seen = [parsed.origin, parsed.pathname];
	for (const [name, value] of parsed.searchParams) {
		seen.push(name, value, Buffer.from(value, 'base64url').toString('latin1'));
		seen.push(Buffer.from(value, 'base64').toString('latin1'));
	}
	return seen.join('\n');
}

describe('the sealed record', () => {
	it('round-trips through the URL under the same API key (unknown event names kept)', () => {
		const url = writeOwnershipRecord(zap, record, key);
		expect(url.startsWith(`${zap.url}&ip_owner=`)).toBe(true);
		expect(url).toMatch(/ip_owner=[A-Za-z0-9_-]+$/);
		expect(url).not.toContain('ip_hook_secret');
		expect(readOwnershipRecord(url, new OwnershipRecordKey(` ${API_KEY} `))).toEqual({
			status: 'read',
			mark: { kind: 'zapier', url: zap.url, record, legacy: false },
		});
	});

	it('a log reader of the delivery URL finds no secret, token or URL of what it records', () => {
		const url = writeOwnershipRecord(zap, record, key);
		const seen = whatALogReaderSees(url);
		for (const leak of [N8N_SECRET, FOREIGN_TOKEN, 'crm.example.com', 'n8n.example.com']) {
			expect(seen).not.toContain(leak);
		}
		// The same check finds them in the record this version replaces.
		const old = whatALogReaderSees(legacyUrl(zap, record));
		expect(old).toContain(N8N_SECRET);
		expect(old).toContain(FOREIGN_TOKEN);
	});

	it('every write draws a fresh nonce: the same record never seals to the same text', () => {
		const a = writeOwnershipRecord(zap, record, key);
		const b = writeOwnershipRecord(zap, record, key);
		expect(a).not.toBe(b);
		expect(readOwnershipRecord(b, key)).toEqual(readOwnershipRecord(a, key));
	});

	it('is unreadable under another API key, and says so (not "tampered")', () => {
		const url = writeOwnershipRecord(zap, record, key);
		const rotated = new OwnershipRecordKey('ik_test_RotatedKey9876543210');
		expect(readOwnershipRecord(url, rotated)).toEqual({ status: 'other_key' });
	});

	it('any altered, cut or garbled record is refused as tampered: nothing is read from it', () => {
		const url = writeOwnershipRecord(zap, record, key);
		const sealed = new URL(url).searchParams.get('ip_owner') as string;
		const bytes = Buffer.from(sealed, 'base64url');
		const flipped = (at: number) => {
			const copy = Buffer.from(bytes);
			copy[at] ^= 0x01;
			return copy.toString('base64url');
		};
		const variants = [
			flipped(0), // format
			flipped(5), // nonce
			flipped(20), // ciphertext
			flipped(bytes.length - 1), // tag
			bytes.subarray(0, bytes.length - 1).toString('base64url'),
			bytes.subarray(0, 20).toString('base64url'),
			`${sealed}%%`,
			'',
		];
		for (const variant of variants) {
			expect(readOwnershipRecord(`${zap.url}&ip_owner=${variant}`, key)).toEqual({
				status: 'tampered',
			});
		}
		// A record whose key id was changed is one that no key of ours sealed.
		expect(readOwnershipRecord(`${zap.url}&ip_owner=${flipped(1)}`, key)).toEqual({
			status: 'other_key',
		});
	});

	it('the former plain record (ip_hook_secret) is still read, marked legacy to be rewritten sealed', () => {
		expect(readOwnershipRecord(legacyUrl(zap, record), key)).toEqual({
			status: 'read',
			mark: { kind: 'zapier', url: zap.url, record, legacy: true },
		});
		expect(readOwnershipRecord(`${zap.url}&ip_hook_secret=bm90IGpzb24`, key)).toEqual({
			status: 'tampered',
		});
		expect(readOwnershipRecord(FOREIGN_URL, key)).toEqual({ status: 'absent' });
		expect(readOwnershipRecord(null, key)).toEqual({ status: 'absent' });
	});

	it('the key shows neither the API key nor itself when logged or serialised', () => {
		const text = `${JSON.stringify(key)} ${inspect(key, { showHidden: true, depth: 5 })}`;
		expect(text).not.toContain(API_KEY);
		expect(text).not.toMatch(/[0-9a-f]{32}/);
	});
});
