/**
 * `--mode n8n`: the send cases inside a real n8n (the end-to-end harness, scripts/n8n/start.ts,
 * with this repo's packed package installed as a community package). Each case is a workflow
 *
 *   Manual Trigger → Code (N items, item i carries `bench:<run>:<i>`) → the sender
 *
 * run as the editor's "Execute workflow" button does. The sender is our IntelliPortal node or
 * n8n's own HTTP Request node posting the same JSON bodies to /messages/send with a Header Auth
 * credential. Wall time is the sending node's own execution time as n8n recorded it (the Code
 * node and saving the execution are the same for every case and are reported separately).
 */
import type { Execution, N8nClient, WorkflowJson } from '../scripts/n8n/start';
// `.js`: without an extension tsx resolves the codex file IntelliPortal.node.json beside it.
import { IntelliPortal } from '../nodes/IntelliPortal/IntelliPortal.node.js';
import { BENCH_API_KEY, BENCH_CLIENT_REF, messageBody } from './cases';
import type { SenderView } from './judge';

const ACTION_TYPE = 'n8n-nodes-intelliportal.intelliPortal';
const CREDENTIAL_TYPE = 'intelliPortalApi';
export const HTTP_TYPE = 'n8n-nodes-base.httpRequest';
/** The HTTP Request node's current version in n8n 2.41 (what a new node in the editor gets). */
const HTTP_VERSION = 4.5;
export const SENDER = 'Send';

export interface N8nSendCase {
	key: string;
	title: string;
	concurrency: number;
	/** The sending node (without credentials; attached per instance). */
	sender(): WorkflowJson['nodes'][number];
}

/** The action node's newest version: what a node added in the editor today gets. */
export const NEWEST_VERSION = Math.max(
	...Object.keys(new IntelliPortal().nodeVersions).map(Number),
);

/**
 * Our node at its defaults (Concurrency 16, adaptive pacing), Continue On Fail; the newest
 * version unless `typeVersion` says otherwise.
 */
export function oursNodeCase(
	key: string,
	title: string,
	concurrency?: number,
	typeVersion: number = NEWEST_VERSION,
): N8nSendCase {
	return {
		key,
		title,
		concurrency: concurrency ?? 16,
		sender: () => ({
			id: 'bench-send',
			name: SENDER,
			type: ACTION_TYPE,
			typeVersion,
			position: [400, 0],
			onError: 'continueRegularOutput',
			parameters: {
				resource: 'message',
				operation: 'send',
				clientRef: { __rl: true, mode: 'id', value: BENCH_CLIENT_REF },
				to: '={{ $json.body.to }}',
				messageType: 'text',
				textBody: '={{ $json.body.text.body }}',
				options: concurrency === undefined ? {} : { concurrency },
			},
		}),
	};
}

/**
 * n8n's HTTP Request node posting each item's body; `batching` as in its Batching option.
 * Continue On Fail, so that one 429 does not stop the node and every item reports its outcome
 * (at the node's literal defaults the first 429 fails the whole execution after every request
 * has already been sent, which delivers the same messages and reports less).
 */
export function httpNodeCase(
	emulatorBaseUrl: string,
	key: string,
	title: string,
	concurrency: number,
	batching?: { batchSize: number; batchInterval: number },
): N8nSendCase {
	return {
		key,
		title,
		concurrency,
		sender: () => ({
			id: 'bench-send',
			name: SENDER,
			type: HTTP_TYPE,
			typeVersion: HTTP_VERSION,
			position: [400, 0],
			onError: 'continueRegularOutput',
			parameters: {
				method: 'POST',
				url: `${emulatorBaseUrl}/messages/send`,
				authentication: 'genericCredentialType',
				genericAuthType: 'httpHeaderAuth',
				sendBody: true,
				specifyBody: 'json',
				jsonBody: '={{ JSON.stringify($json.body) }}',
				options: batching ? { batching: { batch: batching } } : {},
			},
		}),
	};
}

