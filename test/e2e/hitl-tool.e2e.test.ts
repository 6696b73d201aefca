/**
 * The "IntelliPortal HITL tool" n8n 2.x generates from the node's Send and Wait operation, driven
 * the way an agent drives it, in the REAL pinned n8n: a published workflow (Webhook → AI Agent)
 * whose chat model is n8n's OpenAI Chat Model pointed at a scripted stand-in (stand-in-model.ts),
 * and whose one tool, "Send confirmation" (our node as a tool), is gated by the HITL tool. The
 * model calls the tool; n8n runs the HITL tool, which sends the approval message and leaves the
 * execution waiting; the person's answer resumes it, n8n runs the gated tool only on approval, and
 * the model gets the tool's result or n8n's refusal. n8n's MCP Server Trigger does not support
 * HITL tools: the last test shows what it does with one.
 *
 * Set IP_SKIP_E2E=1 to skip on a machine without the n8n install.
 */
import { randomBytes, randomUUID } from 'node:crypto';

import { N8N_VERSION, type Execution, type WorkflowJson } from '../../scripts/n8n/start';
import { n8nMajor } from '../../scripts/n8n/target';
import { mcpSession } from './mcp-client';
import { describeE2e, startE2eStack, type E2eStack } from './stack';
import {
	messageText,
	startStandInModel,
	type ChatRequest,
	type StandInModel,
} from './stand-in-model';
import { answerApprovalLink, openLink } from './approval';

