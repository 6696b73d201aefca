import type { INodeProperties, INodeTypeBaseDescription, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/**
 * What every version declares alike, on the base from IntelliPortal.node.ts (name, icon, …). A
 * change here reaches the frozen version 1: what differs goes into a version's properties or class.
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
