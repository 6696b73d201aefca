import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS, RunControl, runBulk, sharedGovernors } from '../../../shared';
import type {
	AbortSignalLike,
	IntelliPortalClient,
	ObservableRateGovernor,
	SendMessageInput,
	SendTemplateInput,
} from '../../../shared';
import { MAX_CONCURRENCY, MAX_TIMEOUT_MS } from './message/sendFields';
import type { VersionSettings } from './versionSettings';

/** Longest wait budget accepted: one day. */
const MAX_WAIT_BUDGET_MINUTES = 24 * 60;
import { own, parameterError, readCollection, readParameter, toNumber } from '../fields';
import { errorItemJson, toNodeError } from '../errors';
import { getIntelliPortalClient } from '../transport/client';
import { N8nTransport } from '../transport/N8nTransport';

/** Template Parameters: the own `parameter` list of the fixedCollection, each entry's own `value`. */
function readTemplateParameters(ctx: IExecuteFunctions, i: number): unknown[] {
	const collection = readCollection(ctx, 'templateParameters', i);
	const list = own(collection, 'parameter');
	if (list === undefined || list === null) return [];
	if (!Array.isArray(list)) {
		throw parameterError(
			ctx,
			'templateParameters',
			i,
			'must be a list of parameters with a value each',
		);
	}
	return list.map((entry: unknown, position) => {
		if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
			throw parameterError(
				ctx,
				'templateParameters',
				i,
				`(value ${position + 1}) must be a parameter with a value`,
			);
		}
		return own(entry as IDataObject, 'value');
	});
}

const MESSAGE_TYPES = ['text', 'media'];

/** Reads one item's Send Template parameters into the core's request (the core validates it). */
function buildTemplateRequest(ctx: IExecuteFunctions, i: number): SendTemplateInput {
	const clientRef = readParameter(ctx, 'clientRef', i, '', { extractValue: true });
	const to = readParameter(ctx, 'to', i, '');
	const parameters = readTemplateParameters(ctx, i);
	const template: IDataObject = {
		name: readParameter(ctx, 'templateName', i, ''),
		language: { code: readParameter(ctx, 'languageCode', i, 'en') },
	};
	if (parameters.length > 0) template.parameters = parameters as IDataObject[];
	return { client_ref: clientRef, to, template };
}

/** Reads one item's Send parameters into the core's request (the core validates it). */
function buildMessageRequest(ctx: IExecuteFunctions, i: number): SendMessageInput {
	const clientRef = readParameter(ctx, 'clientRef', i, '', { extractValue: true });
	const to = readParameter(ctx, 'to', i, '');
	const messageType = readParameter(ctx, 'messageType', i, 'text');
	if (typeof messageType !== 'string' || !MESSAGE_TYPES.includes(messageType)) {
		throw parameterError(ctx, 'messageType', i, 'must be Text (text) or Media (media)');
	}
	if (messageType === 'media') {
		const media: IDataObject = { url: readParameter(ctx, 'mediaUrl', i, '') };
		const caption = readParameter(ctx, 'mediaCaption', i, '');
		if (caption !== '') media.caption = caption;
		return { client_ref: clientRef, to, type: 'media', media };
	}
	return {
		client_ref: clientRef,
		to,
		type: 'text',
		text: { body: readParameter(ctx, 'textBody', i, '') },
	};
}

async function sendOne(
	client: IntelliPortalClient,
	operation: string,
	ctx: IExecuteFunctions,
	i: number,
): Promise<IDataObject> {
	const response =
		operation === 'sendTemplate'
			? await client.sendTemplate(buildTemplateRequest(ctx, i))
			: await client.sendMessage(buildMessageRequest(ctx, i));
	return response as unknown as IDataObject;
}

/**
 * The execution's cancel signal where the host offers one (n8n-workflow 1.x late and 2.x:
 * getExecutionCancelSignal), else undefined. Applies to every node version: without a Stop it
 * changes nothing.
 */
export function cancelSignalOf(ctx: IExecuteFunctions): AbortSignalLike | undefined {
	const read = (ctx as Partial<Pick<IExecuteFunctions, 'getExecutionCancelSignal'>>)
		.getExecutionCancelSignal;
	if (typeof read !== 'function') return undefined;
	try {
		return read.call(ctx) ?? undefined;
	} catch {
		return undefined;
	}
}

/** Also subscribes to onExecutionCancellation where it exists (hosts with a handler, no signal). */
export function listenForCancellation(ctx: IExecuteFunctions, run: RunControl): void {
	const subscribe = (ctx as Partial<Pick<IExecuteFunctions, 'onExecutionCancellation'>>)
		.onExecutionCancellation;
	if (typeof subscribe !== 'function') return;
	try {
		subscribe.call(ctx, () => run.stop());
	} catch {
		// An older host without it: the signal (if any) is all we have.
	}
}

/**
 * Enough in flight to reach a 200 req/s limit at ~80 ms round trips; the adaptive governor backs
 * off on the first 429, so a higher ceiling costs nothing against a stricter limit.
 */
export const DEFAULT_CONCURRENCY = 16;

