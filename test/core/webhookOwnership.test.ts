/**
 * The one ownership rule of the account's single webhook (shared/webhookOwnership.ts), driven
 * through activateWebhook / deactivateWebhook on an in-memory account with the contract's
 * semantics (GET; PUT replaces the URL when given and the events, all events when left out).
 */
import {
	ConflictError,
	WEBHOOK_EVENT_TYPES,
	activateWebhook,
	appendSecret,
	deactivateWebhook,
	isSameWebhookTarget,
	isSameWebhookUrl,
	isWebhookRegistered,
	markWebhookUrl,
	readWebhookMark,
	webhookConfigForDisplay,
} from '../../shared';
import type { WebhookConfig, WebhookConfigApi, WebhookRegistration } from '../../shared';

class Account implements WebhookConfigApi {
	config: WebhookConfig = { url: null, events: [] };
	/** Runs once, right after the next PUT lands (a concurrent writer). */
	afterNextPut?: () => void;
	async getWebhookConfig(): Promise<WebhookConfig> {
		return { url: this.config.url, events: [...this.config.events] };
	}
	async updateWebhookConfig(input: { url?: string; events?: string[] }): Promise<WebhookConfig> {
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

	it('the record round-trips through the URL (unknown event names kept) and a garbled one is not ours', () => {
		const a = n8n('a');
		const url = markWebhookUrl(a, {
			root: { url: F.url as string, events: ['message.sent', 'message.future'] },
			suspended: [zap('z1', ['message.read', 'client.onboarded'])],
		});
		expect(url.startsWith(`${a.url}&ip_hook_secret=`)).toBe(true);
		expect(url).toMatch(/ip_hook_secret=[A-Za-z0-9_-]+$/);
		expect(readWebhookMark(url)).toEqual({
			kind: 'n8n',
			url: a.url,
			record: {
				root: { url: F.url, events: ['message.sent', 'message.future'] },
				suspended: [zap('z1', ['message.read', 'client.onboarded'])],
			},
		});
		expect(readWebhookMark(`${a.url}&ip_hook_secret=bm90IGpzb24`)).toBeUndefined();
		expect(readWebhookMark(`${a.url}&ip_hook_secret=%%%`)).toBeUndefined();
		expect(readWebhookMark(F.url)).toBeUndefined();
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
			replaced: { kind: 'n8n', display: 'https://n8n.example.com/webhook/a/webhook' },
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

describe('refusals name who holds the webhook', () => {
	it.each([
		[
			'another n8n workflow',
			n8n('b').url,
			/another n8n workflow .* at https:\/\/n8n\.example\.com\/webhook\/b\/webhook/,
		],
		['a Zap of ours', zap('z').url, /a Zapier Zap \(IntelliPortal’s New Message Event trigger\)/],
		[
			'another Zapier Zap',
			'https://hooks.zapier.com/hooks/catch/1/x/',
			/a Zapier Zap at https:\/\/hooks\.zapier\.com/,
		],
		[
			'something else',
			F.url as string,
			/another receiver at https:\/\/crm\.example\.com\/hooks\?…/,
		],
	])('%s', async (_name, url, pattern) => {
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
		expect(result.outcome).toBe('refused');
		if (result.outcome !== 'refused') return;
		expect(result.message).toMatch(pattern);
		expect(result.message).not.toMatch(/SECRET|s-b|z-z|ip_secret|ip_hook_secret/);
		expect(account.config).toEqual(holder);
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
	it('a record that would not fit the 2048-character URL refuses the take-over with a clear error', async () => {
		account.config = {
			url: `https://crm.example.com/${'x'.repeat(1900)}`,
			events: ['message.sent'],
		};
		const error = await activateWebhook(account, n8n('a'), { replaceExisting: true }).catch(
			(e: unknown) => e,
		);
		expect(error).toBeInstanceOf(ConflictError);
		expect((error as Error).message).toMatch(/longer than 2048 characters/);
		expect(account.config.url).toMatch(/^https:\/\/crm\.example\.com\/x+$/);
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
