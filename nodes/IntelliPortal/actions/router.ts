import type { IExecuteFunctions, INodeExecutionData, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { failEveryItem } from '../errors';
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

/** A resource or operation the version does not have (a hand-edited or imported workflow). */
function notOneOf(
	ctx: IExecuteFunctions,
	parameter: string,
	names: string[],
	got: string,
	scope = '',
) {
	const text = String(got);
	const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
	return new NodeOperationError(
		ctx.getNode(),
		`"${parameter}" must be one of ${names.join(', ')}${scope}, got "${shown}"`,
		{ itemIndex: 0 },
	);
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
	if (!ofResource) {
		const names = Object.keys(operations).map(resourceName);
		return [failEveryItem(this, notOneOf(this, 'Resource', names, resource), items.length)];
	}
	const operation = this.getNodeParameter('operation', 0) as string;
	const module = own(ofResource, operation);
	if (!module) {
		const names = Object.values(ofResource).map((m) => m.option.name);
		const scope = ` for the resource ${resourceName(resource)}`;
		const error = notOneOf(this, 'Operation', names, operation, scope);
		return [failEveryItem(this, error, items.length)];
	}
	return [await module.execute.call(this, items, version)];
}