/** The options collection (run level, read from the first item). */
function readSendOptions(
	ctx: IExecuteFunctions,
	version: VersionSettings,
): {
	concurrency: number;
	maxRequestsPerSecond: number;
	timeoutMs: number;
	waitBudgetMs: number | undefined;
} {
	const options = readCollection(ctx, 'options', 0);
	const waitBudgetMs =
		version.waitBudgetMinutes !== undefined
			? toNumber(ctx, 'waitBudgetMinutes', 0, own(options, 'waitBudgetMinutes'), {
					fallback: version.waitBudgetMinutes,
					min: 0,
					max: MAX_WAIT_BUDGET_MINUTES,
					whole: false,
				}) * 60_000
			: undefined;
	return {
		waitBudgetMs,
		concurrency: toNumber(ctx, 'concurrency', 0, own(options, 'concurrency'), {
			fallback: DEFAULT_CONCURRENCY,
			min: 1,
			max: MAX_CONCURRENCY,
			whole: true,
		}),
		maxRequestsPerSecond: toNumber(
			ctx,
			'maxRequestsPerSecond',
			0,
			own(options, 'maxRequestsPerSecond'),
			{ fallback: 0, min: 0, max: Number.MAX_SAFE_INTEGER, whole: false },
		),
		timeoutMs: toNumber(ctx, 'timeout', 0, own(options, 'timeout'), {
			fallback: DEFAULT_TIMEOUT_MS,
			min: 1,
			max: MAX_TIMEOUT_MS,
			whole: true,
		}),
	};
}

/**
 * The account's shared rate governor: runs of the same account (credential + server) and pacing
 * settings in this process share one, so every send of the account is paced together.
 */
export function accountGovernor(
	account: { baseUrl: string; apiKey: string },
	clock: { sleep: (ms: number) => Promise<void>; now: () => number },
	pacing: { concurrency: number; maxRequestsPerSecond: number },
): ObservableRateGovernor {
	const { concurrency, maxRequestsPerSecond } = pacing;
	return sharedGovernors.governorFor(
		{ ...account, settings: `c=${concurrency};r=${maxRequestsPerSecond}` },
		{
			...clock,
			maxConcurrency: concurrency,
			initialConcurrency: concurrency,
			maxRequestsPerSecond: maxRequestsPerSecond > 0 ? maxRequestsPerSecond : undefined,
		},
	);
}

/**
 * Message → Send / Send Template for all input items. Each item is one API call. The calls share
 * one adaptive rate governor (a 429 pauses the whole run for the server's Retry-After instead of
 * every call discovering the limit on its own) and run with bounded concurrency through the
 * core's bulk runner; the core retries what is safe to retry and never re-sends a POST that may
 * have gone out. Output order equals input order. With "Continue On Fail" a failed item becomes
 * an error item and the run goes on; otherwise no new message is started after a failure and the
 * first failure (in input order) stops the node, saying how many messages went out before it.
 */
export async function sendMessages(
	this: IExecuteFunctions,
	itemCount: number,
	operation: string,
	version: VersionSettings,
): Promise<INodeExecutionData[]> {
	const continueOnFail = this.continueOnFail();
	let options: ReturnType<typeof readSendOptions>;
	try {
		options = readSendOptions(this, version);
	} catch (error) {
		// The options hold for the whole run: with "Continue On Fail" every item reports them.
		if (!continueOnFail) throw toNodeError(this.getNode(), error, 0, '');
		return Array.from({ length: itemCount }, (_, i) => ({
			json: errorItemJson(error, ''),
			pairedItem: { item: i },
		}));
	}
	const { concurrency, maxRequestsPerSecond, timeoutMs, waitBudgetMs } = options;

	const transport = new N8nTransport(this);
	const clock = {
		sleep: async (ms: number) => await transport.sleep(ms),
		now: () => transport.now(),
	};
	const run = new RunControl({ now: clock.now, waitBudgetMs, signal: cancelSignalOf(this) });
	listenForCancellation(this, run);
	let governor: ObservableRateGovernor | undefined;
	const governorFor = (account: { baseUrl: string; apiKey: string }) => {
		governor = accountGovernor(account, clock, { concurrency, maxRequestsPerSecond });
		return governor;
	};
	const setup = await getIntelliPortalClient
		.call(this, { governorFor, run, transport, timeoutMs })
		.then(
			(value) => ({ ok: true as const, ...value }),
			(error: unknown) => ({ ok: false as const, error }),
		);
	if (!setup.ok) {
		if (!continueOnFail) throw toNodeError(this.getNode(), setup.error, 0, '');
		return Array.from({ length: itemCount }, (_, i) => ({
			json: errorItemJson(setup.error, ''),
			pairedItem: { item: i },
		}));
	}
	const { client, apiKey } = setup;

	const stop = { aborted: false };
	const indexes = Array.from({ length: itemCount }, (_, i) => i);
	const results = await runBulk(
		indexes,
		async (i) =>
			await sendOne(client, operation, this, i).catch((error: unknown) => {
				// Without "Continue On Fail" the run stops at the first failure: start nothing new.
				if (!continueOnFail) stop.aborted = true;
				return Promise.reject(error);
			}),
		{ concurrency, governor, signal: stop, run, ...clock },
	);

	const output: INodeExecutionData[] = [];
	for (let i = 0; i < results.length; i++) {
		const result = results[i];
		if (result.ok) {
			output.push({ json: result.value, pairedItem: { item: i } });
			continue;
		}
		if (continueOnFail) {
			output.push({ json: errorItemJson(result.error, apiKey), pairedItem: { item: i } });
			continue;
		}
		const nodeError = toNodeError(this.getNode(), result.error, i, apiKey);
		const sent = results.filter((entry) => entry.ok).length;
		if (sent > 0) {
			const note = `${sent} of ${itemCount} messages of this run were sent before the failure; check them before running the workflow again.`;
			nodeError.description = nodeError.description ? `${nodeError.description} ${note}` : note;
		}
		throw nodeError;
	}
	return output;
}
