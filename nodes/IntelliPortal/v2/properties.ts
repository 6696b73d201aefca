import type { INodeProperties } from 'n8n-workflow';

import { waitBudgetOption } from '../actions/message/sendFields';
import { properties as v1 } from '../v1/properties';

/**
 * The parameters of version 2, the default for new nodes. It starts as version 1; what is new
 * lands here only (docs/ARCHITECTURE.md, "Where a new operation or option for version 2 goes"):
 * a new operation is its module under actions/<resource>/ plus its entry in this version's
 * Operation dropdown (build the dropdown with operationProperty), a new parameter or option is
 * added to this list. Never edit version 1's list or the modules' shared descriptions to change
 * version 2.
 */

export const properties: INodeProperties[] = v1.map((property) =>
	property.name === 'options' && property.type === 'collection'
		? { ...property, options: [...(property.options ?? []), waitBudgetOption] }
		: property,
);
