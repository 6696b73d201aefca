import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import {
	PRODUCTION_BASE_URL,
	PRODUCTION_KEY_PREFIX,
	SANDBOX_BASE_URL,
	SANDBOX_KEY_PREFIX,
} from '../shared/environment';

/**
 * The server for the credential test, as an n8n expression (a credential test runs no code),
 * built from the core's prefixes and URLs so that it picks the server resolveEnvironment picks:
 * Production/Sandbox as chosen, Auto from the key prefix, Custom the Base URL as entered without
 * a trailing slash. A key with neither prefix goes to the sandbox, which rejects it (401), so the
 * test fails as the core does (it refuses such a key) and such a key never reaches production.
 */
const TEST_BASE_URL = `={{ $credentials.environment === 'custom' ? String($credentials.baseUrl || '').trim().replace(/\\/+$/, '') : ($credentials.environment === 'production' || ($credentials.environment !== 'sandbox' && String($credentials.apiKey || '').trim().startsWith('${PRODUCTION_KEY_PREFIX}')) ? '${PRODUCTION_BASE_URL}' : '${SANDBOX_BASE_URL}') }}`;

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
				'Full API base URL including the version path, for example http://127.0.0.1:4010/v1',
			displayOptions: {
				show: {
					environment: ['custom'],
				},
			},
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey.trim()}}',
			},
		},
	};

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
