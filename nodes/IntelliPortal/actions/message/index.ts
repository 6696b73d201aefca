import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../operationProperty';
import * as send from './send';
import * as sendTemplate from './sendTemplate';
import { recipientFields, sendOptionsFields } from './sendFields';

export { send, sendTemplate };

/** Message: the Operation dropdown and the parameters of its operations, as version 1 shows them. */
export const description: INodeProperties[] = [
	operationProperty('message', [send, sendTemplate], 'send'),
	...recipientFields,
	...send.description,
	...sendTemplate.description,
	...sendOptionsFields,
];
