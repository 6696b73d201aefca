/**
 * The one ownership rule of the account's single webhook (shared/webhookOwnershipPlan.ts), driven
 * through activateWebhook / deactivateWebhook on an in-memory account with the contract's
 * semantics (GET; PUT replaces the URL when given and the events, all events when left out).
 */
import { inspect } from 'node:util';

import { fromHttpResponse } from '../../shared/failures';
import type { WebhookConfig } from '../../shared/types';
import { WEBHOOK_EVENT_TYPES } from '../../shared/types';
import {
	activateWebhook as activate,
	deactivateWebhook as deactivate,
	isWebhookRegistered as isRegistered,
} from '../../shared/webhookOwnership';
import type { WebhookConfigApi, WebhookOwnershipOptions } from '../../shared/webhookOwnership';
import {
	OwnershipRecordKey,
	readOwnershipRecord,
	writeOwnershipRecord,
} from '../../shared/webhookRecord';
import type { WebhookOwnershipRecord, WebhookRegistration } from '../../shared/webhookRecord';
import {
	appendSecret,
	isSameWebhookTarget,
	isSameWebhookUrl,
	webhookConfigForDisplay,
} from '../../shared/webhookUrl';

const API_KEY = 'ik_test_OwnershipRuleKey0123456789';
const key = new OwnershipRecordKey(API_KEY);

type Options = Omit<WebhookOwnershipOptions, 'apiKey'> & { replaceExisting?: boolean };
const activateWebhook = (api: WebhookConfigApi, me: WebhookRegistration, options: Options = {}) =>
	activate(api, me, { apiKey: API_KEY, ...options });
const deactivateWebhook = (api: WebhookConfigApi, me: { url: string }, options: Options = {}) =>
	deactivate(api, me, { apiKey: API_KEY, ...options });
const isWebhookRegistered = (config: WebhookConfig, me: WebhookRegistration) =>
	isRegistered(config, me, { apiKey: API_KEY });
const markWebhookUrl = (me: Pick<WebhookRegistration, 'url' | 'kind'>, r: WebhookOwnershipRecord) =>
	writeOwnershipRecord(me, r, key);
const readWebhookMark = (url: string | null) => {
	const reading = readOwnershipRecord(url, key);
	return reading.status === 'read' ? reading.mark : undefined;
};

class Account implements WebhookConfigApi {
	config: WebhookConfig = { url: null, events: [] };
	puts = 0;
	/** Runs once, right after the next PUT lands (a concurrent writer). */
	afterNextPut?: () => void;
	/** A server that answers every PUT with a 500 echoing what it was sent. */
	echoPutError = false;
	async getWebhookConfig(): Promise<WebhookConfig> {
		return { url: this.config.url, events: [...this.config.events] };
	}
	async updateWebhookConfig(input: { url?: string; events?: string[] }): Promise<WebhookConfig> {
		this.puts++;
		if ((input.url ?? '').length > 2048) {
			throw fromHttpResponse(400, {}, { error: { message: 'url is too long' } }, { method: 'PUT' });
		}
		if (this.echoPutError) {
			const echo = { message: `could not store ${input.url}`, details: { url: input.url, input } };
			throw fromHttpResponse(500, {}, { error: echo }, { method: 'PUT', secrets: [API_KEY] });
		}
		this.config = {
			url: input.url ?? this.config.url,
			events: input.events ?? [...WEBHOOK_EVENT_TYPES],
		};
		const hook = this.afterNextPut;
		this.afterNextPut = undefined;
		hook?.();
		return this.getWebhookConfig();
	}
}

const F: WebhookConfig = {
	url: 'https://crm.example.com/hooks?token=SECRET',
	events: ['message.sent'],
};

function n8n(id: string, events = ['message.read'], secret = `s-${id}`): WebhookRegistration {
	return {
		url: appendSecret(`https://n8n.example.com/webhook/${id}/webhook`, secret),
		events,
		kind: 'n8n',
	};
}

function zap(id: string, events = ['message.delivered']): WebhookRegistration {
	return {
		url: appendSecret(`https://hooks.zapier.com/hooks/standard/1/${id}/`, `z-${id}`),
		events,
		kind: 'zapier',
	};
}

function holds(account: Account, me: WebhookRegistration): boolean {
	return isSameWebhookTarget(account.config.url, me.url) && account.config.events.length > 0;
}

let account: Account;
beforeEach(() => {
	account = new Account();
});

