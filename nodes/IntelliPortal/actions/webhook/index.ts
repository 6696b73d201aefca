import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../operationProperty';
import * as get from './get';
import * as update from './update';

export { get, update };

/** Webhook: the Operation dropdown and the parameters of its operations, as version 1 shows them. */
export const description: INodeProperties[] = [
	operationProperty('webhook', [get, update], 'get'),
	...get.description,
	...update.description,
];
