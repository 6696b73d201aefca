/**
 * The explicit "may this message have been sent?" reading of the app's Zapier errors
 * (sendOutcomeOf in test/zapier/sendOutcome.ts, used by the fault soak): for every failure the emulator
 * can inject, the Zapier error the step ends with, its outcome, and the truth (the emulator's
 * accepted messages). "not_sent" must always be true; "may_have_been_sent" is the safe answer
 * whenever the app cannot know.
 */
import type { ZObject } from 'zapier-platform-core';

import type { EmulatorConfig, RunningEmulator } from '../../emulator';
import { NetworkError } from '../../shared/errors';
import { unexpected } from '../../shared/responses';
import App from '../../zapier/src';
import { ZAPIER_RETRY } from '../../zapier/src/apiClient';
import { MAY_HAVE_BEEN_SENT_NOTICE, NOT_SENT_NOTICE, toZapierError } from '../../zapier/src/errors';
import { sendOutcomeOf } from './sendOutcome';
import { API_KEY, appTester, authData, emulator, rejection, zapierPayload } from './helpers';

const tester = appTester();
const sendMessage = App.creates.send_message.operation.perform;
let emu: RunningEmulator;

beforeAll(async () => {
	emu = await emulator();
});
afterAll(async () => {
	await emu.stop();
});
beforeEach(() => emu.admin.reset());

const input = { client_ref: 'cl_1', to: '+15551234567', type: 'text', text: 'Your order shipped' };

async function failingSend(config: Partial<EmulatorConfig>) {
	emu.admin.config(config);
	const error = await rejection(tester(sendMessage, { authData: authData(emu), inputData: input }));
	return { error, outcome: sendOutcomeOf(error), accepted: emu.admin.messages().length };
}

describe('sendOutcomeOf against real failures of send_message', () => {
	it('429 with a long Retry-After: ThrottledError, not sent (Zapier re-runs the step later)', async () => {
		const r = await failingSend({ fault429: 1, retryAfterSeconds: 20 });
		expect(r.error.name).toBe('ThrottledError');
		expect(zapierPayload(r.error).delay).toBe(20);
		expect(r.outcome).toBe('not_sent');
		expect(r.accepted).toBe(0);
	});

	it('429 on every attempt with a short Retry-After: retried in the step, then ThrottledError, not sent', async () => {
		const r = await failingSend({ fault429: 1, retryAfterSeconds: 1 });
		expect(r.error.name).toBe('ThrottledError');
		expect(r.outcome).toBe('not_sent');
		expect(r.accepted).toBe(0);
		// a single Zap step (no rate governor) tries ZAPIER_RETRY.maxAttempts times, then hands over
		expect(emu.admin.counters().faults.error429).toBe(ZAPIER_RETRY.maxAttempts);
	});

	it('503 + long Retry-After: ThrottledError, not sent', async () => {
		const r = await failingSend({ fault503: 1, retryAfterSeconds: 30 });
		expect(r.error.name).toBe('ThrottledError');
		expect(r.outcome).toBe('not_sent');
		expect(r.accepted).toBe(0);
	});

	it('500 after a send: may have been sent (the app cannot know), not repeated', async () => {
		const r = await failingSend({ fault500: 1 });
		expect(r.error.name).toBe('AppError');
		expect(String(zapierPayload(r.error).message)).toContain(MAY_HAVE_BEEN_SENT_NOTICE);
		expect(r.outcome).toBe('may_have_been_sent');
		expect(emu.admin.requests()).toHaveLength(1);
	});

	it('connection reset after processing: may have been sent, and it was (exactly once)', async () => {
		const r = await failingSend({ faultResetAfter: 1 });
		expect(r.outcome).toBe('may_have_been_sent');
		expect(r.accepted).toBe(1);
		expect(emu.admin.requests()).toHaveLength(1);
	});

	it('connection reset before processing: may have been sent (indistinguishable for a client), and not repeated', async () => {
		const r = await failingSend({ faultResetBefore: 1 });
		expect(r.outcome).toBe('may_have_been_sent');
		expect(r.accepted).toBe(0);
		expect(emu.admin.requests()).toHaveLength(1);
	});

	it('a template the server does not know (404): not sent', async () => {
		const error = await rejection(
			tester(App.creates.send_template.operation.perform, {
				authData: authData(emu),
				inputData: { client_ref: 'cl_1', to: '+15551234567', template_name: 'no_such_template' },
			}),
		);
		expect(zapierPayload(error).status).toBe(404);
		expect(sendOutcomeOf(error)).toBe('not_sent');
		expect(emu.admin.counters().templatesAccepted).toBe(0);
	});

	it('client-side validation: not sent, and no request at all', async () => {
		const error = await rejection(
			tester(sendMessage, { authData: authData(emu), inputData: { ...input, text: '' } }),
		);
		expect(sendOutcomeOf(error)).toBe('not_sent');
		expect(emu.admin.requests()).toHaveLength(0);
	});

	it('a rejected key (401): ExpiredAuthError, not sent', async () => {
		const error = await rejection(
			tester(sendMessage, {
				authData: { ...authData(emu), apiKey: 'ik_test_short' },
				inputData: input,
			}),
		);
		expect(error.name).toBe('ExpiredAuthError');
		expect(sendOutcomeOf(error)).toBe('not_sent');
		expect(emu.admin.messages()).toHaveLength(0);
	});
});

describe('sendOutcomeOf on mapped core errors and foreign errors', () => {
	function map(error: unknown): Promise<Error> {
		return tester(async (z: ZObject) => toZapierError(z, error, [API_KEY]), {
			authData: { apiKey: API_KEY },
		}) as Promise<Error>;
	}

	it('a timeout after a send: may have been sent', async () => {
		const out = await map(
			new NetworkError('No response within 8000 ms.', {
				phase: 'timeout',
				timedOut: true,
				mayHaveBeenSent: true,
			}),
		);
		expect(sendOutcomeOf(out)).toBe('may_have_been_sent');
	});

	it('a connection refused: not sent', async () => {
		const out = await map(
			new NetworkError('Could not connect.', { phase: 'connect', mayHaveBeenSent: false }),
		);
		expect(String(zapierPayload(out).message)).toContain(NOT_SENT_NOTICE);
		expect(sendOutcomeOf(out)).toBe('not_sent');
	});

	it('a 2xx the core could not read: may have been sent (the server accepted the request), said once', async () => {
		// The core's own error for it (test/core/api-client.test.ts pins its facts).
		const out = await map(unexpected('the message response has no id', 200, true));
		expect(sendOutcomeOf(out)).toBe('may_have_been_sent');
		const message = String(zapierPayload(out).message);
		expect(message).toContain(MAY_HAVE_BEEN_SENT_NOTICE);
		// The app writes the notice; the core's message only states what came back.
		expect(message.match(/processed/g)).toHaveLength(1);
	});

	it('anything that is not one of the app’s errors is unclassified (the soak counts it as lost)', () => {
		expect(sendOutcomeOf(new Error('boom'))).toBe('unclassified');
		expect(sendOutcomeOf(undefined)).toBe('unclassified');
		expect(sendOutcomeOf({ name: 'AppError', message: '{"message":"?","code":"x"}' })).toBe(
			'unclassified',
		);
	});

	it('"may have been sent" wins when a message carries both notices (never claim "not sent" in doubt)', () => {
		const message = JSON.stringify({
			message: `${NOT_SENT_NOTICE} ${MAY_HAVE_BEEN_SENT_NOTICE}`,
			code: 'x',
			status: 400,
		});
		expect(sendOutcomeOf({ name: 'AppError', message })).toBe('may_have_been_sent');
	});
});
