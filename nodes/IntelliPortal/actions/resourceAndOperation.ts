import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** The resources, as the Resource dropdown lists them (the router names them in its errors too). */
export const RESOURCES: INodePropertyOptions[] = [
	{ name: 'Client', value: 'client' },
	{ name: 'Message', value: 'message' },
	{ name: 'Webhook', value: 'webhook' },
];

export const resourceField: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: RESOURCES,
	default: 'message',
};

/** One resource's Operation dropdown, listing the given operations' entries. */
export function operationField(
	resource: string,
	operations: INodePropertyOptions[],
	defaultOperation: string,
): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: operations,
		default: defaultOperation,
	};
}
