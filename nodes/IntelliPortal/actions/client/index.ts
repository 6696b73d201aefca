import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../operationProperty';
import * as getAll from './getAll';
import * as onboard from './onboard';

export { getAll, onboard };

/** Client: the Operation dropdown and the parameters of its operations, as version 1 shows them. */
export const description: INodeProperties[] = [
	operationProperty('client', [getAll, onboard], 'onboard'),
	...onboard.description,
	...getAll.description,
];
