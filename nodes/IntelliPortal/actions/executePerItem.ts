import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { IntelliPortalClient } from '../../../shared';
import { errorItemJson, failEveryItem, toNodeError } from '../errors';
import { getIntelliPortalClient } from '../transport/apiClient';

/** One item's work: the API results it produced (one output item each). */
export type ItemOperation = (
	ctx: IExecuteFunctions,
	client: IntelliPortalClient,
	itemIndex: number,
) => Promise<IDataObject[]>;

/**
 * Runs an operation item by item on one core client. A failed item becomes an error item with
 * "Continue On Fail", else it stops the node naming the item; a credential problem fails them all.
 */
export async function executePerItem(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	operation: ItemOperation,
): Promise<INodeExecutionData[]> {
	let client: IntelliPortalClient;
	let apiKey = '';
	try {
		({ client, apiKey } = await getIntelliPortalClient.call(this));
	} catch (error) {
		return failEveryItem(this, error, items.length, apiKey);
	}

	const returnData: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const results = await operation(this, client, i);
			for (const json of results) returnData.push({ json, pairedItem: { item: i } });
		} catch (error) {
			if (this.continueOnFail()) {
				returnData.push({ json: errorItemJson(error, apiKey), pairedItem: { item: i } });
				continue;
			}
			throw toNodeError(this.getNode(), error, i, apiKey);
		}
	}
	return returnData;
}

/** An operation module's `execute` that runs `operation` item by item (executePerItem). */
export function perItem(operation: ItemOperation) {
	return async function execute(
		this: IExecuteFunctions,
		items: INodeExecutionData[],
	): Promise<INodeExecutionData[]> {
		return await executePerItem.call(this, items, operation);
	};
}
