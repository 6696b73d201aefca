import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { errorItemJson } from '../errors';
import * as client from './client';
import * as message from './message';
import * as sendAndWait from './message/sendAndWait';
import * as webhook from './webhook';

/** What every operation module exports besides its description. */
export type OperationExecute = (
	this: IExecuteFunctions,
	items: INodeExecutionData[],
) => Promise<INodeExecutionData[]>;

/**
 * Every operation module of every version, by resource and operation value. Which of them a
 * version offers is decided by that version's description (its Operation dropdowns), so an
 * operation added for version 2 stays unknown to version 1.
 */
const OPERATIONS: Record<string, Record<string, { execute: OperationExecute }>> = {
	message: { send: message.send, sendTemplate: message.sendTemplate, sendAndWait },
	client: { getAll: client.getAll, onboard: client.onboard },
	webhook: { get: webhook.get, update: webhook.update },
};

interface OfferedOperations {
	/** Resource value → display name, in the order the description lists the resources' operations. */
	resources: Map<string, string>;
	/** Resource value → its Operation dropdown entries. */
	operations: Map<string, INodePropertyOptions[]>;
}

/** The resources and operations a version's description offers. */
function offeredBy(properties: INodeProperties[]): OfferedOperations {
	const resourceOptions = (properties.find((p) => p.name === 'resource')?.options ??
		[]) as INodePropertyOptions[];
	const operations = new Map<string, INodePropertyOptions[]>();
	for (const property of properties) {
		if (property.name !== 'operation') continue;
		const resource = property.displayOptions?.show?.resource?.[0];
		if (typeof resource === 'string')
			operations.set(resource, (property.options ?? []) as INodePropertyOptions[]);
	}
	const resources = new Map<string, string>();
	for (const resource of operations.keys()) {
		const option = resourceOptions.find((entry) => entry.value === resource);
		resources.set(resource, option ? option.name : resource);
	}
	return { resources, operations };
}

function shortText(value: unknown): string {
	const text = String(value);
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** An operation the version does not offer (a hand-edited or imported workflow). */
function unsupportedOperation(
	ctx: IExecuteFunctions,
	offered: OfferedOperations,
	resource: string,
	operation: string,
): NodeOperationError {
	const options = offered.operations.get(resource);
	if (!options) {
		return new NodeOperationError(
			ctx.getNode(),
			`"Resource" must be one of ${[...offered.resources.values()].join(', ')}, got "${shortText(resource)}"`,
			{ itemIndex: 0 },
		);
	}
	const names = options.map((option) => option.name).join(', ');
	return new NodeOperationError(
		ctx.getNode(),
		`"Operation" must be one of ${names} for the resource ${offered.resources.get(resource)}, got "${shortText(operation)}"`,
		{ itemIndex: 0 },
	);
}

/**
 * Runs the operation the node's parameters select, among those `properties` (one version's
 * description) offers. Resource and operation are read once for the whole run, as n8n does.
 */
export async function router(
	this: IExecuteFunctions,
	properties: INodeProperties[],
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;

	const offered = offeredBy(properties);
	const isOffered =
		offered.operations.get(resource)?.some((option) => option.value === operation) === true;
	const module = isOffered ? OPERATIONS[resource]?.[operation] : undefined;
	if (!module) {
		const error = unsupportedOperation(this, offered, resource, operation);
		if (!this.continueOnFail()) throw error;
		return [items.map((_, i) => ({ json: errorItemJson(error, ''), pairedItem: { item: i } }))];
	}
	return [await module.execute.call(this, items)];
}
