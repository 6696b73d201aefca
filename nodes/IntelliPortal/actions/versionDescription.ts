import type { INodeProperties, INodeTypeBaseDescription, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/**
 * A version's full description: the base from IntelliPortal.node.ts (name, icon, …) and what
 * every version declares alike. A change here reaches version 1 too (test/n8n/versions.test.ts
 * then fails): what differs between versions goes into the version's own properties or class.
 */
export function versionDescription(
	baseDescription: INodeTypeBaseDescription,
	version: number,
	properties: INodeProperties[],
): INodeTypeDescription {
	return {
		...baseDescription,
		version,
		defaults: {
			name: 'IntelliPortal',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'intelliPortalApi',
				required: true,
			},
		],
		properties,
	};
}
