/**
 * n8n's advice follows the failure, not only its kind: a contended webhook registration is a
 * conflict that a retry resolves, not an existing record.
 */
import type { INode } from 'n8n-workflow';

import { ConflictError, RateLimitError } from '../../shared/errors';
import { fromHttpResponse } from '../../shared/failures';
import { errorItemJson, toNodeError } from '../../nodes/IntelliPortal/errors';

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

describe('n8n words for a throttle the node stopped waiting out', () => {
	it('says how long the server asked and how long the node waits', () => {
		const error = new RateLimitError('Too many requests', {
			retryAfterMs: 120_000,
			gaveUp: { reason: 'wait_too_long', limitMs: 60_000 },
		});
		expect(toNodeError(node, error, 0, '').message).toBe(
			'Too many requests The server asked to wait 120 s, longer than the 60 s the node waits.',
		);
	});

	it('says how long and how often the server kept refusing', () => {
		const error = new RateLimitError('Too many requests.', {
			gaveUp: { reason: 'kept_refusing', waitedMs: 90_000, attempts: 4 },
		});
		expect((errorItemJson(error, '').error as { message: string }).message).toBe(
			'Too many requests. The server kept refusing this request for 90 s (4 attempts).',
		);
	});
});
