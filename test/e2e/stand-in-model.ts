/**
 * A stand-in for an OpenAI-compatible chat model on loopback: n8n's OpenAI Chat Model node, with
 * its credential's Base URL pointed here, gets the replies the test scripts (a tool call, then a
 * final answer) and every request it sent is kept, so the test reads what the agent told the
 * model (the tools it offered, what a tool call returned). Chat Completions only. Test-only.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatMessage {
	role: 'system' | 'user' | 'assistant' | 'tool';
	content: string | null | Array<{ type: string; text?: string }>;
	tool_calls?: Array<{
		id: string;
		type: 'function';
		function: { name: string; arguments: string };
	}>;
	tool_call_id?: string;
}

export interface OfferedTool {
	type: 'function';
	function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** What n8n POSTed to /v1/chat/completions. */
export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	tools?: OfferedTool[];
	stream?: boolean;
	[key: string]: unknown;
}

/** The model's turn: call one tool with these arguments, or answer with text. */
export type ModelReply =
	| { toolCall: { id: string; name: string; arguments: Record<string, unknown> } }
	| { answer: string };

export interface StandInModel {
	/** What the credential's Base URL is set to, e.g. http://127.0.0.1:PORT/v1 */
	baseUrl: string;
	requests: ChatRequest[];
	stop(): Promise<void>;
}

/** The text of a message whatever its shape (LangChain sends a string or content parts). */
export function messageText(message: ChatMessage): string {
	if (typeof message.content === 'string') return message.content;
	if (Array.isArray(message.content)) return message.content.map((p) => p.text ?? '').join('');
	return '';
}

function completion(request: ChatRequest, reply: ModelReply) {
	const message =
		'toolCall' in reply
			? {
					role: 'assistant',
					content: null,
					tool_calls: [
						{
							id: reply.toolCall.id,
							type: 'function',
							function: {
								name: reply.toolCall.name,
								arguments: JSON.stringify(reply.toolCall.arguments),
							},
						},
					],
				}
			: { role: 'assistant', content: reply.answer };
	return {
		id: `chatcmpl-${randomBytes(6).toString('hex')}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: request.model,
		choices: [
			{
				index: 0,
				message,
				finish_reason: 'toolCall' in reply ? 'tool_calls' : 'stop',
				logprobs: null,
			},
		],
		usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
	};
}

/** Starts the stand-in; `reply` decides each turn from the request n8n sent. */
export async function startStandInModel(
	reply: (request: ChatRequest) => ModelReply,
): Promise<StandInModel> {
	const requests: ChatRequest[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const send = (status: number, body: unknown) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body));
			};
			if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/chat/completions') {
				send(404, { error: { message: `stand-in model: no ${req.method} ${req.url}` } });
				return;
			}
			try {
				const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
				requests.push(request);
				// The agent streams only to a streaming chat trigger; fail loudly if that changes.
				if (request.stream) throw new Error('stand-in model: streaming is not scripted');
				send(200, completion(request, reply(request)));
			} catch (error) {
				send(500, { error: { message: (error as Error).message } });
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		requests,
		stop: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
