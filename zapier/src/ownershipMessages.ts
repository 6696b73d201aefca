import type { RecordProblem, RefusalReason, WebhookHolder } from '../../shared';

const HOLDERS: Record<WebhookHolder['kind'], string> = {
	n8n: 'an n8n workflow (IntelliPortal Trigger)',
	zapier: 'another Zap (IntelliPortal’s New Message Event trigger)',
	'zapier-other': 'another Zap',
	other: 'another receiver',
	none: 'nobody',
};

/** Who holds the webhook, by scheme and host only: a hook's path may be its credential. */
function holderWords(holder: WebhookHolder): string {
	return holder.origin ? `${HOLDERS[holder.kind]} at ${holder.origin}` : HOLDERS[holder.kind];
}

/** A record is only written by a Zap or n8n trigger of ours; an unreadable one does not say which. */
function byOneOfOurs(holder: WebhookHolder): string {
	return `The account's webhook (registered by an IntelliPortal Zap or n8n trigger${holder.origin ? `, ${holder.origin}` : ''})`;
}

const UNREADABLE: Record<RecordProblem, string> = {
	record_other_key:
		'its ownership record was sealed with another API key than this connection’s (was the key changed?), so this Zap cannot tell what it would have to give back',
	record_tampered: 'its ownership record fails its integrity check (it was altered)',
};

/** What to do before turning this Zap on, by who holds the webhook. */
const FIRST_STEP: Record<WebhookHolder['kind'], string> = {
	n8n: 'Deactivate that n8n workflow first',
	zapier: 'Turn that Zap off first',
	'zapier-other': 'Turn that Zap off first',
	other: 'Remove that webhook in IntelliPortal (or point it elsewhere) first',
	none: 'Try again',
};

/** performSubscribe's error for a refusal: code and text, the host's words for the core's reason. */
export function subscribeRefusal(
	reason: RefusalReason,
	holder: WebhookHolder,
	events: number,
): { code: string; message: string } {
	if (reason === 'in_use') {
		return {
			code: 'webhook_in_use',
			message: `IntelliPortal allows one webhook URL per account, and it is in use by ${holderWords(holder)} (${events} event(s)). ${FIRST_STEP[holder.kind]}, or turn on "Replace Existing Webhook" in this trigger to let this Zap take it over; it is given back when this Zap is turned off.`,
		};
	}
	if (reason === 'record_too_long') {
		return {
			code: 'webhook_record_too_long',
			message:
				'This Zap cannot take the webhook over: recording what it replaces would make the registered URL longer than the 2048 characters IntelliPortal accepts. Turn off one of the other Zaps or n8n workflows that took it over first.',
		};
	}
	return {
		code: `webhook_${reason}`,
		message: `${byOneOfOurs(holder)} was left unchanged: ${UNREADABLE[reason]}. Point it elsewhere or switch its events off in IntelliPortal, then turn this Zap on again.`,
	};
}

/** What performUnsubscribe says when it leaves the webhook as it is. */
export function unsubscribeLeft(reason: 'not_ours' | RecordProblem, holder: WebhookHolder): string {
	if (reason === 'not_ours') {
		return `The webhook no longer points to this Zap (it is used by ${holderWords(holder)}); it was left unchanged.`;
	}
	return `${byOneOfOurs(holder)} was left as it is: ${UNREADABLE[reason]}. Point it elsewhere or switch its events off in IntelliPortal if it should no longer deliver there.`;
}
