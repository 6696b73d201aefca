import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
} from 'n8n-workflow';

import * as getAll from '../actions/client/getAll';
import * as onboard from '../actions/client/onboard';
import * as send from '../actions/message/send';
import * as sendAndWait from '../actions/message/sendAndWait';
import {
	sendAndWaitWebhook,
	sendAndWaitWebhooks,
	waitingNodeTooltip,
} from '../actions/message/sendAndWaitWebhook';
import { DEFAULT_WAIT_BUDGET_MINUTES } from '../actions/message/sendFields';
import * as sendTemplate from '../actions/message/sendTemplate';
import { router } from '../actions/router';
import type { VersionOperations } from '../actions/router';
import { versionDescription } from '../actions/versionDescription';
import type { VersionSettings } from '../actions/versionSettings';
import * as get from '../actions/webhook/get';
import * as update from '../actions/webhook/update';
import { searchClients } from '../methods/listSearch';
import { properties } from './properties';

/** The canvas subtitle, e.g. "Send: Message" (version 1 shows the values: "send: message"). */
const SUBTITLE =
	'={{ (({ send: "Send", sendTemplate: "Send Template", sendAndWait: "Send and Wait", onboard: "Onboard", getAll: "Get Many", get: "Get Configuration", update: "Update Configuration" })[$parameter["operation"]] ?? $parameter["operation"]) + ": " + (({ message: "Message", client: "Client", webhook: "Webhook" })[$parameter["resource"]] ?? $parameter["resource"]) }}';

/** Version 2, the default for new nodes: new operations and options land here. */
export class IntelliPortalV2 implements INodeType {
	/** What this version runs: what its Operation dropdowns list. */
	static readonly operations: VersionOperations = {
		message: { send, sendTemplate, sendAndWait },
		client: { getAll, onboard },
		webhook: { get, update },
	};

	static readonly settings: VersionSettings = { waitBudgetMinutes: DEFAULT_WAIT_BUDGET_MINUTES };

	description: INodeTypeDescription;

	/** The base (name, icon, …) comes from IntelliPortal.node.ts, which n8n loads. */
	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...versionDescription(baseDescription, 2, properties),
			subtitle: SUBTITLE,
			// Send and Wait's waiting webhooks (only n8n's waiting executions call them).
			webhooks: sendAndWaitWebhooks,
			waitingNodeTooltip,
		};
	}

	methods = { listSearch: { searchClients } };

	webhook = sendAndWaitWebhook;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this, IntelliPortalV2.operations, IntelliPortalV2.settings);
	}
}
