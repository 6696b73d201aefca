import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { IntelliPortalClient } from '../../../../shared';
import { readParameter, toBoolean, toNumber } from '../../fields';
import { perItem } from '../executePerItem';

const showForGetAll = { resource: ['client'], operation: ['getAll'] };

export const option: INodePropertyOptions = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List the clients onboarded to your partner account',
	action: 'Get many clients',
};

export const description: INodeProperties[] = [
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
