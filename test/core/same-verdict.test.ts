/**
 * One verdict for ambiguity: the same server answers (and the same network failures) run through
 * the n8n node's path (N8nTransport → core client → errorItemJson / toNodeError) and the Zapier
 * app's path (zapierTransport → core client → toZapierError → sendOutcomeOf). Both hosts must
 * say the same thing about whether a send may have gone out, and only failures that provably
 * happened before the request left are retried.
 */
import zapier from 'zapier-platform-core';
import type { ZObject } from 'zapier-platform-core';
import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { IntelliPortalClient } from '../../shared/apiClient';
import { withRetry } from '../../shared/retry';
import { N8nTransport } from '../../nodes/IntelliPortal/transport/N8nTransport';
import { errorItemJson, toNodeError } from '../../nodes/IntelliPortal/errors';
import { createZapierTransport } from '../../zapier/src/zapierTransport';
import { toZapierError } from '../../zapier/src/errors';
import { sendOutcomeOf } from '../zapier/sendOutcome';

const KEY = 'ik_test_SAMEVERDICTkey012345678';
const BASE = 'http://127.0.0.1:9/v1';
const MESSAGE = {
	client_ref: 'c-1',
	to: '+15550000000',
	type: 'text' as const,
	text: { body: 'hi' },
};

type Answer =
	| { status: number; headers?: Record<string, string>; body?: unknown }
	| { network: string | undefined; kind?: 'abort' | 'plain' };

interface Case {
	name: string;
	answer: Answer;
	/** What both hosts must say. */
	mayHaveBeenSent: boolean;
	/** Whether the core repeats the POST. */
	repeated: boolean;
}

const CASES: Case[] = [
	{
		name: '400 validation',
		answer: { status: 400, body: { error: { code: 'invalid', message: 'bad to' } } },
		mayHaveBeenSent: false,
		repeated: false,
	},
	{ name: '401 unauthorized', answer: { status: 401 }, mayHaveBeenSent: false, repeated: false },
	{ name: '404 unknown client', answer: { status: 404 }, mayHaveBeenSent: false, repeated: false },
	{ name: '409 conflict', answer: { status: 409 }, mayHaveBeenSent: false, repeated: false },
	{
		name: '418 (an unexpected 4xx)',
		answer: { status: 418, body: { error: { code: 'teapot', message: 'odd' } } },
		mayHaveBeenSent: true,
		repeated: false,
	},
	{
		name: '408 (an unexpected 4xx)',
		answer: { status: 408 },
		mayHaveBeenSent: true,
		repeated: false,
	},
	{
		name: '302 (an unexpected 3xx)',
		answer: { status: 302 },
		mayHaveBeenSent: true,
		repeated: false,
	},
	{ name: '500 server error', answer: { status: 500 }, mayHaveBeenSent: true, repeated: false },
	{ name: '502 bad gateway', answer: { status: 502 }, mayHaveBeenSent: true, repeated: false },
	{
		name: '503 with Retry-After 120 (refused, longer than the client waits)',
		answer: { status: 503, headers: { 'retry-after': '120' } },
		mayHaveBeenSent: false,
		repeated: false,
	},
	{
		name: '429 with Retry-After 120',
		answer: { status: 429, headers: { 'retry-after': '120' } },
		mayHaveBeenSent: false,
		repeated: false,
	},
	{
		name: 'connection refused (ECONNREFUSED)',
		answer: { network: 'ECONNREFUSED' },
		mayHaveBeenSent: false,
		repeated: true,
	},
	{
		name: 'DNS failure (ENOTFOUND)',
		answer: { network: 'ENOTFOUND' },
		mayHaveBeenSent: false,
		repeated: true,
	},
	{
		name: 'connection reset (ECONNRESET)',
		answer: { network: 'ECONNRESET' },
		mayHaveBeenSent: true,
		repeated: false,
	},
	{
		name: 'socket hang up (no code)',
		answer: { network: undefined },
		mayHaveBeenSent: true,
		repeated: false,
	},
	{
		name: 'timeout (ETIMEDOUT)',
		answer: { network: 'ETIMEDOUT' },
		mayHaveBeenSent: true,
		repeated: false,
	},
	{
		name: 'an unrecognised failure without code',
		answer: { network: undefined, kind: 'plain' },
		mayHaveBeenSent: true,
		repeated: false,
	},
	{
		name: 'an aborted request (AbortError)',
		answer: { network: undefined, kind: 'abort' },
		mayHaveBeenSent: true,
		repeated: false,
	},
];

function networkError(answer: { network: string | undefined; kind?: 'abort' | 'plain' }): Error {
	if (answer.kind === 'abort') return new DOMException('This operation was aborted', 'AbortError');
	const error = new Error(answer.network ? `connect ${answer.network}` : 'socket hang up');
	if (answer.network) (error as Error & { code?: string }).code = answer.network;
	if (answer.kind !== 'plain') (error as Error & { isAxiosError?: boolean }).isAxiosError = true;
	return error;
}

const node = {
	name: 'IntelliPortal',
	type: 'x',
	typeVersion: 2,
	parameters: {},
	credentials: { intelliPortalApi: { id: '1', name: 'IntelliPortal account' } },
} as unknown as INode;