describe('URLs and the ownership record', () => {
	it('compares URLs normalised', () => {
		const ours = 'https://n8n.example.com/webhook/abc';
		expect(isSameWebhookUrl('HTTPS://N8N.example.com:443/webhook/abc/', ours)).toBe(true);
		expect(isSameWebhookUrl('https://n8n.example.com/webhook/abd', ours)).toBe(false);
		expect(isSameWebhookUrl(null, ours)).toBe(false);
	});

	it('Get Configuration shows neither the secret nor the record (it holds other receivers’ secrets)', () => {
		const url = markWebhookUrl(n8n('a'), { root: F, suspended: [n8n('b')] });
		expect(webhookConfigForDisplay({ url, events: ['message.read'] })).toEqual({
			url: 'https://n8n.example.com/webhook/a/webhook',
			events: ['message.read'],
			secretSet: true,
		});
	});
});

describe('activation and deactivation: one rule', () => {
	it('A replaces foreign F, B replaces A, A stops, B stops: F is back (the chain that lost F)', async () => {
		account.config = { ...F };
		const A = n8n('a');
		const B = n8n('b');
		expect(await activateWebhook(account, A, { replaceExisting: true })).toMatchObject({
			outcome: 'registered',
			replaced: { kind: 'other' },
		});
		expect(await activateWebhook(account, B, { replaceExisting: true })).toMatchObject({
			outcome: 'registered',
			replaced: { kind: 'n8n', origin: 'https://n8n.example.com' },
		});
		expect(await deactivateWebhook(account, A)).toMatchObject({
			outcome: 'restored',
			restores: 'withdraw',
		});
		expect(holds(account, B)).toBe(true);
		expect(readWebhookMark(account.config.url)?.record).toEqual({ root: F, suspended: [] });
		expect(await deactivateWebhook(account, B)).toMatchObject({ restores: 'root' });
		expect(account.config).toEqual(F);
	});

	it('… and in the other order B stops first: A gets the webhook back, then F', async () => {
		account.config = { ...F };
		const A = n8n('a');
		const B = zap('b');
		await activateWebhook(account, A, { replaceExisting: true });
		await activateWebhook(account, B, { replaceExisting: true });
		await deactivateWebhook(account, B);
		expect(holds(account, A)).toBe(true);
		expect(account.config.events).toEqual(A.events);
		expect(isWebhookRegistered(account.config, A)).toBe(true);
		await deactivateWebhook(account, A);
		expect(account.config).toEqual(F);
	});

	it('a registration suspended under a later one counts as registered and is not re-taken (n8n restart)', async () => {
		const A = n8n('a');
		const B = n8n('b');
		await activateWebhook(account, A);
		await activateWebhook(account, B, { replaceExisting: true });
		expect(isWebhookRegistered(account.config, A)).toBe(true);
		const before = account.config.url;
		expect(await activateWebhook(account, A, { replaceExisting: true })).toMatchObject({
			outcome: 'suspended',
			holder: { kind: 'n8n' },
		});
		expect(account.config.url).toBe(before);
		// A restarts with a new secret while suspended: its entry is refreshed, B keeps the webhook.
		const A2 = n8n('a', A.events, 'new-secret');
		expect(isWebhookRegistered(account.config, A2)).toBe(false);
		expect(await activateWebhook(account, A2)).toMatchObject({ outcome: 'suspended' });
		expect(holds(account, B)).toBe(true);
		await deactivateWebhook(account, B);
		expect(isSameWebhookUrl(readWebhookMark(account.config.url)?.url, A2.url)).toBe(true);
	});

	it('the same receiver with another secret is ours on the way in AND out (record kept)', async () => {
		account.config = { ...F };
		await activateWebhook(account, n8n('a', ['message.read'], 'old'), { replaceExisting: true });
		// Secret lost, re-registered without Replace Existing: still ours, F still recorded.
		const again = n8n('a', ['message.failed'], 'new');
		expect(await activateWebhook(account, again)).toMatchObject({ outcome: 'registered' });
		expect(account.config.events).toEqual(['message.failed']);
		// Deactivation knows it by its receiver too, whatever secret it remembers.
		await deactivateWebhook(account, n8n('a', [], 'old'));
		expect(account.config).toEqual(F);
	});

	it('nothing before → deliveries off on stop; the leftover URL is taken without asking', async () => {
		const A = n8n('a');
		await activateWebhook(account, A);
		await deactivateWebhook(account, A);
		expect(account.config.events).toEqual([]);
		expect(isSameWebhookTarget(account.config.url, A.url)).toBe(true);
		const B = zap('b');
		expect(await activateWebhook(account, B)).toMatchObject({ outcome: 'registered' });
		await deactivateWebhook(account, B);
		expect(account.config.events).toEqual([]);
	});

	it('a foreign URL with deliveries off is put back as it was', async () => {
		account.config = { url: 'https://crm.example.com/off', events: [] };
		const A = n8n('a');
		await activateWebhook(account, A);
		await deactivateWebhook(account, A);
		expect(account.config).toEqual({ url: 'https://crm.example.com/off', events: [] });
	});

	it('someone else replacing ours is never undone: stopping leaves their configuration', async () => {
		const A = n8n('a');
		await activateWebhook(account, A);
		account.config = { url: 'https://other.example.com/new', events: ['message.sent'] };
		expect(await deactivateWebhook(account, A)).toMatchObject({ outcome: 'left' });
		expect(account.config).toEqual({
			url: 'https://other.example.com/new',
			events: ['message.sent'],
		});
	});
});

