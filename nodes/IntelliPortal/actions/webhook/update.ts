import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { IntelliPortalClient } from '../../../../shared';
import { webhookConfigForDisplay } from '../../../../shared';
import { parameterError, readParameter } from '../../fields';
import { perItem } from '../executePerItem';

export { updateOption as option } from './webhookFields';

async function updateForItem(
	ctx: IExecuteFunctions,
	client: IntelliPortalClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	// Both fields are required here: for the API a PUT without a URL keeps the old one and a
	// PUT without events subscribes to every event, so an expression resolving to nothing
	// must not reach it.
	const url = readParameter(ctx, 'url', itemIndex, '');
	if (url === undefined) throw parameterError(ctx, 'url', itemIndex, 'is required');
	const events = readParameter(ctx, 'events', itemIndex, []);
	if (events === undefined) throw parameterError(ctx, 'events', itemIndex, 'is required');
	const config = await client.updateWebhookConfig({ url, events });
	return [webhookConfigForDisplay(config) as unknown as IDataObject];
}

/** Webhook → Update Configuration, once per input item. */
export const execute = perItem(updateForItem);
