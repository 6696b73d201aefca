import type { INodeProperties } from 'n8n-workflow';

import * as send from '../actions/message/send';
import * as sendAndWait from '../actions/message/sendAndWait';
import { waitBudgetOption } from '../actions/message/sendFields';
import * as sendTemplate from '../actions/message/sendTemplate';
import { operationProperty } from '../actions/operationProperty';
import { properties as v1 } from '../v1/properties';
import { withVersion2Display } from './display';

/**
 * The parameters of version 2, the default for new nodes. It starts as version 1; what is new
 * lands here only (docs/ARCHITECTURE.md, "Where a new operation or option for version 2 goes"):
 * a new operation is its module under actions/<resource>/ plus its entry in this version's
 * Operation dropdown (build the dropdown with operationProperty), a new parameter or option is
 * added to this list. Never edit version 1's list or the modules' shared descriptions to change
 * version 2.
 */

/** Parameters of the sends that Send and Wait shows too (the retry notice, Client, To). */
const SHARED_WITH_SEND_AND_WAIT = ['retryNotice', 'clientRef', 'to'];

function isMessageOperationDropdown(property: INodeProperties): boolean {
	return (
		property.name === 'operation' && property.displayOptions?.show?.resource?.[0] === 'message'
	);
}

function version2(property: INodeProperties): INodeProperties[] {
	if (isMessageOperationDropdown(property)) {
		return [operationProperty('message', [send, sendTemplate, sendAndWait], 'send')];
	}
	if (property.name === 'options' && property.type === 'collection') {
		// The sends' Options, then Send and Wait's own parameters (and its own Options).
		return [
			{ ...property, options: [...(property.options ?? []), waitBudgetOption] },
			...sendAndWait.description,
		];
	}
	const show = property.displayOptions?.show;
	if (SHARED_WITH_SEND_AND_WAIT.includes(property.name) && show?.resource?.[0] === 'message') {
		const operations = (show.operation ?? []) as string[];
		return [
			{
				...property,
				displayOptions: {
					...property.displayOptions,
					show: { ...show, operation: [...operations, sendAndWait.option.value as string] },
				},
			},
		];
	}
	return [property];
}

export const properties: INodeProperties[] = withVersion2Display(v1.flatMap(version2));
