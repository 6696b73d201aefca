import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { sendMessages } from '../sendMessages';
import type { VersionSettings } from '../versionSettings';

export { sendOption as option } from './sendFields';

/** Message → Send for all input items, through the bulk sender. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	version: VersionSettings,
): Promise<INodeExecutionData[]> {
	return await sendMessages.call(this, items.length, 'send', version);
}
