import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runBulk } from '../../../shared';
import type { IntelliPortalClient } from '../../../shared';
import { errorItemJson, failEveryItem, toNodeError } from '../errors';
import { buildMessageRequest, buildTemplateRequest } from './messageRequests';
import { startPacedRun } from './pacedRun';
import type { PacedRun, PacingSettings } from './pacedRun';
import { readSendOptions } from './sendOptions';
import type { VersionSettings } from './versionSettings';

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
 * Message → Send / Send Template for all input items, one API call each, through the core's bulk
 * runner on the account's governor (pacedRun.ts). Output order is input order. Without "Continue
 * On Fail" nothing new starts after a failure, and the first one (in input order) stops the node.
 */
export async function sendMessages(
	this: IExecuteFunctions,
	itemCount: number,
	operation: string,
	version: VersionSettings,
): Promise<INodeExecutionData[]> {
	const continueOnFail = this.continueOnFail();
	let options: PacingSettings;
	let paced: PacedRun;
	try {
		options = readSendOptions(this, version);
		paced = await startPacedRun(this, options, { keyPerRun: true });
	} catch (error) {
		return failEveryItem(this, error, itemCount);
	}
	const { client, apiKey, governor, run, sleep, now } = paced;

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
		{ concurrency: options.concurrency, governor, signal: stop, run, sleep, now },
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