const API_KEY = `ik_test_hitl_${randomBytes(12).toString('hex')}`;
const HITL_NODE_ID = 'b7e1c0de-0000-4000-8000-000000000004';
const TOOL_NAME = 'Send_confirmation';
const TOOL_NODE = 'Send confirmation';
const HITL_MESSAGE =
	'=The agent wants to run {{ $tool.name }} with {{ JSON.stringify($tool.parameters) }}';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const phone = () => `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

/** The case tag the test puts in the prompt; the stand-in model echoes it into its tool call. */
function caseTag(request: ChatRequest): string {
	const tag = request.messages
		.map(messageText)
		.join('\n')
		.match(/\[case (\w+)\]/)?.[1];
	if (!tag) throw new Error('stand-in model: no [case …] tag in the conversation');
	return tag;
}

const confirmationFor = (tag: string) =>
	`Ada, your table for 2 on Friday at 19:00 is confirmed (${tag}).`;

/** The scripted model: first turn calls the gated tool, the turn after a tool result answers. */
function scriptedTurn(request: ChatRequest) {
	const tag = caseTag(request);
	const last = request.messages[request.messages.length - 1];
	if (last.role === 'tool') return { answer: `Done: ${messageText(last)}` };
	return {
		toolCall: {
			id: `call_${tag}`,
			name: TOOL_NAME,
			arguments: { toolParameters: { confirmation: confirmationFor(tag) }, hitlParameters: {} },
		},
	};
}

type Credential = { id: string; name: string };
interface Recipients {
	approver: string;
	guest: string;
}

/**
 * The gated pair: "Send confirmation" (our node as a tool, its text chosen by the model) behind
 * "Approval" (our HITL tool, asking the approver), whose output goes to whatever runs tools.
 */
function gatedTool(
	to: Recipients,
	intelliPortalApi: Credential,
	runsTools: string,
	hitlParameters: Record<string, unknown>,
): Pick<WorkflowJson, 'nodes' | 'connections'> {
	const clientRef = { __rl: true, mode: 'id', value: 'cl_hitl' };
	return {
		nodes: [
			{
				id: HITL_NODE_ID,
				name: 'Approval',
				type: 'n8n-nodes-intelliportal.intelliPortalHitlTool',
				typeVersion: 2,
				position: [340, 220],
				credentials: { intelliPortalApi },
				parameters: {
					clientRef,
					to: to.approver,
					// n8n's default Message renders the input as "[object Object]" (2.41.1).
					message: HITL_MESSAGE,
					approvalOptions: { values: { approvalType: 'double' } },
					...hitlParameters,
				},
			},
			{
				id: 'b7e1c0de-0000-4000-8000-000000000005',
				name: TOOL_NODE,
				type: 'n8n-nodes-intelliportal.intelliPortalTool',
				typeVersion: 2,
				position: [340, 440],
				credentials: { intelliPortalApi },
				parameters: {
					resource: 'message',
					operation: 'send',
					clientRef,
					to: to.guest,
					messageType: 'text',
					textBody: "={{ $fromAI('confirmation', 'The confirmation text to send to the guest') }}",
				},
			},
		],
		connections: {
			Approval: { ai_tool: [[{ node: runsTools, type: 'ai_tool', index: 0 }]] },
			[TOOL_NODE]: { ai_tool: [[{ node: 'Approval', type: 'ai_tool', index: 0 }]] },
		},
	};
}

/** Webhook (POST { request }) → AI Agent, its model the stand-in, its one tool the gated pair. */
function agentWorkflow(
	name: string,
	path: string,
	to: Recipients,
	credentials: { intelliPortal: Credential; openAi: Credential },
	hitlParameters: Record<string, unknown> = {},
): WorkflowJson {
	const tool = gatedTool(to, credentials.intelliPortal, 'AI Agent', hitlParameters);
	return {
		name,
		nodes: [
			{
				id: 'b7e1c0de-0000-4000-8000-000000000001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
			},
			{
				id: 'b7e1c0de-0000-4000-8000-000000000002',
				name: 'AI Agent',
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: 3.1,
				position: [220, 0],
				parameters: { promptType: 'define', text: '={{ $json.body.request }}', options: {} },
			},
			{
				id: 'b7e1c0de-0000-4000-8000-000000000003',
				name: 'OpenAI Chat Model',
				type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
				typeVersion: 1.3,
				position: [100, 220],
				credentials: { openAiApi: credentials.openAi },
				parameters: {
					model: { __rl: true, mode: 'id', value: 'stand-in' },
					responsesApiEnabled: false,
					options: {},
				},
			},
			...tool.nodes,
		],
		connections: {
			Webhook: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'OpenAI Chat Model': {
				ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]],
			},
			...tool.connections,
		},
		settings: { executionOrder: 'v1' },
	};
}

/** MCP Server Trigger with the gated pair as its tool (the editor would not connect them). */
function mcpWorkflow(name: string, path: string, to: Recipients, credential: Credential) {
	const tool = gatedTool(to, credential, 'MCP Server Trigger', {});
	return {
		name,
		nodes: [
			{
				id: 'b7e1c0de-0000-4000-8000-000000000006',
				name: 'MCP Server Trigger',
				type: '@n8n/n8n-nodes-langchain.mcpTrigger',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { path },
			},
			...tool.nodes,
		],
		connections: tool.connections,
		settings: { executionOrder: 'v1' },
	};
}

/** A node's runs, each as the items of its first output (main or ai_tool). */
function runsOf(execution: Execution, node: string): Array<Array<Record<string, unknown>>> {
	return (execution.data?.resultData.runData[node] ?? []).map((run) => {
		const outputs = (run.data ?? {}) as Record<
			string,
			Array<Array<{ json: Record<string, unknown> }> | null>
		>;
		const first = Object.values(outputs)[0]?.[0] ?? [];
		return first.map((item) => item.json);
	});
}

// n8n generates HITL tools from 2.0 on (1.123's n8n-workflow has no HitlTool type).
const describeHitl = n8nMajor(N8N_VERSION) >= 2 ? describeE2e : describe.skip;

describeHitl('IntelliPortal HITL tool driven by an AI Agent in a real n8n', () => {
	let stack: E2eStack | undefined;
	let model: StandInModel | undefined;
	let openAi: { id: string; name: string };

	beforeAll(async () => {
		model = await startStandInModel(scriptedTurn);
		stack = await startE2eStack({ apiKey: API_KEY });
		openAi = await stack.n8n.createCredential({
			name: 'Stand-in model',
			type: 'openAiApi',
			data: { apiKey: 'sk-stand-in', url: model.baseUrl, header: false },
		});
	}, 20 * 60_000);

	let unanswered: Promise<{ run: Awaited<ReturnType<typeof agentAsks>>; finished: Execution }>;

	beforeAll(() => {
		// Started first, checked last: n8n's wait tracker ends the wait when it next looks (≤ ~60 s).
		unanswered = (async () => {
			const run = await agentAsks('timeout', {
				options: {
					limitWaitTime: {
						values: { limitType: 'afterTimeInterval', resumeAmount: 0.05, resumeUnit: 'minutes' },
					},
				},
			});
			expectOpenToolCall(run);
			return { run, finished: await stack!.n8n.waitForExecution(run.waiting.id, 150_000) };
		})();
		// Keep an early failure from being reported as unhandled before the test awaits it.
		unanswered.catch(() => undefined);
	});

	afterAll(async () => {
		await stack?.stop();
		await model?.stop();
	}, 60_000);

	const messagesTo = (to: string) => stack!.emulator.admin.messages().filter((m) => m.to === to);
	const modelTurns = (tag: string) => model!.requests.filter((r) => caseTag(r) === tag);

	/** Polls (counted) until the workflow's one execution is no longer new or running. */
	async function settledExecution(workflowId: string): Promise<Execution> {
		for (let poll = 0; poll < 300; poll++) {
			const [execution] = await stack!.n8n.listExecutions(workflowId);
			if (execution && !['new', 'running'].includes(execution.status)) return execution;
			await sleep(200);
		}
		throw new Error(`workflow ${workflowId}: no settled execution after 300 polls`);
	}

	/** Publishes an agent workflow, asks it to confirm a booking, returns it waiting on the person. */
	async function agentAsks(caseName: string, hitlParameters: Record<string, unknown> = {}) {
		const { n8n, credential } = stack!;
		const tag = `${caseName}${randomBytes(3).toString('hex')}`;
		const to = { approver: phone(), guest: phone() };
		const path = `hitl-${tag}`;
		const workflow = await n8n.importWorkflow(
			agentWorkflow(
				`HITL tool: ${caseName}`,
				path,
				to,
				{ intelliPortal: credential, openAi },
				hitlParameters,
			),
		);
		await n8n.activate(workflow.id);
		const started = await fetch(`${n8n.url}/webhook/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ request: `[case ${tag}] Please confirm Ada's booking on Friday.` }),
		});
		expect(started.status).toBe(200);
		const waiting = await settledExecution(workflow.id);
		const asked = messagesTo(to.approver);
		const body = asked.length === 1 ? (asked[0].body.text as { body: string }).body : '';
		const links = Object.fromEntries(
			[...body.matchAll(/^(\w+): (http\S+)$/gm)].map((m) => [m[1], m[2]]),
		);
		return { tag, to, workflowId: workflow.id, waiting, asked, body, links };
	}

	/** What holds while the person has not answered: the agent's tool call is open. */
	function expectOpenToolCall(run: Awaited<ReturnType<typeof agentAsks>>) {
		expect(run.waiting.status).toBe('waiting');
		expect(run.waiting.data?.resultData.lastNodeExecuted).toBe('Approval');
		// ONE message, to the approver, saying what the agent wants to run, with both links.
		expect(run.asked).toHaveLength(1);
		const link = (approved: boolean) =>
			`http://127\\.0\\.0\\.1:\\d+/webhook-waiting/${run.waiting.id}/${HITL_NODE_ID}\\?approved=${approved}&signature=[0-9a-f]{64}`;
		expect(run.body).toMatch(
			new RegExp(
				`^The agent wants to run ${TOOL_NAME} with ` +
					`\\{"confirmation":"${confirmationFor(run.tag).replace(/[().]/g, '\\$&')}"\\}\\n\\n` +
					`Approve: ${link(true)}\\nDecline: ${link(false)}$`,
			),
		);
		// The model has had one turn (its tool call); no result went back; the gated tool waits.
		const turns = modelTurns(run.tag);
		expect(turns).toHaveLength(1);
		expect(turns[0].tools?.map((t) => t.function.name)).toEqual([TOOL_NAME]);
		expect(turns[0].tools?.[0].function.parameters).toMatchObject({
			required: ['toolParameters', 'hitlParameters'],
			properties: { toolParameters: { properties: { confirmation: { type: 'string' } } } },
		});
		expect(runsOf(run.waiting, TOOL_NODE)).toEqual([]);
		expect(messagesTo(run.to.guest)).toEqual([]);
	}

	test('Approve: the tool call sends one approval message and waits; the person approves; only then the gated tool runs (one message to the guest) and its result goes back to the model', async () => {
		const run = await agentAsks('approve');
		expectOpenToolCall(run);

		// A mail scanner (Chrome's user agent) opens both links first: the tool call stays open.
		for (const link of [run.links.Approve, run.links.Decline]) {
			expect((await openLink(link)).html).toContain('<form method="post">');
		}
		const stillWaiting = await settledExecution(run.workflowId);
		expect(stillWaiting.status).toBe('waiting');
		expect(modelTurns(run.tag)).toHaveLength(1);
		expect(messagesTo(run.to.guest)).toEqual([]);

		await answerApprovalLink(run.links.Approve);
		const finished = await stack!.n8n.waitForExecution(run.waiting.id, 60_000);
		expect(finished.status).toBe('success');
		expect(runsOf(finished, 'Approval')).toEqual([
			[{ data: { approved: true, respondedAt: expect.any(String) } }],
		]);
		const sent = messagesTo(run.to.guest);
		expect(sent).toHaveLength(1);
		expect(sent[0].body.text).toEqual({ body: confirmationFor(run.tag) });
		expect(runsOf(finished, TOOL_NODE)).toHaveLength(1);

		const turns = modelTurns(run.tag);
		expect(turns).toHaveLength(2);
		const toolResult = turns[1].messages[turns[1].messages.length - 1];
		expect(toolResult).toMatchObject({ role: 'tool', tool_call_id: `call_${run.tag}` });
		expect(JSON.parse(messageText(toolResult))).toEqual([
			{
				id: sent[0].id,
				status: 'queued',
				channel: expect.any(String),
				created_at: expect.any(String),
			},
		]);
		expect(runsOf(finished, 'AI Agent')).toEqual([
			[{ output: `Done: ${messageText(toolResult)}` }],
		]);
		expect(messagesTo(run.to.approver)).toHaveLength(1);
	}, 180_000);

	test("Decline: the person declines; the gated tool never runs (no message to the guest) and the model gets n8n's refusal as the tool's result", async () => {
		const run = await agentAsks('decline');
		expectOpenToolCall(run);

		await answerApprovalLink(run.links.Decline);
		const finished = await stack!.n8n.waitForExecution(run.waiting.id, 60_000);
		expect(finished.status).toBe('success');
		expect(runsOf(finished, 'Approval')).toEqual([
			[{ data: { approved: false, respondedAt: expect.any(String) } }],
		]);
		expect(runsOf(finished, TOOL_NODE)).toEqual([]);
		expect(messagesTo(run.to.guest)).toEqual([]);

		const turns = modelTurns(run.tag);
		expect(turns).toHaveLength(2);
		const toolResult = turns[1].messages[turns[1].messages.length - 1];
		expect(toolResult).toMatchObject({ role: 'tool', tool_call_id: `call_${run.tag}` });
		// n8n's refusal, as the tool's output item.
		expect(JSON.parse(messageText(toolResult))).toEqual([
			{
				output: `User rejected the tool call to ${TOOL_NODE} (id: call_${run.tag}). STOP what you are doing and wait for the user to tell you how to proceed. The tool is still available if needed.`,
			},
		]);
		expect(runsOf(finished, 'AI Agent')).toEqual([
			[{ output: `Done: ${messageText(toolResult)}` }],
		]);
		expect(messagesTo(run.to.approver)).toHaveLength(1);
	}, 180_000);

	test("n8n's MCP Server Trigger does not run HITL tools (the editor connects them only to an AI Agent or AI Agent Tool): given one anyway, it lists the gated tool, and a call returns an empty result at once, sends no message, runs no tool and leaves nothing waiting", async () => {
		const { n8n, credential } = stack!;
		const to = { approver: phone(), guest: phone() };
		const path = `hitl-mcp-${randomBytes(3).toString('hex')}`;
		const workflow = await n8n.importWorkflow(mcpWorkflow('HITL tool: MCP', path, to, credential));
		await n8n.activate(workflow.id);

		const mcp = await mcpSession(`${n8n.url}/mcp/${path}`);
		const listed = (await mcp.request('tools/list', {})) as { tools: Array<{ name: string }> };
		expect(listed.tools.map((tool) => tool.name)).toEqual([TOOL_NAME]);
		const result = await mcp.request('tools/call', {
			name: TOOL_NAME,
			arguments: { toolParameters: { confirmation: 'Confirmed.' }, hitlParameters: {} },
		});
		expect(result).toEqual({ content: [{ type: 'text', text: '' }] });

		// The call's execution has ended (nothing left to send): it ran the trigger only.
		const execution = await settledExecution(workflow.id);
		expect(execution.status).toBe('success');
		expect(Object.keys(execution.data?.resultData.runData ?? {})).toEqual(['MCP Server Trigger']);
		expect(await n8n.listExecutions(workflow.id)).toHaveLength(1);
		expect(messagesTo(to.approver)).toEqual([]);
		expect(messagesTo(to.guest)).toEqual([]);
	}, 120_000);

	test('No answer within Limit Wait Time: n8n resumes the agent as if declined: the gated tool never runs and the model is told the call was rejected; the link then answers "No action required"', async () => {
		const { run, finished } = await unanswered;
		expect(finished.status).toBe('success');
		// The wait ran out: the HITL tool passed its input on, with no answer in it.
		const [[passedOn]] = runsOf(finished, 'Approval');
		expect(passedOn).toMatchObject({ toolCallId: `call_${run.tag}` });
		expect(passedOn).not.toHaveProperty('data');
		expect(runsOf(finished, TOOL_NODE)).toEqual([]);
		expect(messagesTo(run.to.guest)).toEqual([]);
		const turns = modelTurns(run.tag);
		expect(turns).toHaveLength(2);
		const toolResult = turns[1].messages[turns[1].messages.length - 1];
		expect(JSON.parse(messageText(toolResult))).toEqual([
			{ output: expect.stringMatching(/^User rejected the tool call to Send confirmation /) },
		]);

		// An approval that comes too late resumes nothing: n8n answers for the ended execution.
		const late = await openLink(run.links.Approve, { method: 'POST' });
		expect(late.html).toContain('No action required');
		const reread = await stack!.n8n.waitForExecution(run.waiting.id);
		expect(runsOf(reread, TOOL_NODE)).toEqual([]);
		expect(await stack!.n8n.listExecutions(run.workflowId)).toHaveLength(1);
		expect(messagesTo(run.to.guest)).toEqual([]);
	}, 200_000);
});
