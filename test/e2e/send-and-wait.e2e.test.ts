/**
 * Send and Wait for Response end to end in the REAL pinned n8n (the packed package installed as a
 * community package), against the emulator: the workflow sends, the execution waits (saved by
 * n8n), the test reads the links out of the message the emulator received, follows them as a
 * recipient's browser would (approval: open the page, press its button; test/e2e/approval.ts),
 * and the execution finishes with the answer. A mail scanner's GET answers nothing. One n8n for the file;
 * the timeout case runs beside the others (n8n's wait tracker looks for due executions once a
 * minute, so it finishes about a minute after its start).
 *
 * Set IP_SKIP_E2E=1 to skip on a machine without the n8n install.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { RunningEmulator } from '../../emulator';
import {
	N8N_VERSION,
	REPO_ROOT,
	type Execution,
	type N8nInstance,
	type WorkflowJson,
} from '../../scripts/n8n/start';
import { n8nMajor } from '../../scripts/n8n/target';
import { answerApprovalLink, openLink as open, postFormOf } from './approval';
import { describeE2e, startE2eStack, type E2eStack } from './stack';

const API_KEY = `ik_test_wait_${randomBytes(12).toString('hex')}`;
/** What Microsoft Defender Safe Links and similar mail/SMS scanners send: a desktop Chrome. */
const SCANNER =
	'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Manual trigger → Code (one item naming the case) → IntelliPortal v2 Send and Wait. */
