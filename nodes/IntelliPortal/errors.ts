import type { IExecuteFunctions, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	IntelliPortalError,
	NetworkError,
	PRODUCTION_KEY_PREFIX,
	SANDBOX_KEY_PREFIX,
	ValidationError,
	redact,
} from '../../shared';
import type { ErrorKind, RateLimitError } from '../../shared';
import { describeValidationError } from './parameterLabels';

const WHAT_TO_DO: Record<ErrorKind, string> = {
	validation:
		'Check the field named in the message. Expressions must resolve to the expected type and must not be empty.',
	authentication: `Open the IntelliPortal credential and check the API key and environment: ${PRODUCTION_KEY_PREFIX} keys belong to production, ${SANDBOX_KEY_PREFIX} keys to the sandbox.`,
	not_found:
		'Check the client ID and, for templates, the template name and language code: they must match what is registered in IntelliPortal.',
	conflict: 'The record already exists. Use the existing client instead of onboarding it again.',
	rate_limit:
		'IntelliPortal kept rate-limiting the requests after the node waited and retried. Lower the concurrency or the requests per second in the node options, or run the workflow later.',
	server:
		'IntelliPortal failed to process the request. Try again later; messages that were not confirmed may still have been sent, check before re-sending.',
	network:
		'The IntelliPortal API could not be reached or did not answer. Check the network and the credential environment or Base URL.',
	configuration:
		'Open the IntelliPortal credential and check the API key prefix, the environment and the Base URL.',
	cancelled:
		'The execution was stopped before this message was sent. Nothing was sent for it; run it again to send it.',
};

// Codes whose advice differs from their kind's.
const WHAT_TO_DO_FOR_CODE: Record<string, string> = {
	wait_budget_spent:
		'IntelliPortal kept rate-limiting this run until its Wait Budget (an option of the node) was spent. Nothing was sent for this item; run it again later, or raise the Wait Budget.',
	webhook_contended:
		'Another integration was registering the account’s webhook at the same time. Nothing is lost: activate the workflow again in a moment.',
};

/** n8n's words for a request that got no answer, from the core's facts. */
function networkMessage(error: NetworkError): string {
	const code = error.transportCode;
	const suffix = code ? ` (${code})` : '';
	if (code === 'RUN_STOPPED')
		return 'The execution was stopped while the request was on its way to IntelliPortal';
	// Without a code, n8n itself refused before sending (no credential…): its own words.
	if (error.phase === 'connect')
		return code ? `Could not connect to the IntelliPortal API${suffix}` : error.detail;
	if (error.phase === 'timeout') {
		const ms = error.timeoutMs;
		// under a second in ms: a 300 ms timeout read "within 0 s"
		const limit =
			ms === undefined
				? 'in time'
				: ms < 1000
					? `within ${ms} ms`
					: `within ${Number((ms / 1000).toFixed(1))} s`;
		return `The IntelliPortal API did not answer ${limit}${suffix}`;
	}
	return `The connection to the IntelliPortal API broke before a response arrived${suffix}`;
}

/** n8n's words for why the node stopped waiting out a throttle, from the retry layer's facts. */
function gaveUpSentence(error: unknown): string {
	const { gaveUp } = error as Partial<RateLimitError>;
	if (!gaveUp) return '';
	const seconds = (ms: number) => `${Math.ceil(ms / 1000)} s`;
	if (gaveUp.reason === 'wait_too_long') {
		const asked = (error as RateLimitError).retryAfterMs ?? 0;
		return ` The server asked to wait ${seconds(asked)}, longer than the ${seconds(gaveUp.limitMs)} the node waits.`;
	}
	const { waitedMs, attempts } = gaveUp;
	const waited =
		waitedMs < 120_000
			? `${Math.round(waitedMs / 1000)} s`
			: `${Math.round(waitedMs / 60_000)} min`;
	return ` The server kept refusing this request for ${waited} (${attempts} attempts).`;
}

/** Found before any request, about what the user filled in: worded with the node's field names. */
function isClientSideValidation(error: unknown): error is ValidationError {
	return error instanceof ValidationError && error.httpStatus === undefined;
}

function messageOf(error: unknown, apiKey: string): string {
	const message = isClientSideValidation(error)
		? describeValidationError(error)
		: error instanceof NetworkError
			? networkMessage(error)
			: error instanceof Error
				? `${error.message}${gaveUpSentence(error)}`
				: String(error);
	return redact(message, [apiKey]);
}

/** The continueOnFail item body for a failed item: what happened and whether it may have gone out. */
export function errorItemJson(error: unknown, apiKey: string): JsonObject {
	const message = messageOf(error, apiKey);
	if (!(error instanceof IntelliPortalError)) {
		return { error: { code: 'node_error', message, retryable: false, mayHaveBeenSent: false } };
	}
	const { code, retryable, mayHaveBeenSent, httpStatus } = error;
	const body: JsonObject = { code, message, retryable, mayHaveBeenSent };
	if (httpStatus !== undefined) body.httpStatus = httpStatus;
	if (error instanceof ValidationError && error.field) body.field = error.field;
	return { error: body };
}

/**
 * Input problems (client-side validation, the credential's configuration) become
 * NodeOperationError naming the field; what the API or the network answered, NodeApiError.
 */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
	apiKey: string,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const message = messageOf(error, apiKey);
	if (!(error instanceof IntelliPortalError)) {
		return new NodeOperationError(node, message, { itemIndex });
	}
	let description = WHAT_TO_DO_FOR_CODE[error.code] ?? WHAT_TO_DO[error.kind];
	const retryAfterMs = (error as { retryAfterMs?: number }).retryAfterMs;
	if (
		error.kind === 'rate_limit' &&
		error.code !== 'wait_budget_spent' &&
		retryAfterMs !== undefined
	)
		description += ` IntelliPortal asked to wait ${Math.ceil(retryAfterMs / 1000)} s.`;
	if (isClientSideValidation(error) && error.issues.length > 0) {
		const paths = [...new Set(error.issues.map((issue) => issue.field))].join(', ');
		description += ` (API field${error.issues.length > 1 ? 's' : ''}: ${redact(paths, [apiKey])})`;
	}
	if (error.mayHaveBeenSent) {
		description +=
			' The request may have reached IntelliPortal before the failure, so it was not retried automatically.';
	}
	if (
		error.httpStatus === undefined &&
		(error.kind === 'validation' || error.kind === 'configuration')
	) {
		return new NodeOperationError(node, message, { itemIndex, description });
	}
	const safeJson = JSON.parse(redact(JSON.stringify(error.toJSON()), [apiKey])) as JsonObject;
	return new NodeApiError(node, safeJson, {
		message,
		description,
		httpCode: error.httpStatus !== undefined ? String(error.httpStatus) : undefined,
		itemIndex,
	});
}

/**
 * A failure that concerns every item (the credential, the run's options): one error item per
 * input item with "Continue On Fail", else the node's error.
 */
export function failEveryItem(
	ctx: IExecuteFunctions,
	error: unknown,
	itemCount: number,
	apiKey = '',
): INodeExecutionData[] {
	if (!ctx.continueOnFail()) throw toNodeError(ctx.getNode(), error, 0, apiKey);
	return Array.from({ length: itemCount }, (_, i) => ({
		json: errorItemJson(error, apiKey),
		pairedItem: { item: i },
	}));
}
