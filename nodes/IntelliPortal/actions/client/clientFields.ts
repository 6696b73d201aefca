import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

export const onboardOption: INodePropertyOptions = {
	name: 'Onboard',
	value: 'onboard',
	description: 'Register a new client business',
	action: 'Onboard a client',
};

export const getAllOption: INodePropertyOptions = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List the clients onboarded to your partner account',
	action: 'Get many clients',
};

const showForOnboard = { resource: ['client'], operation: ['onboard'] };
const showForGetAll = { resource: ['client'], operation: ['getAll'] };

export const onboardFields: INodeProperties[] = [
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
];

export const getAllFields: INodeProperties[] = [
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
