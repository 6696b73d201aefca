/**
 * Zapier logs every z.request (request body, response body) after censoring the values its
 * scrubber finds (zapier-platform-core src/tools/create-logger.js: findSensitiveValues over the
 * log data and over the parsed request_data / response_content, then scrub). The registered URL
 * carries our ownership record, which holds the URLs and secrets of the registrations it would
 * restore, base64-encoded where no value-based scrubber sees them. These tests run Zapier's own
 * scrubber over the PUT /webhooks a Zap makes while an n8n trigger is suspended under it.
 */
import { findSensitiveValues, scrub } from '@zapier/secret-scrubber';

import { WEBHOOK_OWNER_PARAM, markWebhookUrl } from '../../shared';
import type { WebhookRegistration } from '../../shared';

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
	const registered = markWebhookUrl(zap, { root: null, suspended: [suspendedN8n] });

	it('the ownership record (with the suspended n8n trigger’s secret inside) is censored', () => {
		const record = recordOf(registered, WEBHOOK_OWNER_PARAM);
		expect(Buffer.from(record, 'base64url').toString('utf8')).toContain(N8N_SECRET);
		const log = zapierHttpLog(registered);
		expect(log).not.toContain(record);
		expect(log).not.toContain(ZAP_SECRET);
		expect(log).not.toContain(N8N_SECRET);
	});

	it('a record parameter without "secret" in its name would pass the scrubber (why the name matters)', () => {
		const renamed = registered.replace(`${WEBHOOK_OWNER_PARAM}=`, 'ip_hook=');
		const record = recordOf(renamed, 'ip_hook');
		expect(record.length).toBeGreaterThan(40);
		expect(zapierHttpLog(renamed)).toContain(record);
	});
});