describe('refusals name who holds the webhook, by scheme and host only', () => {
	it.each([
		['another n8n workflow', n8n('b').url, 'n8n', 'https://n8n.example.com'],
		['a Zap of ours', zap('z').url, 'zapier', 'https://hooks.zapier.com'],
		[
			'another Zapier Zap',
			'https://hooks.zapier.com/hooks/catch/1/x/',
			'zapier-other',
			'https://hooks.zapier.com',
		],
		['something else', F.url as string, 'other', 'https://crm.example.com'],
		[
			'something else on a port',
			'http://crm.example.com:8080/in',
			'other',
			'http://crm.example.com:8080',
		],
	])('%s', async (_name, url, kind, origin) => {
		const holder = isSameWebhookUrl(url, F.url)
			? F
			: url.includes('ip_secret')
				? {
						url: markWebhookUrl(
							{ url, kind: url.includes('zapier') ? 'zapier' : 'n8n' },
							{ root: null, suspended: [] },
						),
						events: ['message.sent'],
					}
				: { url, events: ['message.sent'] };
		account.config = { ...holder };
		const result = await activateWebhook(account, n8n('a'));
		expect(result).toEqual({
			outcome: 'refused',
			reason: 'in_use',
			holder: { kind, origin },
			events: 1,
		});
		expect(account.config).toEqual(holder);
		expect(account.puts).toBe(0);
	});
});

describe('read-then-write races', () => {
	it('a write overwritten by a registration that did not record it is planned again: refused, naming it', async () => {
		const A = n8n('a');
		const B = n8n('b');
		// B read "nothing" before A wrote and writes right after A's PUT.
		account.afterNextPut = () => {
			account.config = { url: markWebhookUrl(B, { root: null, suspended: [] }), events: B.events };
		};
		const result = await activateWebhook(account, A);
		expect(result).toMatchObject({ outcome: 'refused', holder: { kind: 'n8n' } });
		expect(holds(account, B)).toBe(true);
	});

	it('… or, with Replace Existing, taken over with the other recorded (it gets it back later)', async () => {
		account.config = { ...F };
		const A = n8n('a');
		const B = n8n('b');
		account.afterNextPut = () => {
			account.config = {
				url: markWebhookUrl(B, { root: F, suspended: [] }),
				events: B.events,
			};
		};
		expect(await activateWebhook(account, A, { replaceExisting: true })).toMatchObject({
			outcome: 'registered',
			attempts: 2,
		});
		expect(readWebhookMark(account.config.url)?.record).toEqual({ root: F, suspended: [B] });
		await deactivateWebhook(account, B);
		await deactivateWebhook(account, A);
		expect(account.config).toEqual(F);
	});

	it('a webhook that keeps changing ends in a retryable ConflictError, not a false success', async () => {
		const A = n8n('a');
		let n = 0;
		const rewrite = () => {
			account.config = { url: `https://other.example.com/${n++}`, events: [] };
			account.afterNextPut = rewrite;
		};
		account.afterNextPut = rewrite;
		await expect(activateWebhook(account, A)).rejects.toMatchObject({
			name: 'ConflictError',
			code: 'webhook_contended',
			retryable: true,
		});
	});

	it('a stop whose read-back still names it (a take-over recorded it meanwhile) withdraws itself', async () => {
		account.config = { ...F };
		const A = n8n('a');
		const B = n8n('b');
		await activateWebhook(account, A, { replaceExisting: true });
		// B read A (holding, root F) before A's stop wrote, and lands its take-over right after.
		account.afterNextPut = () => {
			account.config = {
				url: markWebhookUrl(B, { root: F, suspended: [A] }),
				events: B.events,
			};
		};
		await deactivateWebhook(account, A);
		expect(readWebhookMark(account.config.url)?.record).toEqual({ root: F, suspended: [] });
		await deactivateWebhook(account, B);
		expect(account.config).toEqual(F);
	});
});

