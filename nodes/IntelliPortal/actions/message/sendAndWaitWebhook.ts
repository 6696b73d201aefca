import type {
	IDataObject,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { SEND_AND_WAIT_OPERATION } from 'n8n-workflow';

import { LIMITS } from '../../../../shared';
import {
	DEFAULT_APPROVE_LABEL,
	DEFAULT_DECLINE_LABEL,
	DEFAULT_FORM_BUTTON_LABEL,
} from './sendAndWaitFields';
import {
	PAGE_HEADERS,
	RESPONSE_FIELD,
	answerRecordedPage,
	confirmAnswerPage,
	noActionPage,
	responseFormPage,
} from './sendAndWaitPages';

/**
 * The waiting webhooks of Send and Wait (version 2's description). n8n serves them only while an
 * execution waits on this node, at /webhook-waiting/<execution>/<node id>, and checks the link's
 * signature (made by getSignedResumeUrl) before calling the node: a node whose operation is
 * sendAndWait and whose id is the path's last segment gets its signed URLs validated, a link
 * without a valid signature is refused by n8n itself, and a link of an execution that is no
 * longer waiting on this node gets n8n's "No action required" page. GET shows a page, only POST
 * (its form's button) answers.
 */
export const sendAndWaitWebhooks: IWebhookDescription[] = ['GET', 'POST'].map((httpMethod) => ({
	name: 'default',
	httpMethod,
	responseMode: 'onReceived',
	responseData: '',
	path: '={{ $nodeId }}',
	restartWebhook: true,
	isFullPath: true,
}));

/** The editor's hint on a node the execution waits on. */
export const waitingNodeTooltip =
	'={{ $parameter["operation"] === "sendAndWait" ? "Execution will continue after the recipient\'s response" : "" }}';

function setPageHeaders(ctx: IWebhookFunctions): void {
	const res = ctx.getResponseObject();
	for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
}

/** A page that leaves the execution waiting: sent at once. */
function sendPage(ctx: IWebhookFunctions, status: number, html: string): void {
	setPageHeaders(ctx);
	ctx.getResponseObject().status(status).send(html);
}

function stringParameter(ctx: IWebhookFunctions, name: string, fallback: string): string {
	try {
		const value = ctx.getNodeParameter(name, fallback);
		return typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;
	} catch {
		// An expression that no longer resolves: the page shows the fallback instead of failing.
		return fallback;
	}
}

/** The label the workflow gave the answer the recipient chose (shown on the "recorded" page). */
function approvalLabel(ctx: IWebhookFunctions, approved: boolean): string {
	const name = approved ? 'approveLabel' : 'disapproveLabel';
	const fallback = approved ? DEFAULT_APPROVE_LABEL : DEFAULT_DECLINE_LABEL;
	const label = stringParameter(ctx, `approvalOptions.values.${name}`, fallback).trim();
	return label === '' ? fallback : label;
}

function formOptions(ctx: IWebhookFunctions): { title: string; message: string; button: string } {
	const description = stringParameter(ctx, 'options.responseFormDescription', '');
	const button = stringParameter(ctx, 'options.responseFormButtonLabel', '').trim();
	return {
		title: stringParameter(ctx, 'options.responseFormTitle', ''),
		message: description.trim() !== '' ? description : stringParameter(ctx, 'message', ''),
		button: button === '' ? DEFAULT_FORM_BUTTON_LABEL : button,
	};
}

/** The recipient's Free Text answer, or what is wrong with it. */
function readResponseText(body: unknown): { text: string } | { text: string; problem: string } {
	const raw =
		typeof body === 'object' && body !== null ? (body as IDataObject)[RESPONSE_FIELD] : '';
	const text = typeof raw === 'string' ? raw : '';
	if (text.trim() === '') return { text, problem: 'Please write a response before sending it.' };
	if (text.length > LIMITS.textBody) {
		return {
			text: text.slice(0, LIMITS.textBody),
			problem: `The response is too long: at most ${LIMITS.textBody} characters, this one has ${text.length}.`,
		};
	}
	return { text };
}

/**
 * Ends the wait with `json` as this node's output. The "recorded" page is not sent here but handed
 * to n8n, which sends it only once it has taken the execution over: of two answers arriving at
 * the same moment only the one that resumed the execution is told it was recorded (n8n answers
 * the other with an error). n8n sends it with its own sandbox Content-Security-Policy.
 */
function resume(ctx: IWebhookFunctions, page: string, json: IDataObject): IWebhookResponseData {
	setPageHeaders(ctx);
	return { webhookResponse: page, workflowData: [[{ json }]] };
}

/**
 * Answers a recipient who followed a link of a waiting Send and Wait node. Only answers that end
 * the wait return workflowData (n8n then resumes the execution with it as this node's output):
 * the POST of an approval's confirmation page, a Free Text form sent with a response. Every GET
 * (a person opening the link, a link preview, a mail scanner: they cannot be told apart) and a
 * form sent empty show a page and leave the execution waiting.
 */
export async function sendAndWaitWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = this.getRequestObject();
	const respondedAt = new Date().toISOString();
	if (this.getNodeParameter('operation', '') !== SEND_AND_WAIT_OPERATION) {
		sendPage(this, 404, noActionPage());
		return { noWebhookResponse: true };
	}

	if (this.getNodeParameter('responseType', 'approval') === 'freeText') {
		const form = formOptions(this);
		if (request.method !== 'POST') {
			sendPage(this, 200, responseFormPage({ ...form, buttonLabel: form.button }));
			return { noWebhookResponse: true };
		}
		const answer = readResponseText(this.getBodyData());
		if ('problem' in answer) {
			sendPage(this, 400, responseFormPage({ ...form, buttonLabel: form.button, error: answer }));
			return { noWebhookResponse: true };
		}
		return resume(this, answerRecordedPage(answer.text), {
			data: { text: answer.text, respondedAt },
		});
	}

	// The link's own (signed) parameter: n8n refused the request if it was changed.
	const { approved } = this.getQueryData() as IDataObject;
	if (approved !== 'true' && approved !== 'false') {
		sendPage(this, 404, noActionPage());
		return { noWebhookResponse: true };
	}
	const isApproved = approved === 'true';
	const label = approvalLabel(this, isApproved);
	if (request.method !== 'POST') {
		const message = stringParameter(this, 'message', '');
		sendPage(this, 200, confirmAnswerPage({ message, label }));
		return { noWebhookResponse: true };
	}
	return resume(this, answerRecordedPage(label), { data: { approved: isApproved, respondedAt } });
}
