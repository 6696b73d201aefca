import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ClientSignupInput, IntelliPortalClient } from '../../../../shared';
import { own, readCollection, readParameter } from '../../fields';
import { perItem } from '../executePerItem';

export { onboardOption as option } from './clientFields';

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