describe('limits', () => {
	it('a record that would not fit the 2048-character URL refuses the take-over, writing nothing', async () => {
		account.config = {
			url: `https://crm.example.com/${'x'.repeat(1900)}`,
			events: ['message.sent'],
		};
		const result = await activateWebhook(account, n8n('a'), { replaceExisting: true });
		expect(result).toMatchObject({ outcome: 'refused', reason: 'record_too_long' });
		expect(account.config.url).toMatch(/^https:\/\/crm\.example\.com\/x+$/);
		expect(account.puts).toBe(0);
	});

	it('the bound holds with the seal: the longest foreign URL that fits is taken over and given back, one more character is refused', async () => {
		const A = n8n('a');
		const foreign = (length: number) => `https://crm.example.com/${'x'.repeat(length - 24)}`;
		let fits = 0;
		for (let length = 1300; length <= 2048; length++) {
			account = new Account();
			account.config = { url: foreign(length), events: ['message.sent'] };
			const result = await activateWebhook(account, A, { replaceExisting: true });
			if (result.outcome !== 'registered') {
				expect(result).toMatchObject({ outcome: 'refused', reason: 'record_too_long' });
				expect(account.puts).toBe(0);
				break;
			}
			fits = length;
			expect((account.config.url as string).length).toBeLessThanOrEqual(2048);
		}
		// base64url makes the recorded URL 4/3 longer, the seal adds 33 bytes (44 characters)
		expect(fits).toBeGreaterThan(1350);
		expect(fits).toBeLessThan(1500);
		account = new Account();
		account.config = { url: foreign(fits), events: ['message.sent'] };
		await activateWebhook(account, A, { replaceExisting: true });
		await deactivateWebhook(account, A);
		expect(account.config).toEqual({ url: foreign(fits), events: ['message.sent'] });
	});

	it('registrations from before records existed: their stored previous is restored or carried over', async () => {
		const A = n8n('a');
		account.config = { url: A.url, events: A.events }; // unmarked, as older versions registered
		await deactivateWebhook(account, A, { legacyPrevious: F });
		expect(account.config).toEqual(F);
		// An unmarked registration of ours taken over as "foreign", then stopped: the root is mended.
		account.config = { url: A.url, events: A.events };
		const B = n8n('b');
		await activateWebhook(account, B, { replaceExisting: true });
		await deactivateWebhook(account, A, { legacyPrevious: F });
		await deactivateWebhook(account, B);
		expect(account.config).toEqual(F);
	});
});

/** The former plain record (`ip_hook_secret`), as registrations before the seal wrote it. */
function legacyMarked(holder: WebhookRegistration, r: WebhookOwnershipRecord): string {
	const code = (k: string) => (k === 'n8n' ? 'n' : 'z');
	const json = JSON.stringify({
		v: 1,
		k: code(holder.kind),
		r: r.root ? [r.root.url, r.root.events] : 0,
		s: r.suspended.map((s) => [s.url, s.events, code(s.kind)]),
	});
	return `${holder.url}&ip_hook_secret=${Buffer.from(json).toString('base64url')}`;
}

describe('the record written before the seal (ip_hook_secret)', () => {
	it('is still read: a chain recorded in it gives back in order, and the first write seals it', async () => {
		const A = n8n('a');
		const B = zap('b');
		account.config = { url: legacyMarked(B, { root: F, suspended: [A] }), events: B.events };
		expect(isWebhookRegistered(account.config, A)).toBe(true);
		await deactivateWebhook(account, B);
		expect(holds(account, A)).toBe(true);
		expect(account.config.url).toContain('&ip_owner=');
		expect(account.config.url).not.toContain('ip_hook_secret');
		expect(readWebhookMark(account.config.url)?.record).toEqual({ root: F, suspended: [] });
		await deactivateWebhook(account, A);
		expect(account.config).toEqual(F);
	});

	it('a holder re-activated as it is rewrites its plain record sealed (so the secrets leave the URL)', async () => {
		const A = n8n('a');
		account.config = { url: legacyMarked(A, { root: F, suspended: [zap('b')] }), events: A.events };
		expect(isWebhookRegistered(account.config, A)).toBe(false);
		expect(await activateWebhook(account, A)).toMatchObject({ outcome: 'registered' });
		expect(account.config.url).not.toContain('ip_hook_secret');
		expect(readWebhookMark(account.config.url)?.record).toEqual({ root: F, suspended: [zap('b')] });
		expect(await activateWebhook(account, A)).toEqual({
			outcome: 'unchanged',
			url: account.config.url,
		});
	});
});

