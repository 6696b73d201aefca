/**
 * Zapier logs every z.request (request body, response body) after censoring the values its
 * scrubber finds (zapier-platform-core src/tools/create-logger.js: findSensitiveValues over the
 * log data and over the parsed request_data / response_content, then scrub). The registered URL
 * carries our ownership record, which holds the URLs and secrets of the registrations it would
 * restore. These tests run Zapier's own scrubber over the PUT /webhooks a Zap makes while an
 * n8n trigger is suspended under it.
 */
import { findSensitiveValues, scrub } from '@zapier/secret-scrubber';

import { OwnershipRecordKey, writeOwnershipRecord } from '../../shared/webhookRecord';
import type { WebhookRegistration } from '../../shared/webhookRecord';
import { OWNERSHIP_RECORD_PARAM } from '../../shared/webhookUrl';

const N8N_SECRET = '6f1c2a9e4b7d3f0a8c5e2b9d1f4a7c3e6b0d9f2a5c8e1b4d';
const ZAP_SECRET = '0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f';

const suspendedN8n: WebhookRegistration = {
	url: `https://n8n.example.com/webhook/abc/webhook?ip_secret=${N8N_SECRET}`,
	events: ['message.read'],
	kind: 'n8n',
};
const zap: WebhookRegistration = {
	url: `https://hooks.zapier.com/hooks/standard/1/2/?ip_secret=${ZAP_SECRET}`,
	events: ['message.delivered'],
	kind: 'zapier',
};

/** What Zapier's logger keeps of one HTTP log line, computed the way create-logger does. */
function zapierHttpLog(url: string): string {
	const body = JSON.stringify({ url, events: zap.events });
	const data = { request_method: 'PUT', request_data: body, response_content: body };
	const sensitive = [
		...findSensitiveValues(data),
		...findSensitiveValues(JSON.parse(data.request_data)),
		...findSensitiveValues(JSON.parse(data.response_content)),
	];
	return JSON.stringify(scrub(data, [...new Set(sensitive)]));
}

function recordOf(url: string, param: string): string {
	return new URL(url).searchParams.get(param) ?? '';
}

describe('Zapier HTTP logs of the webhook registration', () => {
	const key = new OwnershipRecordKey('ik_test_sandbox_0123456789abcdef');
	const registered = writeOwnershipRecord(zap, { root: null, suspended: [suspendedN8n] }, key);

	it('the Zap’s own secret is censored by Zapier’s scrubber', () => {
		expect(zapierHttpLog(registered)).not.toContain(ZAP_SECRET);
	});

	it('the record passes the scrubber (its name says what it is) but shows nothing: it is sealed', () => {
		const record = recordOf(registered, OWNERSHIP_RECORD_PARAM);
		const log = zapierHttpLog(registered);
		expect(log).toContain(record);
		for (const decoded of [
			Buffer.from(record, 'base64url').toString('latin1'),
			Buffer.from(record, 'base64').toString('latin1'),
		]) {
			expect(decoded).not.toContain(N8N_SECRET);
			expect(decoded).not.toContain('n8n.example.com');
		}
		expect(log).not.toContain(N8N_SECRET);
	});
});
