import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Resolves the API server for the credential test from the Environment setting, the same way
 * the API core does for node requests: Auto picks production for `ik_live_` keys and the sandbox
 * otherwise (an unknown prefix then fails the test with the server's 401 instead of silently
 * talking to production); Custom uses the Base URL as entered, without a trailing slash.
 */
const TEST_BASE_URL =
	"={{ $credentials.environment === 'custom' ? String($credentials.baseUrl || '').trim().replace(/\\/+$/, '') : ($credentials.environment === 'production' || ($credentials.environment !== 'sandbox' && String($credentials.apiKey || '').trim().startsWith('ik_live_')) ? 'https://api.intelliportal.io/v1' : 'https://sandbox.intelliportal.io/v1') }}";

export class IntelliPortalApi implements ICredentialType {
	name = 'intelliPortalApi';

	displayName = 'IntelliPortal API';

	icon: Icon = {
		light: 'file:../icons/intelliPortal.svg',
		dark: 'file:../icons/intelliPortal.dark.svg',
	};

	documentationUrl = 'https://github.com/intelliportal/n8n-nodes-intelliportal#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'ik_live_… or ik_test_…',
			description:
				'Your IntelliPortal partner API key. Keys starting with ik_live_ use production, keys starting with ik_test_ use the sandbox.',
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
					description: 'Keys starting with ik_live_ use production, ik_test_ keys use the sandbox',
				},
				{
					name: 'Production',
					value: 'production',
					description: 'https://api.intelliportal.io/v1',
				},
				{
					name: 'Sandbox',
					value: 'sandbox',
					description: 'https://sandbox.intelliportal.io/v1',
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
					message:
						'IntelliPortal rejected the API key (401). Check that you pasted the whole key and that it matches the environment: ik_live_ keys for production, ik_test_ keys for the sandbox.',
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
