import type { INodeProperties } from 'n8n-workflow';

import {
	getAllFields,
	getAllOption,
	onboardFields,
	onboardOption,
} from '../actions/client/clientFields';
import { sendAndWaitFields, sendAndWaitOption } from '../actions/message/sendAndWaitFields';
import {
	messageFields,
	recipientFields,
	sendOption,
	sendOptionsField,
	sendTemplateOption,
	templateFields,
	waitBudgetOption,
} from '../actions/message/sendFields';
import { operationField, resourceField } from '../actions/resourceAndOperation';
import { getOption, updateFields, updateOption } from '../actions/webhook/webhookFields';

const RETRY_NOTICE =
	'This node retries rate limits and safe failures itself. Keep "Retry On Fail" in Settings off: it would send again messages that already went out.';

/** Version 2's parameters, the default for new nodes: new operations and options land here. */
export const properties: INodeProperties[] = [
	resourceField,
	operationField('message', [sendOption, sendTemplateOption, sendAndWaitOption], 'send'),
	...recipientFields(['send', 'sendTemplate', 'sendAndWait'], RETRY_NOTICE),
	...messageFields({
		text: 'e.g. Your order has shipped and arrives tomorrow',
		caption: 'e.g. Our spring catalogue',
	}),
	...templateFields,
	sendOptionsField([waitBudgetOption]),
	...sendAndWaitFields,
	operationField('client', [getAllOption, onboardOption], 'onboard'),
	...onboardFields,
	...getAllFields,
	operationField('webhook', [getOption, updateOption], 'get'),
	...updateFields,
];
