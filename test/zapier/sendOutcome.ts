/**
 * Whether the request behind an error the Zapier app threw may have taken effect, read back from
 * toZapierError's output (the fault soak and the verdict tests use it). In doubt, never 'not_sent';
 * 'unclassified' is a defect: the user cannot tell whether to replay.
 */
import { MAY_HAVE_BEEN_SENT_NOTICE, NOT_SENT_NOTICE } from '../../zapier/src/errors';

export type SendOutcome = 'not_sent' | 'may_have_been_sent' | 'unclassified';

export function sendOutcomeOf(error: unknown): SendOutcome {
	const name = (error as { name?: unknown } | null)?.name;
	const raw = (error as { message?: unknown } | null)?.message;
	const text = typeof raw === 'string' ? raw : '';
	let payload: { message?: unknown; code?: unknown; status?: unknown } = {};
	try {
		const parsed = JSON.parse(text) as unknown;
		if (parsed !== null && typeof parsed === 'object') payload = parsed as typeof payload;
	} catch {
		// Zapier's AppError and ThrottledError carry JSON; anything else is read as plain text.
	}
	const message = typeof payload.message === 'string' ? payload.message : text;
	if (message.includes(MAY_HAVE_BEEN_SENT_NOTICE)) return 'may_have_been_sent';
	if (name === 'ThrottledError') return 'not_sent';
	if (name === 'ExpiredAuthError' || name === 'RefreshAuthError') return 'not_sent';
	if (name !== 'AppError') return 'unclassified';
	if (message.includes(NOT_SENT_NOTICE)) return 'not_sent';
	const status = typeof payload.status === 'number' ? payload.status : undefined;
	if (status !== undefined && status >= 400 && status < 500) return 'not_sent';
	if (payload.code === 'validation_error' || payload.code === 'configuration_error')
		return 'not_sent';
	return 'unclassified';
}
