import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { IntelliPortalClient } from '../../../../shared';
import { webhookConfigForDisplay } from '../../../../shared';
import { perItem } from '../executePerItem';

export { getOption as option } from './webhookFields';

async function getForItem(
	_ctx: IExecuteFunctions,
	client: IntelliPortalClient,
): Promise<IDataObject[]> {
	// The delivery secret in the URL would let anyone who can read this execution start the
	// workflow it belongs to: shown as `secretSet`, never as its value (all node versions).
	const config = await client.getWebhookConfig();
	return [webhookConfigForDisplay(config) as unknown as IDataObject];
}

/** Webhook → Get Configuration, once per input item. */
export const execute = perItem(getForItem);
