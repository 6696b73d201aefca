import type { INodeProperties } from 'n8n-workflow';

import {
	getAllFields,
	getAllOption,
	onboardFields,
	onboardOption,
} from '../actions/client/clientFields';
import {
	messageFields,
	recipientFields,
	sendOption,
	sendOptionsField,
	sendTemplateOption,
	templateFields,
} from '../actions/message/sendFields';
import { operationField, resourceField } from '../actions/resourceAndOperation';
import { getOption, updateFields, updateOption } from '../actions/webhook/webhookFields';

// Frozen: test/n8n/versions.test.ts holds this list to the description recorded when the node
// became versioned. What is new goes into version 2.
const RETRY_NOTICE =
	'Leave "Retry On Fail" in this node\'s settings off: the node already retries rate limits and safe failures itself, and a node-level retry would send again messages that already went out';

/** Version 1's parameters, as its saved workflows know them. */
export const properties: INodeProperties[] = [
	resourceField,
	operationField('message', [sendOption, sendTemplateOption], 'send'),
	...recipientFields(['send', 'sendTemplate'], RETRY_NOTICE),
	...messageFields({}),
	...templateFields,
	sendOptionsField([]),
	operationField('client', [getAllOption, onboardOption], 'onboard'),
	...onboardFields,
	...getAllFields,
	operationField('webhook', [getOption, updateOption], 'get'),
	...updateFields,
];
