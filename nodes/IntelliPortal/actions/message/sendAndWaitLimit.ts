import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { WAIT_INDEFINITELY } from 'n8n-workflow';

import { isRecord } from '../../../../shared/guards';
import { own, parameterError } from '../../fields';

const UNIT_MS: Record<string, number> = {
	minutes: 60_000,
	hours: 3_600_000,
	days: 86_400_000,
};

/** A date/time parameter: an ISO text, a number of ms, a Date or a Luxon DateTime (toISO()). */
function toDate(value: unknown): Date | undefined {
	if (value instanceof Date) return value;
	if (typeof value === 'string' && value.trim() !== '') return new Date(value.trim());
	if (typeof value === 'number') return new Date(value);
	const toISO = isRecord(value) ? undefined : (value as { toISO?: unknown } | null)?.toISO;
	if (typeof toISO === 'function') {
		const iso: unknown = toISO.call(value);
		if (typeof iso === 'string') return new Date(iso);
	}
	return undefined;
}

/**
 * When the execution stops waiting without an answer (Options → Limit Wait Time), or
 * WAIT_INDEFINITELY. Checked before sending, so a bad limit never leaves links that lead nowhere.
 */
export function waitTill(ctx: IExecuteFunctions, now: Date): Date {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const limit = isRecord(options) ? own(options, 'limitWaitTime') : undefined;
	const values = isRecord(limit) ? own(limit, 'values') : undefined;
	if (!isRecord(values)) return WAIT_INDEFINITELY;

	const limitType = own(values, 'limitType') ?? 'afterTimeInterval';
	if (limitType === 'afterTimeInterval') {
		const amount = Number(own(values, 'resumeAmount') ?? 1);
		const unit = String(own(values, 'resumeUnit') ?? 'hours');
		const unitMs = UNIT_MS[unit];
		if (unitMs === undefined) {
			throw parameterError(ctx, 'limitWaitTime', 0, `has an unknown unit "${unit.slice(0, 20)}"`);
		}
		if (!Number.isFinite(amount) || amount <= 0) {
			throw parameterError(ctx, 'limitWaitTime', 0, 'must have an amount greater than 0');
		}
		return new Date(now.getTime() + amount * unitMs);
	}
	if (limitType === 'atSpecifiedTime') {
		const at = toDate(own(values, 'maxDateAndTime'));
		if (at === undefined || Number.isNaN(at.getTime())) {
			throw parameterError(ctx, 'limitWaitTime', 0, 'must have a valid "Max Date and Time"');
		}
		if (at.getTime() <= now.getTime()) {
			throw parameterError(
				ctx,
				'limitWaitTime',
				0,
				`has a "Max Date and Time" in the past (${at.toISOString()})`,
				'Set a date and time in the future, or remove the limit to wait until the recipient answers.',
			);
		}
		return at;
	}
	throw parameterError(
		ctx,
		'limitWaitTime',
		0,
		'must be "After Time Interval" or "At Specified Time"',
	);
}