describe('a record that cannot be read: nothing restored from it, the webhook left as it is', () => {
	const rotated = new OwnershipRecordKey('ik_test_TheKeyBeforeRotation0000');
	const A = n8n('a');
	const B = n8n('b');
	/** B holds the webhook, A suspended under it, root F: sealed under the key before rotation. */
	const sealedBefore = () => ({
		url: writeOwnershipRecord(B, { root: F, suspended: [A] }, rotated),
		events: B.events,
	});
	const tampered = () => {
		const url = writeOwnershipRecord(B, { root: F, suspended: [A] }, key);
		const sealed = new URL(url).searchParams.get('ip_owner') as string;
		const bytes = Buffer.from(sealed, 'base64url');
		bytes[30] ^= 0x20;
		return { url: url.replace(sealed, bytes.toString('base64url')), events: B.events };
	};

	it.each([
		['sealed under another API key (the key was changed)', sealedBefore, 'record_other_key'],
		['altered', tampered, 'record_tampered'],
	])(
		'%s: activation is refused, saying so; deactivation leaves it; nothing is written',
		async (_l, config, reason) => {
			for (const me of [A, n8n('c'), zap('z')]) {
				account.config = config();
				const before = { ...account.config };
				for (const replaceExisting of [false, true]) {
					expect(await activateWebhook(account, me, { replaceExisting })).toEqual({
						outcome: 'refused',
						reason,
						holder: { kind: 'other', origin: 'https://n8n.example.com' },
						events: B.events.length,
					});
				}
				expect(isWebhookRegistered(account.config, me)).toBe(false);
				expect(await deactivateWebhook(account, me)).toMatchObject({ outcome: 'left', reason });
				expect(account.config).toEqual(before);
			}
			// The holder itself: deactivating cannot know what to give back, so it leaves it too.
			account.config = config();
			expect(await deactivateWebhook(account, B)).toMatchObject({ outcome: 'left', reason });
			expect(account.puts).toBe(0);
		},
	);

	it('the holder after a key change keeps receiving: re-activated as it is, nothing to write', async () => {
		account.config = sealedBefore();
		expect(isWebhookRegistered(account.config, B)).toBe(true);
		expect(await activateWebhook(account, B)).toMatchObject({ outcome: 'unchanged' });
		// … but a new secret or other events would mean rewriting a record it cannot read
		expect(await activateWebhook(account, n8n('b', ['message.failed']))).toMatchObject({
			outcome: 'refused',
			reason: 'record_other_key',
		});
		expect(account.puts).toBe(0);
	});
});

describe('a server error that echoes the URL we sent', () => {
	const token = 'hooks/T0000/B0000/SLACKSTYLETOKEN';
	const foreign = { url: `https://hooks.slack.example.com/${token}`, events: ['message.sent'] };

	function everything(error: unknown): string {
		const e = error as Error;
		return [
			e.message,
			e.stack,
			JSON.stringify(e),
			inspect(e, { depth: 10, showHidden: true }),
		].join('\n');
	}

	it('shows neither ip_secret, the record nor the restored receiver’s path', async () => {
		const A = n8n('a', ['message.read'], 'SECRET-of-a-0123456789');
		account.config = { ...foreign };
		await activateWebhook(account, A, { replaceExisting: true });
		const sealed = new URL(account.config.url as string).searchParams.get('ip_owner') as string;
		account.echoPutError = true;
		const failures = [
			await activateWebhook(account, n8n('a', ['message.failed'], 'SECRET-of-a-0123456789')).catch(
				(e: unknown) => e,
			),
			await deactivateWebhook(account, A).catch((e: unknown) => e),
		];
		for (const error of failures) {
			expect(error).toMatchObject({ name: 'ServerError', httpStatus: 500 });
			const text = everything(error);
			expect(text).toContain('could not store');
			for (const leak of ['SECRET-of-a', sealed.slice(0, 40), token, 'SLACKSTYLE', API_KEY]) {
				expect(text).not.toContain(leak);
			}
		}
		// The deactivation's echo still names the receiver by scheme and host.
		expect(everything(failures[1])).toContain('https://hooks.slack.example.com');
	});
});
