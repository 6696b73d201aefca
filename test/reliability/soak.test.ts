/**
 * Fault soak (CI-sized; `npm run reliability` runs it larger and writes docs/RELIABILITY.md).
 * 10 % injected 429s and 429s from the rate limit, 2 % 503 + Retry-After, 1 % 500, 1 % connection resets (half before,
 * half after the server processed the request) and 1 % responses slower than
 * the client's timeout: nothing is lost, nothing is sent twice, every failure says whether the
 * message may have gone out, and "not sent" is true.
 */
import { appendFileSync } from 'node:fs';

import { runSoak } from './soak';
import type { SoakFigures } from './soak';

// zapier-platform-core exits the process once it has served 250 runs with more than 450 MB RSS
// (Zapier then recycles the Lambda). Here all Zap runs share the jest worker, whose RSS is mostly
// jest and the n8n engine, so that guard would kill the soak, not protect anything: switch it off.
jest.mock('zapier-platform-core/src/tools/memory-checker', () => () => undefined);

// `npm run reliability` runs this file larger and collects the figures (IP_SOAK_OUT).
// 150 core items: every injected 429 pauses the whole paced run for its 1 s Retry-After.
const CORE_ITEMS = Number(process.env.IP_SOAK_CORE ?? 150);
const N8N_ITEMS = Number(process.env.IP_SOAK_N8N ?? 200);
const ZAPIER_ITEMS = Number(process.env.IP_SOAK_ZAPIER ?? 200);

function record(f: SoakFigures) {
	if (process.env.IP_SOAK_OUT) appendFileSync(process.env.IP_SOAK_OUT, `${JSON.stringify(f)}\n`);
}

function expectSound(f: SoakFigures) {
	record(f);
	expect({
		lost: f.lost,
		duplicated: f.duplicated,
		misclassified: f.misclassified,
		leaks: f.leaks,
	}).toEqual({ lost: 0, duplicated: 0, misclassified: 0, leaks: 0 });
	expect(f.delivered + f.failedNotSent + f.failedMaybeSent).toBe(f.items);
	// The faults really happened, and the retry policy absorbed the retryable ones. 429s from the
	// token bucket itself depend on how fast this machine sends (none when it is busy), so the
	// count that must be nonzero is all 429s: the bucket's plus the injected ones.
	expect(f.rateLimited + f.faultsInjected.error429).toBeGreaterThan(0);
	expect(f.faultsInjected.error503).toBeGreaterThan(0);
	expect(f.faultsInjected.error500 + f.faultsInjected.resetAfter).toBeGreaterThan(0);
	expect(f.delivered).toBeGreaterThan(f.items * 0.9);
}

/** In a paced bulk run a 429 or 503 + Retry-After is waited out: it never fails an item. */
function expectNoThrottleFailures(f: SoakFigures) {
	expect(f.faultsInjected.error429).toBeGreaterThan(0);
	expect({
		rate_limited: f.failureCodes.rate_limited ?? 0,
		service_unavailable: f.failureCodes.service_unavailable ?? 0,
	}).toEqual({ rate_limited: 0, service_unavailable: 0 });
}

test(`core client + bulk runner: ${CORE_ITEMS} sends under faults`, async () => {
	const f = await runSoak({ path: 'core', items: CORE_ITEMS, timeoutMs: 800 });
	expectSound(f);
	expectNoThrottleFailures(f);
	// Slow responses ran into the client's timeout and were reported as "may have been sent".
	expect(f.faultsInjected.slow).toBeGreaterThan(0);
	expect(f.failedMaybeSent).toBeGreaterThan(0);
}, 600_000);

test(`n8n node in n8n-core: ${N8N_ITEMS} sends under faults, Continue On Fail`, async () => {
	const f = await runSoak({ path: 'n8n', items: N8N_ITEMS, timeoutMs: 800 });
	expectSound(f);
	expectNoThrottleFailures(f);
	// Slow responses ran into the node's Timeout option and were reported as "may have been sent".
	expect(f.faultsInjected.slow).toBeGreaterThan(0);
	expect(f.failedMaybeSent).toBeGreaterThan(0);
}, 600_000);

test(`Zapier send_message, one Zap run per item: ${ZAPIER_ITEMS} sends under faults`, async () => {
	const f = await runSoak({ path: 'zapier', items: ZAPIER_ITEMS });
	expectSound(f);
	// The injected 429s really happened; slow responses ran into the app's 8 s timeout.
	expect(f.faultsInjected.error429).toBeGreaterThan(0);
	expect(f.faultsInjected.slow).toBeGreaterThan(0);
}, 600_000);
