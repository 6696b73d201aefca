import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
} from 'n8n-workflow';

import { router } from '../actions/router';
import { versionDescription } from '../actions/versionDescription';
import { searchClients } from '../methods/listSearch';
import { properties } from './properties';

/** Version 1, frozen: saved workflows with typeVersion 1 run on exactly this. */
export class IntelliPortalV1 implements INodeType {
	description: INodeTypeDescription;

	/** The base (name, icon, …) comes from IntelliPortal.node.ts, which n8n loads. */
	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = versionDescription(baseDescription, 1, properties);
	}

	methods = { listSearch: { searchClients } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this, properties);
	}
}
