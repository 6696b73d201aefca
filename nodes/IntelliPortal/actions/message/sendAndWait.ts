import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS, LIMITS } from '../../../../shared';
import type { SendMessageInput } from '../../../../shared';
import { failEveryItem } from '../../errors';
import { own, parameterError, readParameter } from '../../fields';
import { startPacedRun } from '../pacedRun';
import type { VersionSettings } from '../versionSettings';
import {
	DEFAULT_APPROVE_LABEL,
	DEFAULT_DECLINE_LABEL,
	DEFAULT_RESPOND_LABEL,
} from './sendAndWaitFields';
import { waitTill } from './sendAndWaitLimit';
import { DEFAULT_CONCURRENCY } from './sendFields';

export { sendAndWaitOption as option } from './sendAndWaitFields';

export interface ResponseLink {
	label: string;
	url: string;
}

/** A label on one line (a line break would separate it from its link in the message). */
function oneLine(value: unknown, fallback: string): string {
	const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
	const line = text.replace(/\s+/g, ' ').trim();
	return line === '' ? fallback : line;
}

/**
 * The message as the recipient gets it: the text, a blank line, then one "Label: URL" line per
 * link. Plain URLs on their own lines are what SMS and WhatsApp make clickable.
 */
export function composeMessage(message: string, links: ResponseLink[]): string {
	const lines = links.map((link) => `${link.label}: ${link.url}`);
	return `${message.trimEnd()}\n\n${lines.join('\n')}`;
}

/**
 * n8n 1.x checks the signature of a resume link only for executions whose node asked for it
 * (setSignatureValidationRequired); n8n 2.x checks every one and no longer has the method.
 */
function requireSignedLinks(ctx: IExecuteFunctions): void {
	const setRequired = (ctx as { setSignatureValidationRequired?: unknown })
		.setSignatureValidationRequired;
	if (typeof setRequired === 'function') setRequired.call(ctx);
}

/** The signed links for the chosen response type, from n8n's getSignedResumeUrl. */
function responseLinks(ctx: IExecuteFunctions, responseType: string): ResponseLink[] {
	requireSignedLinks(ctx);
	if (responseType === 'freeText') {
		const options = readParameter(ctx, 'options', 0, {}) as IDataObject;
		return [
			{
				label: oneLine(own(options, 'messageButtonLabel'), DEFAULT_RESPOND_LABEL),
				url: ctx.getSignedResumeUrl(),
			},
		];
	}
	const approval = readParameter(ctx, 'approvalOptions', 0, {}) as IDataObject;
	const values = (own(approval, 'values') ?? {}) as IDataObject;
	const links = [
		{
			label: oneLine(own(values, 'approveLabel'), DEFAULT_APPROVE_LABEL),
			url: ctx.getSignedResumeUrl({ approved: 'true' }),
		},
	];
	if (own(values, 'approvalType') === 'double') {
		links.push({
			label: oneLine(own(values, 'disapproveLabel'), DEFAULT_DECLINE_LABEL),
			url: ctx.getSignedResumeUrl({ approved: 'false' }),
		});
	}
	return links;
}

/** Reads and checks everything before anything is sent; the request goes to the core as is. */
function buildRequest(ctx: IExecuteFunctions): SendMessageInput {
	const message = readParameter(ctx, 'message', 0, '');
	if (typeof message !== 'string' && typeof message !== 'number') {
		throw parameterError(ctx, 'message', 0, 'must be text');
	}
	if (String(message).trim() === '') throw parameterError(ctx, 'message', 0, 'must not be empty');
	const responseType = readParameter(ctx, 'responseType', 0, 'approval');
	if (responseType !== 'approval' && responseType !== 'freeText') {
		throw parameterError(
			ctx,
			'responseType',
			0,
			'must be Approval (approval) or Free Text (freeText)',
		);
	}
	const body = composeMessage(String(message), responseLinks(ctx, responseType));
	if (body.length > LIMITS.textBody) {
		throw parameterError(
			ctx,
			'message',
			0,
			`is too long: with the response links added the message has ${body.length} characters, at most ${LIMITS.textBody} can be sent`,
			`Shorten the message by at least ${body.length - LIMITS.textBody} characters.`,
		);
	}
	return {
		client_ref: readParameter(ctx, 'clientRef', 0, '', { extractValue: true }),
		to: readParameter(ctx, 'to', 0, ''),
		type: 'text',
		text: { body },
	};
}

function tooManyItems(ctx: IExecuteFunctions, count: number): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		`Send and Wait for Response asks one recipient per execution, but ${count} items came in`,
		{
			itemIndex: 0,
			description:
				'An execution waits for one answer at a time. To ask several recipients, start one execution per recipient.',
		},
	);
}

/**
 * Message → Send and Wait for Response: sends one message whose links are n8n's signed resume
 * URLs, then waits until sendAndWaitWebhook gets the answer or the limit passes (n8n then goes on
 * with the input items, as its built-in nodes do).
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	version: VersionSettings,
): Promise<INodeExecutionData[]> {
	const account = { apiKey: '' };
	try {
		if (items.length > 1) throw tooManyItems(this, items.length);
		const until = waitTill(this, new Date());
		// Paced and stopped like the sends, within the version's wait budget.
		const { client, apiKey } = await startPacedRun(this, {
			concurrency: DEFAULT_CONCURRENCY,
			maxRequestsPerSecond: 0,
			timeoutMs: DEFAULT_TIMEOUT_MS,
			waitBudgetMs:
				version.waitBudgetMinutes === undefined ? undefined : version.waitBudgetMinutes * 60_000,
		});
		account.apiKey = apiKey;
		await client.sendMessage(buildRequest(this));
		await this.putExecutionToWait(until);
		return items;
	} catch (error) {
		return failEveryItem(this, error, items.length, account.apiKey);
	}
}