function askWorkflow(
	name: string,
	credential: { id: string; name: string },
	parameters: Record<string, unknown>,
): WorkflowJson {
	return {
		name,
		nodes: [
			{
				id: 'a0d9e0a2-0000-4000-8000-000000000001',
				name: 'Manual',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'a0d9e0a2-0000-4000-8000-000000000002',
				name: 'Booking',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
				parameters: { jsCode: `return [{ json: { booking: ${JSON.stringify(name)} } }];` },
			},
			{
				id: 'a0d9e0a2-0000-4000-8000-000000000003',
				name: 'Ask',
				type: 'n8n-nodes-intelliportal.intelliPortal',
				typeVersion: 2,
				position: [400, 0],
				credentials: { intelliPortalApi: credential },
				parameters: {
					resource: 'message',
					operation: 'sendAndWait',
					clientRef: { __rl: true, mode: 'id', value: 'cl_wait' },
					message: 'Hello Ana, can we confirm your booking on Friday at 10:00?',
					...parameters,
				},
			},
		],
		connections: {
			Manual: { main: [[{ node: 'Booking', type: 'main', index: 0 }]] },
			Booking: { main: [[{ node: 'Ask', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

function nodeOutput(execution: Execution, nodeName: string): Array<Record<string, unknown>> {
	const runs = execution.data?.resultData.runData[nodeName];
	if (!runs || runs.length === 0) {
		throw new Error(
			`node "${nodeName}" did not run; execution ${execution.id} ended ${execution.status}: ${JSON.stringify(execution.data?.resultData.error ?? null)}`,
		);
	}
	return (runs[runs.length - 1].data?.main[0] ?? []).map((item) => item.json);
}

describeE2e('Send and Wait for Response in a real n8n', () => {
	let emulator: RunningEmulator;
	let n8n: N8nInstance;
	let credential: { id: string; name: string };

	let stack: E2eStack | undefined;

	beforeAll(async () => {
		stack = await startE2eStack({ apiKey: API_KEY });
		({ emulator, n8n, credential } = stack);
	}, 20 * 60_000);

	afterAll(async () => {
		await stack?.stop();
	}, 60_000);

	async function execution(id: string): Promise<Execution> {
		return await n8n.request<Execution>('GET', `/api/v1/executions/${id}?includeData=true`);
	}

	/** Polls until n8n has saved the execution as waiting (bounded). */
	async function waitUntilWaiting(id: string, timeoutMs = 60_000): Promise<Execution> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const current = await execution(id).catch(() => undefined);
			if (current?.status === 'waiting') return current;
			if (current && !['new', 'running'].includes(current.status)) {
				throw new Error(
					`execution ${id} ended ${current.status} instead of waiting: ${JSON.stringify(current.data?.resultData.error ?? null)}`,
				);
			}
			if (Date.now() > deadline)
				throw new Error(`execution ${id} was not waiting within ${timeoutMs} ms`);
			await sleep(200);
		}
	}

	/** Starts a case: its own recipient, so its message is found among the others'. */
	async function ask(caseName: string, parameters: Record<string, unknown>) {
		const to = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
		const workflow = await n8n.importWorkflow(
			askWorkflow(`Send and Wait: ${caseName}`, credential, { to, ...parameters }),
		);
		const executionId = await n8n.startManually(workflow.id, 'Manual');
		const waiting = await waitUntilWaiting(executionId);
		const messages = emulator.admin.messages().filter((m) => m.to === to);
		expect(messages).toHaveLength(1);
		const body = (messages[0].body.text as { body: string }).body;
		const links = Object.fromEntries(
			[...body.matchAll(/^(.+): (http\S+)$/gm)].map((m) => [m[1], m[2]]),
		);
		return { workflowId: workflow.id, executionId, waiting, to, body, links };
	}

	async function messagesTo(to: string) {
		return emulator.admin.messages().filter((m) => m.to === to).length;
	}

	let timeoutCase: Promise<{ execution: Execution; to: string; waitedMs: number }>;

	beforeAll(() => {
		// Started first, checked last: resumes when n8n's wait tracker next looks (≤ ~60 s).
		timeoutCase = (async () => {
			const startedAt = Date.now();
			const started = await ask('timeout', {
				options: {
					limitWaitTime: {
						values: { limitType: 'afterTimeInterval', resumeAmount: 0.05, resumeUnit: 'minutes' },
					},
				},
			});
			const finished = await n8n.waitForExecution(started.executionId, 150_000);
			return { execution: finished, to: started.to, waitedMs: Date.now() - startedAt };
		})();
		// Keep an early failure from being reported as unhandled before the test awaits it.
		timeoutCase.catch(() => undefined);
	});

	const double = {
		approvalOptions: {
			values: {
				approvalType: 'double',
				approveLabel: 'Yes, confirm',
				disapproveLabel: 'No, cancel',
			},
		},
	};

	test('Approve: the message carries both links; GETs of either link by a mail scanner (Chrome\'s user agent), a preview, curl or python-requests resume nothing; the person opens the page (message and label) and presses its button: { approved: true }; a second POST shows "No action required" and changes nothing', async () => {
		const started = await ask('approve', double);
		expect(started.body).toMatch(
			/^Hello Ana, can we confirm your booking on Friday at 10:00\?\n\nYes, confirm: http:\/\/127\.0\.0\.1:\d+\/webhook-waiting\/\d+\/a0d9e0a2-0000-4000-8000-000000000003\?approved=true&signature=[0-9a-f]{64}\nNo, cancel: http:\/\/127\.0\.0\.1:\d+\/webhook-waiting\/\d+\/a0d9e0a2-0000-4000-8000-000000000003\?approved=false&signature=[0-9a-f]{64}$/,
		);
		const approve = started.links['Yes, confirm'];
		const decline = started.links['No, cancel'];

		// A scanner opens every link; had its GET of Decline answered, the run would end declined.
		for (const userAgent of [
			SCANNER,
			'WhatsApp/2.24.6.77 A',
			'curl/8.5.0',
			'python-requests/2.32.3',
		]) {
			for (const link of [decline, approve]) {
				const scanned = await open(link, { userAgent });
				expect({ userAgent, status: scanned.status }).toEqual({ userAgent, status: 200 });
				expect(scanned.html).toContain('<form method="post">');
			}
		}
		// Positive signal: n8n still routed this later GET to the node waiting on this execution
		// (a resumed or running one gets "No action required" or 409), and still reports it waiting.
		const page = await open(approve);
		expect(page.status).toBe(200);
		expect(page.html).toContain('<h1>Confirm your answer</h1>');
		expect(page.html).toContain('Hello Ana, can we confirm your booking on Friday at 10:00?');
		expect(page.html).toContain('Your answer: <strong>Yes, confirm</strong>');
		expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
		expect(page.headers.get('cache-control')).toBe('no-store');
		expect(page.html).not.toContain(API_KEY);
		expect(postFormOf(approve, page.html).url).toBe(approve);
		expect((await execution(started.executionId)).status).toBe('waiting');

		const { answer } = await answerApprovalLink(approve);
		expect(answer.status).toBe(200);
		expect(answer.html).toContain('Got it, thanks');
		expect(answer.html).toContain('Yes, confirm');
		// n8n sends the page once it has resumed the execution, with its own sandbox CSP.
		expect(answer.headers.get('content-security-policy')).toMatch(/^sandbox /);
		expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
		expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
		expect(answer.headers.get('cache-control')).toBe('no-store');
		expect(answer.html).not.toContain(API_KEY);
		expect(answer.html).not.toContain('Send and Wait: approve');

		const finished = await n8n.waitForExecution(started.executionId, 60_000);
		expect(finished.status).toBe('success');
		expect(nodeOutput(finished, 'Ask')).toEqual([
			{ data: { approved: true, respondedAt: expect.any(String) } },
		]);

		// Answered once n8n has handled it: a finished execution is never resumed again.
		for (const link of [decline, approve]) {
			const again = await open(link, { method: 'POST' });
			expect(again.html).toContain('No action required');
			expect(again.html).not.toContain('Got it, thanks');
			expect((await open(link)).html).toContain('No action required');
		}
		const after = await execution(started.executionId);
		expect(after.status).toBe('success');
		expect(nodeOutput(after, 'Ask')).toEqual(nodeOutput(finished, 'Ask'));
		expect(await n8n.listExecutions(started.workflowId)).toHaveLength(1);
		expect(await messagesTo(started.to)).toBe(1);
	}, 180_000);

	test("a tampered link (approved=true with the decline link's signature, or no or a forged signature) is refused with 401 by n8n, by GET and by POST, and resumes nothing; the real Decline link, answered, then finishes with { approved: false }", async () => {
		const started = await ask('decline', double);
		const decline = new URL(started.links['No, cancel']);

		const tampered = new URL(decline);
		tampered.searchParams.set('approved', 'true');
		const unsigned = new URL(decline);
		unsigned.searchParams.delete('signature');
		const forged = new URL(decline);
		forged.searchParams.set('signature', '0'.repeat(64));
		for (const method of ['GET', 'POST'] as const) {
			const refused = await open(tampered.toString(), { method });
			expect({ method, status: refused.status }).toEqual({ method, status: 401 });
			// n8n 2.x renders its "Invalid Form Link" page; 1.x (npm run e2e:compat) answers JSON.
			expect(refused.html).toMatch(/Invalid Form Link|Invalid token/);
			expect((await open(unsigned.toString(), { method })).status).toBe(401);
			expect((await open(forged.toString(), { method })).status).toBe(401);
		}
		// The real link after the refusals: n8n still has the execution waiting on this node.
		const { page, answer } = await answerApprovalLink(decline.toString());
		expect(page.html).toContain('Your answer: <strong>No, cancel</strong>');
		expect(answer.status).toBe(200);
		expect(answer.html).toContain('No, cancel');
		const finished = await n8n.waitForExecution(started.executionId, 60_000);
		expect(finished.status).toBe('success');
		expect(nodeOutput(finished, 'Ask')).toEqual([
			{ data: { approved: false, respondedAt: expect.any(String) } },
		]);
	}, 180_000);

	test('Free Text: the link opens the form page (message escaped), an empty answer is asked again, the sent answer finishes the execution with { text } exactly as typed; the form again shows "No action required"', async () => {
		const started = await ask('free text', {
			responseType: 'freeText',
			message: '=Any <b>wishes</b> for {{ $json.booking }}?',
			options: { messageButtonLabel: 'Reply here' },
		});
		expect(Object.keys(started.links)).toEqual(['Reply here']);
		const link = started.links['Reply here'];

		const form = await open(link);
		expect(form.status).toBe(200);
		// The Message's expression resolved against the node's input item, as when it was sent.
		expect(form.html).toContain('Any &lt;b&gt;wishes&lt;/b&gt; for Send and Wait: free text?');
		expect(started.body).toMatch(
			/^Any <b>wishes<\/b> for Send and Wait: free text\?\n\nReply here: http/,
		);
		expect(form.html).toContain('<textarea id="response" name="response" required>');
		expect(form.html).not.toContain(API_KEY);
		expect((await execution(started.executionId)).status).toBe('waiting');

		const empty = await open(link, { method: 'POST', form: { response: '  ' } });
		expect(empty.status).toBe(400);
		expect((await execution(started.executionId)).status).toBe('waiting');

		const text = 'Window seat <script>alert(1)</script> & a "quiet" table';
		const sent = await open(link, { method: 'POST', form: { response: text } });
		expect(sent.status).toBe(200);
		expect(sent.html).toContain(
			'Window seat &lt;script&gt;alert(1)&lt;/script&gt; &amp; a &quot;quiet&quot; table',
		);
		expect(sent.html).not.toContain('<script>');

		const finished = await n8n.waitForExecution(started.executionId, 60_000);
		expect(finished.status).toBe('success');
		expect(nodeOutput(finished, 'Ask')).toEqual([
			{ data: { text, respondedAt: expect.any(String) } },
		]);

		expect((await open(link)).html).toContain('No action required');
		const twice = await open(link, { method: 'POST', form: { response: 'changed my mind' } });
		expect(twice.html).toContain('No action required');
		expect(nodeOutput(await execution(started.executionId), 'Ask')[0]).toMatchObject({
			data: { text },
		});
	}, 180_000);

	// n8n 2.x takes a waiting execution over atomically when it resumes it; 1.x (npm run
	// e2e:compat) does not, and accepts both answers there, for its built-in nodes as for ours.
	const testAtomicResume = n8nMajor(N8N_VERSION) >= 2 ? test : test.skip;
	testAtomicResume(
		'Approve and Decline pressed at the same moment: exactly one answer is taken, and only its page says it was recorded',
		async () => {
			const started = await ask('both at once', double);
			const [yes, no] = await Promise.all([
				open(started.links['Yes, confirm'], { method: 'POST' }),
				open(started.links['No, cancel'], { method: 'POST' }),
			]);
			const finished = await n8n.waitForExecution(started.executionId, 60_000);
			expect(finished.status).toBe('success');
			const runs = finished.data?.resultData.runData.Ask ?? [];
			expect(runs).toHaveLength(1);
			const recorded = [yes, no].filter((page) => page.html.includes('Got it, thanks'));
			expect(recorded).toHaveLength(1);
			const approved = recorded[0] === yes;
			expect(nodeOutput(finished, 'Ask')).toEqual([
				{ data: { approved, respondedAt: expect.any(String) } },
			]);
			const other = approved ? no : yes;
			expect(other.status).toBeGreaterThanOrEqual(400);
			expect(await n8n.listExecutions(started.workflowId)).toHaveLength(1);
			console.log(
				`both at once: the other click got HTTP ${other.status}: ${other.html.slice(0, 200)}`,
			);
		},
		120_000,
	);

	test.each([
		[
			'Yes, confirm',
			'Send confirmation',
			'Thanks Ada, your table for 2 on Friday at 19:00 is confirmed.',
		],
		[
			'No, cancel',
			'Release the table',
			'No problem, Ada: we have released your table. Hope to see you another time!',
		],
	])(
		'examples/intelliportal-send-and-wait.json imports and runs: after "%s" the workflow takes the "%s" branch and sends its message',
		async (label, branch, text) => {
			const example = JSON.parse(
				readFileSync(join(REPO_ROOT, 'examples', 'intelliportal-send-and-wait.json'), 'utf8'),
			) as WorkflowJson;
			const workflow = await n8n.importWorkflow(example, {
				credentials: { intelliPortalApi: credential },
			});
			// The example's recipient; the other cases use numbers of their own.
			const toAda = () => emulator.admin.messages().filter((m) => m.to === '+14155550123');
			const before = toAda().length;
			const executionId = await n8n.startManually(workflow.id, "When clicking 'Execute workflow'");
			await waitUntilWaiting(executionId);
			const asked = toAda().slice(before);
			expect(asked).toHaveLength(1);
			const body = (asked[0].body.text as { body: string }).body;
			const link = new RegExp(`^${label}: (http\\S+)$`, 'm').exec(body)![1];
			expect((await answerApprovalLink(link)).answer.status).toBe(200);

			const finished = await n8n.waitForExecution(executionId, 60_000);
			expect(finished.status).toBe('success');
			const ran = Object.keys(finished.data?.resultData.runData ?? {});
			expect(ran).toContain(branch);
			expect(ran).not.toContain(
				branch === 'Send confirmation' ? 'Release the table' : 'Send confirmation',
			);
			const sent = toAda().slice(before + 1);
			expect(sent.map((m) => (m.body.text as { body: string }).body)).toEqual([text]);
		},
		120_000,
	);

	test("Limit Wait Time reached without an answer: the execution finishes with the node's input items (what the built-in nodes output then); the link afterwards resumes nothing", async () => {
		const { execution: finished, to, waitedMs } = await timeoutCase;
		expect(finished.status).toBe('success');
		// It waited out its limit (3 s from the send, which came after the test started it).
		expect(waitedMs).toBeGreaterThanOrEqual(3_000);
		expect(nodeOutput(finished, 'Ask')).toEqual([{ booking: 'Send and Wait: timeout' }]);
		const body = emulator.admin.messages().find((m) => m.to === to)!.body.text as { body: string };
		const link = /Approve: (http\S+)/.exec(body.body)![1];
		expect((await open(link)).html).toContain('No action required');
		expect((await open(link, { method: 'POST' })).html).toContain('No action required');
	}, 200_000);
});
