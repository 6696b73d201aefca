import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import {
	connectionEnvironment,
	PRODUCTION_BASE_URL,
	PRODUCTION_KEY_PREFIX,
	resolveEnvironment,
	SANDBOX_BASE_URL,
	SANDBOX_KEY_PREFIX,
} from '../shared/environment';
import { parseHttpUrl } from '../shared/url';

/**
 * The server for the credential test, as an n8n expression (a test request is declarative),
 * built from the core's prefixes and URLs so that it picks the server resolveEnvironment picks:
 * Production/Sandbox as chosen, Auto from the key prefix, Custom the Base URL as entered without
 * a trailing slash. A setting the core refuses never gets a request: `authenticate` refuses it.
 */
const TEST_BASE_URL = `={{ $credentials.environment === 'custom' ? String($credentials.baseUrl || '').trim().replace(/\\/+$/, '') : ($credentials.environment === 'production' || ($credentials.environment !== 'sandbox' && String($credentials.apiKey || '').trim().startsWith('${PRODUCTION_KEY_PREFIX}')) ? '${PRODUCTION_BASE_URL}' : '${SANDBOX_BASE_URL}') }}`;

/** Where a request goes: its URL, or the URL joined to its baseURL as n8n's HTTP client does. */
function destination(request: IHttpRequestOptions): string {
	const url = String(request.url ?? '');
	if (/^[a-z][a-z\d+.-]*:/i.test(url) || !request.baseURL) return url;
	return `${request.baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
}

/** Scheme and host of a URL (never its path or query, which may hold another service's secret). */
function origin(url: string): string {
	const parsed = parseHttpUrl(url);
	return parsed
		? `${parsed.scheme}://${parsed.host}${parsed.port ? `:${parsed.port}` : ''}`
		: 'an invalid URL';
}

/**
 * Adds the key to a request only when the settings are valid and the request goes to their
 * server. A refusal (the core's message, as the node fails at runtime) happens before any
 * request, in the credential test too, so a key never reaches another server.
 */
export async function authenticateIntelliPortal(
	credentials: ICredentialDataDecryptedObject,
	request: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	let server: { apiKey: string; baseUrl: string };
	try {
		// As the node reads the credential (a Base URL left over from Custom counts for nothing).
		server = resolveEnvironment(connectionEnvironment(credentials));
	} catch (error) {
		// A plain Error: n8n's credential test shows a `code` instead of the message.
		throw new Error((error as Error).message);
	}
	const target = destination(request);
	const rest = target.startsWith(server.baseUrl) ? target.slice(server.baseUrl.length) : undefined;
	if (rest === undefined || !/^([/?]|$)/.test(rest)) {
		throw new Error(
			`The IntelliPortal API key is only sent to ${server.baseUrl}/…; this request goes elsewhere (${origin(target)})`,
		);
	}
	return {
		...request,
		headers: { ...request.headers, Authorization: `Bearer ${server.apiKey}` },
	};
}

const KEY_PREFIXES = `${PRODUCTION_KEY_PREFIX} keys use production, ${SANDBOX_KEY_PREFIX} keys use the sandbox`;

export class IntelliPortalApi implements ICredentialType {
	name = 'intelliPortalApi';

	displayName = 'IntelliPortal API';

	icon: Icon = {
		light: 'file:../icons/intelliPortal.svg',
		dark: 'file:../icons/intelliPortal.dark.svg',
	};

	documentationUrl =
		'https://github.com/intelliportal/n8n-nodes-intelliportal#credential-intelliportal-api';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: `${PRODUCTION_KEY_PREFIX}… or ${SANDBOX_KEY_PREFIX}…`,
			description: `Your IntelliPortal partner API key. ${KEY_PREFIXES}.`,
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			default: 'auto',
			options: [
				{
					name: 'Auto (From Key Prefix)',
					value: 'auto',
					description: KEY_PREFIXES,
				},
				{
					name: 'Production',
					value: 'production',
					description: PRODUCTION_BASE_URL,
				},
				{
					name: 'Sandbox',
					value: 'sandbox',
					description: SANDBOX_BASE_URL,
				},
				{
					name: 'Custom',
					value: 'custom',
					description: 'A gateway or local sandbox emulator at a URL you enter',
				},
			],
			description: 'Which IntelliPortal server this key talks to',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://gateway.example.com/v1',
			description:
				'Full API base URL including the version path, for example https://gateway.example.com/v1. Plain http only for this machine (a local emulator: localhost, 127.0.0.0/8, [::1]).',
			displayOptions: {
				show: {
					environment: ['custom'],
				},
			},
		},
	];

	authenticate = authenticateIntelliPortal;

	test: ICredentialTestRequest = {
		request: {
			baseURL: TEST_BASE_URL,
			url: '/clients',
			method: 'GET',
			qs: { limit: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: `IntelliPortal rejected the API key (401). Check that you pasted the whole key and that it matches the environment: ${PRODUCTION_KEY_PREFIX} keys for production, ${SANDBOX_KEY_PREFIX} keys for the sandbox.`,
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'The API key was recognised but is not allowed to list clients (403). Use a partner API key with access to this account.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No IntelliPortal API was found at this address (404). If you use a custom Base URL, include the version path, for example https://gateway.example.com/v1.',
				},
			},
		],
	};
}
