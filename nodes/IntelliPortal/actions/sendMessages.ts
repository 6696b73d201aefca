import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { AdaptiveRateGovernor, runBulk } from '../../../shared';
import type { IntelliPortalClient } from '../../../shared';
import { errorItemJson, getIntelliPortalClient, toNodeError } from '../GenericFunctions';
import { N8nTransport } from '../transport/N8nTransport';

/** Reads one item's parameters into the core's request shape (the core validates it). */
function buildRequest(ctx: IExecuteFunctions, operation: string, i: number): IDataObject {
	const clientRef = ctx.getNodeParameter('clientRef', i, '', { extractValue: true });
	const to = ctx.getNodeParameter('to', i);
	if (operation === 'sendTemplate') {
		const collection = ctx.getNodeParameter('templateParameters', i, {}) as {
			parameter?: Array<{ value?: unknown }>;
		};
		const parameters = (collection.parameter ?? []).map((entry) => entry.value);
		const template: IDataObject = {
			name: ctx.getNodeParameter('templateName', i),
			language: { code: ctx.getNodeParameter('languageCode', i, 'en') },
		};
		if (parameters.length > 0) template.parameters = parameters as IDataObject[];
		return { client_ref: clientRef, to, template };
	}
	const messageType = ctx.getNodeParameter('messageType', i, 'text') as string;
	if (messageType === 'media') {
		const media: IDataObject = { url: ctx.getNodeParameter('mediaUrl', i) };
		const caption = ctx.getNodeParameter('mediaCaption', i, '') as string;
		if (caption !== '') media.caption = caption;
		return { client_ref: clientRef, to, type: 'media', media };
	}
	return {
		client_ref: clientRef,
		to,
		type: 'text',
		text: { body: ctx.getNodeParameter('textBody', i) },
	};
}

async function sendOne(
	client: IntelliPortalClient,
	operation: string,
	read: () => IDataObject,
): Promise<IDataObject> {
	const request = read();
	const response =
		operation === 'sendTemplate'
			? await client.sendTemplate(request as never)
			: await client.sendMessage(request as never);
	return response as unknown as IDataObject;
}

/**
 * Enough in flight to reach a 200 req/s limit at ~80 ms round trips; the adaptive governor backs
 * off on the first 429, so a higher ceiling costs nothing against a stricter limit.
 */
export const DEFAULT_CONCURRENCY = 16;

interface SendOptions {
	concurrency?: number;
	maxRequestsPerSecond?: number;
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
): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', 0, {}) as SendOptions;
	const concurrency = Math.max(1, Math.floor(Number(options.concurrency ?? DEFAULT_CONCURRENCY)) || 1);
	const maxRequestsPerSecond = Number(options.maxRequestsPerSecond ?? 0);
	const continueOnFail = this.continueOnFail();

	const transport = new N8nTransport(this);
	const clock = {
		sleep: async (ms: number) => await transport.sleep(ms),
		now: () => transport.now(),
	};
	const governor = new AdaptiveRateGovernor({
		...clock,
		maxConcurrency: concurrency,
		initialConcurrency: concurrency,
		maxRequestsPerSecond: maxRequestsPerSecond > 0 ? maxRequestsPerSecond : undefined,
	});
	const setup = await getIntelliPortalClient.call(this, { governor, transport }).then(
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
			await sendOne(client, operation, () => buildRequest(this, operation, i)).catch(
				(error: unknown) => {
					// Without "Continue On Fail" the run stops at the first failure: start nothing new.
					if (!continueOnFail) stop.aborted = true;
					return Promise.reject(error);
				},
			),
		{ concurrency, governor, signal: stop, ...clock },
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