export function workflow(
	name: string,
	sender: WorkflowJson['nodes'][number],
	jsCode: string,
): WorkflowJson {
	return {
		name,
		nodes: [
			{
				id: 'bench-manual',
				name: 'Manual',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'bench-rows',
				name: 'Rows',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
				parameters: { jsCode },
			},
			sender,
		],
		connections: {
			Manual: { main: [[{ node: 'Rows', type: 'main', index: 0 }]] },
			Rows: { main: [[{ node: SENDER, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * The Code node's source: N items, each with its message body. As a user would set the nodes up:
 * what is the same for every item (client, URL) is typed in, what differs is an expression.
 */
export function rowsCode(n: number, runId: string): string {
	const sample = JSON.stringify(messageBody('RUN', 0));
	return [
		`const template = ${sample};`,
		`const items = [];`,
		`for (let i = 0; i < ${n}; i++) {`,
		`  const body = JSON.parse(JSON.stringify(template));`,
		`  body.to = '+1555' + String(i).padStart(7, '0');`,
		`  body.text.body = ${JSON.stringify(`bench:${runId}:`)} + i;`,
		`  items.push({ json: { body } });`,
		`}`,
		`return items;`,
	].join('\n');
}

export interface BenchCredentials {
	ours: { id: string; name: string };
	header: { id: string; name: string };
}

/** The two credentials the cases use, created on `n8n` (main, in queue mode). */
export async function createBenchCredentials(
	n8n: N8nClient,
	emulatorBaseUrl: string,
): Promise<BenchCredentials> {
	const ours = await n8n.createCredential({
		name: 'IntelliPortal (emulator)',
		type: CREDENTIAL_TYPE,
		data: { apiKey: BENCH_API_KEY, environment: 'custom', baseUrl: emulatorBaseUrl },
	});
	const header = await n8n.createCredential({
		name: 'IntelliPortal bearer header (emulator)',
		type: 'httpHeaderAuth',
		data: { name: 'Authorization', value: `Bearer ${BENCH_API_KEY}` },
	});
	return { ours: { id: ours.id, name: ours.name }, header: { id: header.id, name: header.name } };
}

/** The sending node of `sendCase` with the credential it uses. */
export function senderWithCredential(
	sendCase: N8nSendCase,
	credentials: BenchCredentials,
): WorkflowJson['nodes'][number] {
	const sender = sendCase.sender();
	if (sender.type === ACTION_TYPE) sender.credentials = { [CREDENTIAL_TYPE]: credentials.ours };
	else if (
		(sender.parameters as { genericAuthType?: unknown }).genericAuthType === 'httpHeaderAuth'
	)
		sender.credentials = { httpHeaderAuth: credentials.header };
	return sender;
}

/** The sending node's run in a finished execution. */
export interface SenderRun extends SenderView {
	/** The sending node's own execution time as n8n recorded it. */
	wallMs: number;
	/** When the sending node started (epoch ms, n8n's record). */
	startTime: number;
	/** The whole execution (trigger, items, sending, saving). */
	executionMs: number;
	executionStartedAt: number;
	executionStoppedAt: number;
}

/** Reads what the sending node reported per item from a finished execution with its data. */
export function senderRun(label: string, execution: Execution, n: number): SenderRun {
	const runs = execution.data?.resultData.runData[SENDER];
	if (!runs || runs.length === 0) {
		throw new Error(
			`${label}: the sending node did not run (execution ${execution.id} ${execution.status}: ${JSON.stringify(execution.data?.resultData.error ?? null).slice(0, 500)})`,
		);
	}
	const run = runs[0] as {
		startTime?: number;
		executionTime?: number;
		data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> };
	};
	const items = run.data?.main[0] ?? [];
	const ids: Array<string | undefined> = items.map((item) =>
		typeof item.json.id === 'string' && item.json.error === undefined ? item.json.id : undefined,
	);
	const started = Date.parse(execution.startedAt);
	const stopped = execution.stoppedAt ? Date.parse(execution.stoppedAt) : Number.NaN;
	return {
		ids,
		senderFailures: ids.filter((id) => id === undefined).length + Math.max(0, n - items.length),
		wallMs: Number(run.executionTime ?? Number.NaN),
		startTime: Number(run.startTime ?? Number.NaN),
		executionMs: stopped - started,
		executionStartedAt: started,
		executionStoppedAt: stopped,
	};
}
