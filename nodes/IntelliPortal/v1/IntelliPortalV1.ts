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
import * as sendTemplate from '../actions/message/sendTemplate';
import { router } from '../actions/router';
import type { VersionOperations } from '../actions/router';
import { versionDescription } from '../actions/versionDescription';
import type { VersionSettings } from '../actions/versionSettings';
import * as get from '../actions/webhook/get';
import * as update from '../actions/webhook/update';
import { searchClients } from '../methods/listSearch';
import { properties } from './properties';

/** Version 1, frozen: saved workflows with typeVersion 1 run on exactly this. */
export class IntelliPortalV1 implements INodeType {
	/** What this version runs: what its Operation dropdowns list. */
	static readonly operations: VersionOperations = {
		message: { send, sendTemplate },
		client: { getAll, onboard },
		webhook: { get, update },
	};

	/** No wait budget: its saved workflows keep waiting on rate limits as they always did. */
	static readonly settings: VersionSettings = {};

	description: INodeTypeDescription;

	/** The base (name, icon, …) comes from IntelliPortal.node.ts, which n8n loads. */
	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = versionDescription(baseDescription, 1, properties);
	}

	methods = { listSearch: { searchClients } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this, IntelliPortalV1.operations, IntelliPortalV1.settings);
	}
}
