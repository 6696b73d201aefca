/**
 * n8n's advice follows the failure, not only its kind: a contended webhook registration is a
 * conflict that a retry resolves, not an existing record.
 */
import type { INode } from 'n8n-workflow';

import { ConflictError } from '../../shared/errors';
import { fromHttpResponse } from '../../shared/failures';
import { toNodeError } from '../../nodes/IntelliPortal/errors';

const node = { name: 'IntelliPortal', type: 'n8n-nodes-intelliportal.intelliPortal' } as INode;

describe('n8n advice for conflicts', () => {
	it('an onboarding 409 says the record exists', () => {
		const error = fromHttpResponse(409, {}, { error: { message: 'phone taken' } });
		expect(String(toNodeError(node, error, 0, '').description)).toMatch(/already exists/);
	});

	it('a contended webhook registration says to try again, not that a record exists', () => {
		const error = new ConflictError('kept changing', {
			code: 'webhook_contended',
			retryable: true,
		});
		const description = String(toNodeError(node, error, 0, '').description);
		expect(description).not.toMatch(/already exists/);
		expect(description).toMatch(/at the same time.*again/);
	});
});
