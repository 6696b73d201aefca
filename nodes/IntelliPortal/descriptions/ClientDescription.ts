import type { INodeProperties } from 'n8n-workflow';

const showForClient = { resource: ['client'] };
const showForOnboard = { resource: ['client'], operation: ['onboard'] };
const showForGetAll = { resource: ['client'], operation: ['getAll'] };

export const clientOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: showForClient },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the clients onboarded to your partner account',
				action: 'Get many clients',
			},
			{
				name: 'Onboard',
				value: 'onboard',
				description: 'Register a new client business',
				action: 'Onboard a client',
			},
		],
		default: 'onboard',
	},
];

export const clientFields: INodeProperties[] = [
	{
		displayName: 'Business Name',
		name: 'businessName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Acme Coffee Roasters',
		description: 'Legal or display name of the client business',
		displayOptions: { show: showForOnboard },
	},
	{
		displayName: 'Phone Number ID',
		name: 'phoneNumberId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 106540352242922',
		description: 'The WhatsApp Business phone number ID of the client',
		displayOptions: { show: showForOnboard },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: showForOnboard },
		options: [
			{
				displayName: 'WABA ID',
				name: 'wabaId',
				type: 'string',
				default: '',
				description: 'The WhatsApp Business Account ID of the client',
			},
			{
				displayName: 'Callback URL',
				name: 'callbackUrl',
				type: 'string',
				default: '',
				placeholder: 'https://example.com/intelliportal/callback',
				description: 'URL IntelliPortal calls when the client finishes the signup flow',
			},
		],
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show: showForGetAll },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: { show: { ...showForGetAll, returnAll: [false] } },
	},
];
