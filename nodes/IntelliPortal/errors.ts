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
import { describeValidationError } from './parameterLabels';

/** Removes the key, any ik_… key and any bearer token from a text (the core's redaction). */
export function scrubSecret(text: string, apiKey: string): string {
	return redact(text, [apiKey]);
}

const WHAT_TO_DO: Record<string, string> = {
	validation:
		'Check the field named in the message. Expressions must resolve to the expected type and must not be empty.',
	authentication: `Open the IntelliPortal credential and check the API key and environment: ${PRODUCTION_KEY_PREFIX} keys belong to production, ${SANDBOX_KEY_PREFIX} keys to the sandbox.`,
	not_found:
		'Check the client ID and, for templates, the template name and language code: they must match what is registered in IntelliPortal.',
	conflict: 'The record already exists. Use the existing client instead of onboarding it again.',
	rate_limited:
		'IntelliPortal kept rate-limiting the requests after the node waited and retried. Lower the concurrency or the requests per second in the node options, or run the workflow later.',
	server:
		'IntelliPortal failed to process the request. Try again later; messages that were not confirmed may still have been sent, check before re-sending.',
	network:
		'The IntelliPortal API could not be reached or did not answer. Check the network and the credential environment or Base URL.',
	configuration:
		'Open the IntelliPortal credential and check the API key prefix, the environment and the Base URL.',
	cancelled:
		'The execution was stopped before this message was sent. Nothing was sent for it; run it again to send it.',
	wait_budget_spent:
		'IntelliPortal kept rate-limiting this run until its Wait Budget (an option of the node) was spent. Nothing was sent for this item; run it again later, or raise the Wait Budget.',
};

function categoryOf(error: IntelliPortalError): string {
	const name = error.constructor.name;
	if (error.code === 'wait_budget_spent') return 'wait_budget_spent';
	if (error instanceof ValidationError) return 'validation';
	if (name === 'AuthenticationError') return 'authentication';
	if (name === 'NotFoundError') return 'not_found';
	if (name === 'ConflictError') return 'conflict';
	if (name === 'RateLimitError') return 'rate_limited';
	if (name === 'ServerError') return 'server';
	if (name === 'NetworkError') return 'network';
	if (name === 'ConfigurationError') return 'configuration';
	if (name === 'CancelledError') return 'cancelled';
	return 'server';
}

/** A validation error found before any request, about what the user filled in. */
function isClientSideValidation(error: unknown): error is ValidationError {
	return error instanceof ValidationError && error.httpStatus === undefined;
}

/** n8n's words for a request that got no answer, from the core's facts. */
function networkMessage(error: NetworkError): string {
	const code = error.transportCode;
	const suffix = code ? ` (${code})` : '';
	if (code === 'RUN_STOPPED')
		return 'The execution was stopped while the request was on its way to IntelliPortal';
	if (error.phase === 'connect') {
		// Without a code, n8n itself refused before sending (no credential…): its own words.
		return code ? `Could not connect to the IntelliPortal API${suffix}` : error.detail;
	}
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

/**
 * The message of a core error: client-side validation problems name the node's fields by their
 * display names ("Text", "Media URL"), a network failure is worded here from its facts,
 * everything else keeps the core's (redacted) message.
 */
function messageOf(error: IntelliPortalError, apiKey: string): string {
	const message = isClientSideValidation(error)
		? describeValidationError(error)
		: error instanceof NetworkError
			? networkMessage(error)
			: error.message;
	return scrubSecret(message, apiKey);
}

/** The continueOnFail item body for a failed item: what happened and whether it may have gone out. */
export function errorItemJson(error: unknown, apiKey: string): JsonObject {
	if (error instanceof IntelliPortalError) {
		const body: JsonObject = {
			code: error.code,
			message: messageOf(error, apiKey),
			retryable: error.retryable,
			mayHaveBeenSent: error.mayHaveBeenSent,
		};
		if (error.httpStatus !== undefined) body.httpStatus = error.httpStatus;
		if (error instanceof ValidationError && error.field) body.field = error.field;
		return { error: body };
	}
	const message = error instanceof Error ? error.message : String(error);
	return {
		error: {
			code: 'node_error',
			message: scrubSecret(message, apiKey),
			retryable: false,
			mayHaveBeenSent: false,
		},
	};
}

/**
 * Maps a core error to n8n's error classes: input problems (client-side validation, bad
 * credential configuration) become NodeOperationError naming the field; anything the API or the
 * network answered becomes NodeApiError carrying the server's message and the HTTP status.
 */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
	apiKey: string,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (!(error instanceof IntelliPortalError)) {
		const message = error instanceof Error ? error.message : String(error);
		return new NodeOperationError(node, scrubSecret(message, apiKey), { itemIndex });
	}
	const category = categoryOf(error);
	const message = messageOf(error, apiKey);
	let description = WHAT_TO_DO[category];
	const retryAfterMs = (error as { retryAfterMs?: number }).retryAfterMs;
	if (category === 'rate_limited' && retryAfterMs !== undefined)
		description += ` IntelliPortal asked to wait ${Math.ceil(retryAfterMs / 1000)} s.`;
	if (isClientSideValidation(error) && error.issues.length > 0) {
		const paths = [...new Set(error.issues.map((issue) => issue.field))].join(', ');
		description += ` (API field${error.issues.length > 1 ? 's' : ''}: ${scrubSecret(paths, apiKey)})`;
	}
	if (error.mayHaveBeenSent) {
		description +=
			' The request may have reached IntelliPortal before the failure, so it was not retried automatically.';
	}
	const clientSide = error.httpStatus === undefined;
	if (clientSide && (category === 'validation' || category === 'configuration')) {
		return new NodeOperationError(node, message, { itemIndex, description });
	}
	const safeJson = JSON.parse(scrubSecret(JSON.stringify(error.toJSON()), apiKey)) as JsonObject;
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
