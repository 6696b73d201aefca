/**
 * The demo's Send and Wait part: starts examples/intelliportal-send-and-wait.json, which sends a
 * booking confirmation with two links and waits; prints the message the emulator received, links
 * included, so that a person can open one and press its button; then reports which branch the
 * workflow took.
 */
import type { RunningEmulator } from '../emulator';
import type { N8nInstance } from './n8n/start';

const TRIGGER = "When clicking 'Execute workflow'";
const BRANCHES = ['Send confirmation', 'Release the table'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until n8n has saved the execution as waiting (bounded); its status otherwise. */
async function waitUntilWaiting(n8n: N8nInstance, id: string, timeoutMs: number): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const execution = await n8n
			.request<{ status: string }>('GET', `/api/v1/executions/${id}`)
			.catch(() => undefined);
		if (execution && !['new', 'running'].includes(execution.status)) return execution.status;
		if (Date.now() > deadline) return execution?.status ?? 'unknown';
		await sleep(250);
	}
}

/**
 * Starts the workflow and returns the lines to print: the message as the recipient got it. In
 * the background it waits (as long as the demo runs) for the answer and logs the outcome.
 */
export async function startSendAndWait(
	n8n: N8nInstance,
	emulator: RunningEmulator,
	workflowId: string,
	log: (line: string) => void,
): Promise<string[]> {
	const before = new Set(emulator.admin.messages().map((m) => m.id));
	const executionId = await n8n.startManually(workflowId, TRIGGER);
	const status = await waitUntilWaiting(n8n, executionId, 60_000);
	const sent = emulator.admin.messages().find((m) => !before.has(m.id));
	const body = (sent?.body.text as { body?: string } | undefined)?.body;
	if (status !== 'waiting' || !body) {
		return [
			`  Send and Wait: the execution ${executionId} is ${status}, not waiting (see its Executions tab).`,
		];
	}
	void n8n
		.waitForExecution(executionId, 24 * 3_600_000)
		.then((finished) => {
			const ran = Object.keys(finished.data?.resultData.runData ?? {});
			const branch = BRANCHES.find((name) => ran.includes(name)) ?? 'no branch';
			log(`Send and Wait: answered, the workflow went on with "${branch}" (${finished.status})`);
		})
		.catch(() => undefined);
	return [
		`  Send and Wait: a workflow is waiting for the answer to this message (sent to ${sent!.to}):`,
		'',
		...body.split('\n').map((line) => (line === '' ? '' : `      ${line}`)),
		'',
		'  Open one of the links in a browser and press the button on its page: the workflow goes on',
		'  and sends the confirmation (or releases the table). Opening a link alone answers nothing.',
		`  Its run: ${n8n.url}/workflow/${workflowId}/executions/${executionId}`,
	];
}
