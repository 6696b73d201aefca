import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { ClientSignupInput, IntelliPortalClient } from '../../../../shared';
import { own, readCollection, readParameter } from '../../fields';
import { perItem } from '../executePerItem';

const showForOnboard = { resource: ['client'], operation: ['onboard'] };

export const option: INodePropertyOptions = {
	name: 'Onboard',
	value: 'onboard',
	description: 'Register a new client business',
	action: 'Onboard a client',
};

export const description: INodeProperties[] = [
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

async function onboardOne(
	ctx: IExecuteFunctions,
	client: IntelliPortalClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const additional = readCollection(ctx, 'additionalFields', itemIndex);
	const input: ClientSignupInput = {
		business_name: readParameter(ctx, 'businessName', itemIndex, ''),
		phone_number_id: readParameter(ctx, 'phoneNumberId', itemIndex, ''),
	};
	const wabaId = own(additional, 'wabaId');
	if (wabaId !== undefined && wabaId !== '') input.waba_id = wabaId;
	const callbackUrl = own(additional, 'callbackUrl');
	if (callbackUrl !== undefined && callbackUrl !== '') input.callback_url = callbackUrl;
	const created = await client.onboardClient(input);
	return [created as unknown as IDataObject];
}

/** Client → Onboard: one client per input item. */
export const execute = perItem(onboardOne);
