import type { RecordProblem, RefusalReason, WebhookHolder } from '../../shared';

const HOLDERS: Record<WebhookHolder['kind'], string> = {
	n8n: 'another n8n workflow (an IntelliPortal Trigger)',
	zapier: 'a Zapier Zap (IntelliPortal’s New Message Event trigger)',
	'zapier-other': 'a Zapier Zap',
	other: 'another receiver',
	none: 'nobody',
};

/** "another n8n workflow (an IntelliPortal Trigger) at https://n8n.example.com" (no path). */
export function holderText(holder: WebhookHolder): string {
	return `${HOLDERS[holder.kind]}${holder.origin ? ` at ${holder.origin}` : ''}`;
}

/** Only our registrations carry a record, but an unreadable one does not say which. */
function recordHolder(holder: WebhookHolder): string {
	const at = holder.origin ? ` at ${holder.origin}` : '';
	return `The account's webhook, registered by an IntelliPortal Trigger or Zap${at},`;
}

const UNREADABLE_FIX =
	"Point the account's webhook elsewhere or switch its events off (in IntelliPortal, or with the IntelliPortal node's Webhook → Update Configuration)";

const RECORD_WORDS: Record<RecordProblem, string> = {
	record_other_key:
		'carries an ownership record sealed with a different API key than this credential’s (was the key changed?), so this workflow cannot tell what it would have to give back',
	record_tampered:
		'carries an ownership record that fails its integrity check (it was altered), so nothing in it is trusted',
};

/** The activation error for a refusal: what happened, and what to do about it. */
export function refusalText(refusal: {
	reason: RefusalReason;
	holder: WebhookHolder;
	events: number;
}): { message: string; advice: string } {
	const { reason, holder, events } = refusal;
	if (reason === 'in_use') {
		const first =
			holder.kind === 'n8n'
				? 'Deactivate that workflow first'
				: holder.kind === 'zapier' || holder.kind === 'zapier-other'
					? 'Turn that Zap off first'
					: 'Remove that webhook in IntelliPortal (or point it elsewhere) first';
		return {
			message: `The IntelliPortal account's webhook is in use by ${holderText(holder)} (${events} event(s)); IntelliPortal allows one webhook URL per account.`,
			advice: `${first}, or turn on "Replace Existing Webhook" to let this workflow take the webhook over; it gives it back when this workflow is deactivated.`,
		};
	}
	if (reason === 'record_too_long') {
		return {
			message:
				"The account's webhook cannot be taken over: recording what it replaces would make the registered URL longer than the 2048 characters IntelliPortal accepts.",
			advice:
				'Deactivate one of the other IntelliPortal Triggers or Zaps that took the webhook over, then activate this workflow again.',
		};
	}
	return {
		message: `${recordHolder(holder)} ${RECORD_WORDS[reason]}; it was left unchanged.`,
		advice: `${UNREADABLE_FIX}, then activate this workflow again.`,
	};
}

/** n8n's log line when deactivation leaves the webhook as it is. */
export function leftText(reason: 'not_ours' | RecordProblem, holder: WebhookHolder): string {
	if (reason === 'not_ours') {
		return `IntelliPortal Trigger: the account's webhook no longer points to this workflow (it is used by ${holderText(holder)}); it was left unchanged.`;
	}
	return `IntelliPortal Trigger: ${recordHolder(holder)} ${RECORD_WORDS[reason]}; it was left as it is, and what it records cannot be given back. ${UNREADABLE_FIX} if it should no longer deliver there.`;
}
