import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
} from 'n8n-workflow';

import {
	sendAndWaitWebhook,
	sendAndWaitWebhooks,
	waitingNodeTooltip,
} from '../actions/message/sendAndWaitWebhook';
import { router } from '../actions/router';
import { versionDescription } from '../actions/versionDescription';
import { searchClients } from '../methods/listSearch';
import { SUBTITLE } from './display';
import { properties } from './properties';

/** Version 2, the default for new nodes: new operations and options land here. */
export class IntelliPortalV2 implements INodeType {
	description: INodeTypeDescription;

	/** The base (name, icon, …) comes from IntelliPortal.node.ts, which n8n loads. */
	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...versionDescription(baseDescription, 2, properties),
			// "Send: Message" under the node on the canvas (version 1: "send: message").
			subtitle: SUBTITLE,
			// Send and Wait's waiting webhooks (only n8n's waiting executions call them).
			webhooks: sendAndWaitWebhooks,
			waitingNodeTooltip,
		};
	}

	methods = { listSearch: { searchClients } };

	webhook = sendAndWaitWebhook;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this, properties);
	}
}