async function throughN8n(answer: Answer) {
	let calls = 0;
	const context = {
		getNode: () => node,
		getCredentials: async () => ({ apiKey: KEY, environment: 'custom', baseUrl: BASE }),
		helpers: {
			httpRequestWithAuthentication: async () => {
				calls++;
				if ('network' in answer) {
					// n8n wraps request errors in a NodeApiError whose cause is the HTTP error.
					const cause = networkError(answer);
					throw new NodeApiError(node, cause as never);
				}
				return {
					statusCode: answer.status,
					headers: answer.headers ?? {},
					body: answer.body ?? {},
				};
			},
		},
	} as unknown as IExecuteFunctions;
	const transport = new N8nTransport(context);
	transport.sleep = async () => undefined;
	const client = new IntelliPortalClient({
		apiKey: KEY,
		baseUrl: BASE,
		transport,
		layers: [withRetry({ policy: { maxAttempts: 2 }, wait: async () => undefined })],
	});
	const error = await client.sendMessage(MESSAGE).then(
		() => undefined,
		(e: unknown) => e,
	);
	const item = errorItemJson(error, KEY).error as { mayHaveBeenSent: boolean; message: string };
	const nodeError = toNodeError(node, error, 0, KEY);
	const saysMaybe = /may have reached IntelliPortal/.test(String(nodeError.description));
	return { calls, mayHaveBeenSent: item.mayHaveBeenSent, saysMaybe, message: item.message };
}

async function throughZapier(answer: Answer) {
	let calls = 0;
	const z = {
		errors: zapier.errors,
		request: async () => {
			calls++;
			if ('network' in answer) throw networkError(answer);
			return {
				status: answer.status,
				headers: answer.headers ?? {},
				content: JSON.stringify(answer.body ?? {}),
			};
		},
	} as unknown as ZObject;
	const transport = createZapierTransport(z);
	transport.sleep = async () => undefined;
	const client = new IntelliPortalClient({
		apiKey: KEY,
		baseUrl: BASE,
		transport,
		layers: [withRetry({ policy: { maxAttempts: 2 }, wait: async () => undefined })],
	});
	const error = await client.sendMessage(MESSAGE).then(
		() => undefined,
		(e: unknown) => e,
	);
	const zapierError = toZapierError(z, error, [KEY]);
	return { calls, outcome: sendOutcomeOf(zapierError), message: zapierError.message };
}

describe('the same answer gives the same "may have been sent" verdict in n8n and Zapier', () => {
	test.each(CASES)('$name', async ({ answer, mayHaveBeenSent, repeated }) => {
		const n8n = await throughN8n(answer);
		const zap = await throughZapier(answer);
		expect(n8n.mayHaveBeenSent).toBe(mayHaveBeenSent);
		expect(n8n.saysMaybe).toBe(mayHaveBeenSent);
		expect(zap.outcome).toBe(mayHaveBeenSent ? 'may_have_been_sent' : 'not_sent');
		// Only "never left" failures are repeated, in both hosts alike.
		expect(n8n.calls).toBe(repeated ? 2 : 1);
		expect(zap.calls).toBe(repeated ? 2 : 1);
	});

	test.each([
		[
			'ECONNREFUSED',
			'Could not connect to the IntelliPortal API (ECONNREFUSED)',
			/^Could not connect to IntelliPortal \(ECONNREFUSED\)\. Nothing was sent/,
		],
		[
			'ETIMEDOUT',
			'The IntelliPortal API did not answer within 30 s (ETIMEDOUT)',
			/^IntelliPortal did not answer within 30 s \(ETIMEDOUT\)\. The request may already/,
		],
		[
			'ECONNRESET',
			'The connection to the IntelliPortal API broke before a response arrived (ECONNRESET)',
			/^The connection to IntelliPortal broke before an answer arrived \(ECONNRESET\)\. The request may already/,
		],
	])(
		'%s: each host words the failure once, from the facts the core returns',
		async (code, n8nMessage, zapierMessage) => {
			const n8n = await throughN8n({ network: code });
			const zap = await throughZapier({ network: code });
			const zapMessage = (JSON.parse(zap.message) as { message: string }).message;
			expect(n8n.message).toBe(n8nMessage);
			expect(zapMessage).toMatch(zapierMessage);
			for (const message of [n8n.message, zapMessage]) {
				expect(message.match(/could not connect|did not answer|broke before/gi)).toHaveLength(1);
			}
		},
	);

	test("n8n's own refusal before sending (NodeOperationError) is reported as not sent", async () => {
		const context = {
			getNode: () => node,
			getCredentials: async () => ({ apiKey: KEY, environment: 'custom', baseUrl: BASE }),
			helpers: {
				httpRequestWithAuthentication: async () => {
					throw new NodeOperationError(node, 'The credential expression could not be resolved');
				},
			},
		} as unknown as IExecuteFunctions;
		const transport = new N8nTransport(context);
		transport.sleep = async () => undefined;
		const client = new IntelliPortalClient({
			apiKey: KEY,
			baseUrl: BASE,
			transport,
		});
		const error = await client.sendMessage(MESSAGE).catch((e: unknown) => e);
		expect((errorItemJson(error, KEY).error as { mayHaveBeenSent: boolean }).mayHaveBeenSent).toBe(
			false,
		);
	});

	test('a credential n8n cannot provide is reported as not sent, and no request is made', async () => {
		let calls = 0;
		const context = {
			getNode: () => node,
			getCredentials: async () => {
				throw new Error('Credential with ID "1" does not exist for type "intelliPortalApi".');
			},
			helpers: {
				httpRequestWithAuthentication: async () => {
					calls++;
					return { statusCode: 202, headers: {}, body: { id: 'm-1' } };
				},
			},
		} as unknown as IExecuteFunctions;
		const transport = new N8nTransport(context);
		const client = new IntelliPortalClient({
			apiKey: KEY,
			baseUrl: BASE,
			transport,
		});
		const error = await client.sendMessage(MESSAGE).catch((e: unknown) => e);
		expect(calls).toBe(0);
		expect((errorItemJson(error, KEY).error as { mayHaveBeenSent: boolean }).mayHaveBeenSent).toBe(
			false,
		);
	});
});
