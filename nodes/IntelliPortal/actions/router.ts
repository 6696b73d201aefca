import type { IExecuteFunctions, INodeExecutionData, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { errorItemJson } from '../errors';
import { own } from '../fields';
import { RESOURCES } from './resourceAndOperation';
import type { VersionSettings } from './versionSettings';

/** One operation: its Operation dropdown entry and what it runs. */
export interface OperationModule {
	option: INodePropertyOptions;
	execute(
		this: IExecuteFunctions,
		items: INodeExecutionData[],
		version: VersionSettings,
	): Promise<INodeExecutionData[]>;
}

/** The operations one version runs, by resource and operation value. */
export type VersionOperations = Record<string, Record<string, OperationModule>>;

function resourceName(resource: string): string {
	return RESOURCES.find((option) => option.value === resource)?.name ?? resource;
}

function shortText(value: unknown): string {
	const text = String(value);
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** A resource the version does not have (a hand-edited or imported workflow). */
function unknownResource(
	ctx: IExecuteFunctions,
	operations: VersionOperations,
	resource: string,
): NodeOperationError {
	const names = Object.keys(operations).map(resourceName).join(', ');
	return new NodeOperationError(
		ctx.getNode(),
		`"Resource" must be one of ${names}, got "${shortText(resource)}"`,
		{ itemIndex: 0 },
	);
}

/** An operation the version does not run for the resource. */
function unknownOperation(
	ctx: IExecuteFunctions,
	ofResource: Record<string, OperationModule>,
	resource: string,
	operation: string,
): NodeOperationError {
	const names = Object.values(ofResource)
		.map((module) => module.option.name)
		.join(', ');
	return new NodeOperationError(
		ctx.getNode(),
		`"Operation" must be one of ${names} for the resource ${resourceName(resource)}, got "${shortText(operation)}"`,
		{ itemIndex: 0 },
	);
}

/** With "Continue On Fail" every item reports the error; otherwise the error stops the node. */
function failEveryItem(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	error: NodeOperationError,
): INodeExecutionData[] {
	if (!ctx.continueOnFail()) throw error;
	return items.map((_, i) => ({ json: errorItemJson(error, ''), pairedItem: { item: i } }));
}

/**
 * Runs the operation the node's parameters select among those the version runs. Resource and
 * operation are read once for the whole run, as n8n does.
 */
export async function router(
	this: IExecuteFunctions,
	operations: VersionOperations,
	version: VersionSettings,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	// Own keys only: a saved "constructor" or "__proto__" is not a resource or an operation.
	const ofResource = own(operations, resource);
	// Checked before Operation is read: n8n has no Operation parameter for an unknown resource.
	if (!ofResource) return [failEveryItem(this, items, unknownResource(this, operations, resource))];
	const operation = this.getNodeParameter('operation', 0) as string;
	const module = own(ofResource, operation);
	if (!module) {
		return [failEveryItem(this, items, unknownOperation(this, ofResource, resource, operation))];
	}
	return [await module.execute.call(this, items, version)];
}
