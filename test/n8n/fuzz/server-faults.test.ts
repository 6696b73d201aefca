/**
 * Parameter fuzzing of the IntelliPortal node: valid sends against injected server faults.
 * The properties every case checks and the oracle are in ./harness.ts.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { recordFuzzCases } from '../../reliability/fuzzCount';
import { API_KEY } from '../helpers';
import {
	FUZZ_RUNS,
	env,
	expectNodeError,
	fuzzCaseLabel,
	params,
	timeLimit,
	unhandled,
	useFuzzEnv,
} from './harness';

useFuzzEnv();

describe('server faults on valid input', () => {
	const WRONG_KEY = 'ik_test_WRONGkey0123456789';

	it(
		'classified, never leaking a key, and "not sent" is true when the node says so',
		async () => {
			const faults = fc.oneof(
				fc.constant({}),
				fc.record({ fault500: fc.constantFrom(0.3, 1) }),
				// 503 + Retry-After is a throttle: retried after 1 s (at 100 % for up to 10 minutes).
				fc.constant({ fault503: 0.3 }),
				fc.record({ faultResetBefore: fc.constantFrom(0.3, 1) }),
				fc.record({ faultResetAfter: fc.constantFrom(0.3, 1) }),
				fc.constant({ fault500: 0.2, fault503: 0.1, faultResetBefore: 0.2, faultResetAfter: 0.2 }),
			);
			await fc.assert(
				fc.asyncProperty(
					faults,
					fc.boolean(),
					fc.constantFrom('send', 'sendTemplate', 'unknownTemplate'),
					fc.integer({ min: 1, max: 4 }),
					fc.integer({ min: 1, max: 4 }),
					fc.boolean(),
					fc.nat(),
					async (config, wrongKey, kind, count, concurrency, continueOnFail, salt) => {
						env.emulator.admin.reset();
						env.emulator.admin.config(config);
						const key = wrongKey ? WRONG_KEY : API_KEY;
						env.harness.setCredentials({
							intelliPortalApi: {
								apiKey: key,
								environment: 'custom',
								baseUrl: env.emulator.baseUrl,
							},
						});
						const node = env.actionNode({
							resource: 'message',
							operation: kind === 'send' ? 'send' : 'sendTemplate',
							clientRef: { __rl: true, mode: 'id', value: 'cl_faults' },
							to: '={{ $json.to }}',
							messageType: 'text',
							textBody: 'Hello',
							templateName: kind === 'unknownTemplate' ? 'no_such_template' : 'hello_world',
							options: { concurrency },
						});
						node.onError = continueOnFail ? 'continueRegularOutput' : 'stopWorkflow';
						const input = Array.from({ length: count }, (_, i) => ({
							to: `+1555${String(salt % 100000).padStart(5, '0')}${i}`,
						}));
						const before = unhandled.length;
						let outcome: Awaited<ReturnType<typeof env.harness.runNode>>;
						try {
							outcome = await env.harness.runNode(node, input);
						} finally {
							env.harness.setCredentials({
								intelliPortalApi: {
									apiKey: API_KEY,
									environment: 'custom',
									baseUrl: env.emulator.baseUrl,
								},
							});
						}
						await new Promise((resolve) => setTimeout(resolve, 0));
						expect(unhandled.length).toBe(before);
						const { items, error, run } = outcome;
						for (const secret of [API_KEY, WRONG_KEY].map((k) => k.slice('ik_test_'.length))) {
							for (const [what, value] of [
								['items', items],
								['error', error && [error.message, error.description, error.stack, error]],
								['run', run],
							] as const) {
								const text = JSON.stringify(value) ?? '';
								if (text.includes(secret)) throw new Error(`a key appears in the ${what}`);
							}
						}
						const accepted = env.emulator.admin.messages().map((m) => m.to);
						// Never sent twice.
						expect(new Set(accepted).size).toBe(accepted.length);
						if (!continueOnFail) {
							if (error) expectNodeError(error);
							return;
						}
						expect(error).toBeUndefined();
						expect(items).toHaveLength(count);
						items!.forEach((item, i) => {
							expect(item.pairedItem).toEqual({ item: i });
							const failure = item.json.error as IDataObject | undefined;
							if (!failure) {
								expect(accepted).toContain(input[i].to);
								return;
							}
							expect(typeof failure.mayHaveBeenSent).toBe('boolean');
							expect(typeof failure.retryable).toBe('boolean');
							// "Not sent" must be true: the emulator never accepted it.
							if (failure.mayHaveBeenSent === false) expect(accepted).not.toContain(input[i].to);
						});
					},
				),
				params('serverFaults'),
			);
			recordFuzzCases(fuzzCaseLabel('serverFaults'), FUZZ_RUNS.serverFaults);
		},
		timeLimit('serverFaults'),
	);

	// Found by this suite: under the node's rate governor a throttle was bounded only by the
	// Retry-After time waited, so a server answering "Retry-After: 0" forever was retried without
	// end, hundreds of requests a second (fixed in shared/retry.ts, 1bcc72a).
	it('a server answering 503 + Retry-After: 0 forever is given up on', async () => {
		env.emulator.admin.reset();
		env.emulator.admin.config({ fault503: 1, retryAfterSeconds: 0 });
		const node = env.actionNode({
			resource: 'message',
			operation: 'send',
			clientRef: { __rl: true, mode: 'id', value: 'cl_503' },
			to: '+14155550503',
			messageType: 'text',
			textBody: 'Hello',
			options: { concurrency: 1 },
		});
		const run = env.harness.runNode(node, [{}]);
		let giveUp: NodeJS.Timeout | undefined;
		const finished = await Promise.race([
			run.then(() => true),
			new Promise<boolean>((resolve) => (giveUp = setTimeout(() => resolve(false), 3000))),
		]);
		clearTimeout(giveUp); // no timer outlives the test
		const requests = env.emulator.admin.counters().requests;
		// Let a send that is still retrying go through, so nothing runs on after this test.
		env.emulator.admin.config({ fault503: 0 });
		const { error } = await run;
		expect(finished).toBe(true);
		expect(requests).toBeLessThanOrEqual(10);
		expect(error?.name).toBe('NodeApiError');
	}, 20_000);
});
