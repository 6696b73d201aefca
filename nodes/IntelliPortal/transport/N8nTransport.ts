import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { TransportFailure, failureOf, normaliseHeaders } from '../../../shared';
import type { Transport, TransportRequest, TransportResponse } from '../../../shared';

export const CREDENTIAL_TYPE = 'intelliPortalApi';

/** Every n8n context our nodes call the API from; all of them carry the request helpers. */
export type N8nHttpContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IWebhookFunctions;

const MAX_CAUSE_DEPTH = 6;

/** n8n's HTTP layer marks errors raised while a request was on the wire with this symbol. */
const HTTP_REQUEST_ERROR = Symbol.for('n8n.backend-network.http-request-error');

function causes(error: unknown): object[] {
	const chain: object[] = [];
	let current: unknown = error;
	for (let depth = 0; depth < MAX_CAUSE_DEPTH; depth++) {
		if (typeof current !== 'object' || current === null || chain.includes(current)) break;
		chain.push(current);
		current = (current as { cause?: unknown }).cause;
	}
	return chain;
}

/**
 * True when the failure happened on the wire (HTTP layer), false when n8n failed before sending
 * anything (missing credential, credential expression error).
 */
export function isWireFailure(error: unknown): boolean {
	return causes(error).some(
		(entry) =>
			(entry as Record<symbol, unknown>)[HTTP_REQUEST_ERROR] === true ||
			(entry as { isAxiosError?: unknown }).isAxiosError === true ||
			typeof (entry as { code?: unknown }).code === 'string',
	);
}

/** n8n's own error classes for a refusal it raised itself, not one from the HTTP layer. */
const N8N_OWN_ERRORS = new Set(['NodeOperationError', 'OperationalError', 'ApplicationError']);

/**
 * n8n's own "could not prepare the request" error: a NodeOperationError whose causes are all
 * n8n's own errors (no HTTP error, no abort under it).
 */
function isPreparationError(error: unknown): boolean {
	return (
		error instanceof NodeOperationError &&
		causes(error).every((entry) => N8N_OWN_ERRORS.has(entry.constructor?.name ?? ''))
	);
}

function innermostMessage(error: unknown): string {
	const chain = causes(error);
	for (let index = chain.length - 1; index >= 0; index--) {
		const message = (chain[index] as { message?: unknown }).message;
		if (typeof message === 'string' && message.trim() !== '') return message;
	}
	return 'The request could not be prepared';
}

/** Finds the first Node/axios error code (`ECONNREFUSED`, …) on an error or its causes. */
export function findErrorCode(error: unknown): string | undefined {
	for (const entry of causes(error)) {
		const code = (entry as { code?: unknown }).code;
		if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
	}
	return undefined;
}

/**
 * Turns n8n's request error into the core's TransportFailure: only a fixed message and the error
 * code survive, never n8n's error object (its cause holds the request configuration, headers
 * included).
 */
export function toTransportFailure(error: unknown, timeoutMs: number): TransportFailure {
	if (!isWireFailure(error) && isPreparationError(error)) {
		// n8n refused before sending (no credential selected, credential expression error): its
		// own NodeOperationError with no HTTP error under it; nothing left this machine.
		return new TransportFailure(innermostMessage(error), { phase: 'connect' });
	}
	// Anything else may have happened after the request left (an abort, an unknown failure):
	// the core's one verdict applies, only a code that proves "never sent" makes it 'connect'.
	return failureOf(findErrorCode(error), { timeoutMs });
}

interface FullResponse {
	statusCode?: unknown;
	status?: unknown;
	headers?: unknown;
	body?: unknown;
}

/**
 * The core's Transport on n8n: httpRequestWithAuthentication (n8n adds the bearer header, so the
 * core never sees the key) and n8n-workflow's sleep. A failure keeps only its phase and code:
 * n8n's request error holds the request configuration, headers included. With `keyPerRun` the
 * core adds the header from the key read once per run and requests go through httpRequest: n8n
 * resolving the credential's header template per request was a fifth of a bulk send's CPU.
 */
export class N8nTransport implements Transport {
	readonly authenticates: boolean;

	private credentials: ICredentialsDecrypted | undefined;

	private readonly abortSignal: IHttpRequestOptions['abortSignal'];

	constructor(
		private readonly context: N8nHttpContext,
		perRun: { keyPerRun?: boolean; abortSignal?: IHttpRequestOptions['abortSignal'] } = {},
	) {
		this.authenticates = perRun.keyPerRun !== true;
		this.abortSignal = perRun.abortSignal;
	}

	/**
	 * Hands n8n the credential this node already read, so that each request does not fetch and
	 * decrypt it again (a database read and a decryption per message in a bulk send). n8n still
	 * applies the credential's authentication to every request.
	 */
	reuseCredentials(data: ICredentialDataDecryptedObject): void {
		const reference = this.context.getNode().credentials?.[CREDENTIAL_TYPE];
		this.credentials = {
			id: reference?.id ?? '',
			name: reference?.name ?? '',
			type: CREDENTIAL_TYPE,
			data,
		};
	}

	/**
	 * Reads the credential before the first request, so that n8n failing to provide it (none
	 * selected, not found, an expression error) is provably a failure before sending, told apart
	 * from any failure of the HTTP helper (which is never assumed to be "not sent").
	 */
	private async readCredentialsOnce(): Promise<void> {
		const outcome = await this.context.getCredentials(CREDENTIAL_TYPE).then(
			(data: ICredentialDataDecryptedObject) => ({ data }),
			(error: unknown) => ({
				failure: new TransportFailure(innermostMessage(error), { phase: 'connect' }),
			}),
		);
		if ('failure' in outcome) throw outcome.failure;
		this.reuseCredentials(outcome.data);
	}

	async request(req: TransportRequest): Promise<TransportResponse> {
		if (this.authenticates && !this.credentials) await this.readCredentialsOnce();
		const options: IHttpRequestOptions = {
			method: req.method as IHttpRequestMethods,
			url: req.url,
			headers: { Accept: 'application/json', ...req.headers },
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: req.timeoutMs,
		};
		if (req.body !== undefined) options.body = req.body as IDataObject;

		const outcome = await this.send(options).then(
			(response: unknown) => ({ response: response as FullResponse }),
			(error: unknown) => ({ failure: toTransportFailure(error, req.timeoutMs) }),
		);
		if ('failure' in outcome) throw outcome.failure;
		const { response } = outcome;

		const status = Number(response?.statusCode ?? response?.status);
		return {
			status: Number.isInteger(status) ? status : 0,
			headers: normaliseHeaders(response?.headers),
			body: response?.body,
		};
	}

	private async send(options: IHttpRequestOptions): Promise<unknown> {
		const { helpers } = this.context;
		if (this.authenticates) {
			const credentialsDecrypted = this.credentials;
			return await helpers.httpRequestWithAuthentication.call(
				this.context,
				CREDENTIAL_TYPE,
				options,
				credentialsDecrypted ? { credentialsDecrypted } : undefined,
			);
		}
		// httpRequestWithAuthentication adds the execution's cancel signal; httpRequest does not.
		if (this.abortSignal) options.abortSignal = this.abortSignal;
		return await helpers.httpRequest.call(this.context, options);
	}

	async sleep(ms: number): Promise<void> {
		await sleep(ms);
	}

	now(): number {
		return Date.now();
	}
}
