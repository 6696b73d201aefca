import type { INodeProperties } from 'n8n-workflow';

import { properties as v1 } from '../v1/properties';

/**
 * The parameters of version 2, the default for new nodes. It starts as version 1; what is new
 * lands here only (docs/ARCHITECTURE.md, "Where a new operation or option for version 2 goes"):
 * a new operation is its module under actions/<resource>/ plus its entry in this version's
 * Operation dropdown (build the dropdown with operationProperty), a new parameter or option is
 * added to this list. Never edit version 1's list or the modules' shared descriptions to change
 * version 2.
 */

/** Version 2's default for the run's wait budget (version 1 has no budget). */
export const DEFAULT_WAIT_BUDGET_MINUTES = 10;

/** The sends' Options with version 2's Wait Budget added. */
const waitBudgetOption: INodeProperties = {
	displayName: 'Wait Budget (Minutes)',
	name: 'waitBudgetMinutes',
	type: 'number',
	default: DEFAULT_WAIT_BUDGET_MINUTES,
	typeOptions: { minValue: 0, numberPrecision: 1 },
	description:
		'Longest time the whole run may keep waiting on IntelliPortal rate limits. Messages not sent by then are reported as not sent (rate-limited, safe to send again later) instead of waiting on.',
};

export const properties: INodeProperties[] = v1.map((property) =>
	property.name === 'options' && property.type === 'collection'
		? { ...property, options: [...(property.options ?? []), waitBudgetOption] }
		: property,
);
