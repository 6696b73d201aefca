import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { IntelliPortalClient } from '../../../../shared';
import { readParameter, toBoolean, toNumber } from '../../fields';
import { perItem } from '../executePerItem';

export { getAllOption as option } from './clientFields';

async function listForItem(
	ctx: IExecuteFunctions,
	client: IntelliPortalClient,
	itemIndex: number,
): Promise<IDataObject[]> {
	const returnAll = toBoolean(
		ctx,
		'returnAll',
		itemIndex,
		readParameter(ctx, 'returnAll', itemIndex, false),
		false,
	);
	const clients = returnAll
		? await client.listAllClients()
		: await client.listAllClients({
				max: toNumber(ctx, 'limit', itemIndex, readParameter(ctx, 'limit', itemIndex, 50), {
					fallback: 50,
					min: 1,
					max: Number.MAX_SAFE_INTEGER,
					whole: true,
				}),
			});
	return clients.map((entry) => entry as unknown as IDataObject);
}

/** Client → Get Many: the clients (all, or up to Limit) for each input item. */
export const execute = perItem(listForItem);
