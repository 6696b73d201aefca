/**
 * Zapier logs every z.request (request body, response body) after censoring the values its
 * scrubber finds (zapier-platform-core src/tools/create-logger.js). The registered URL carries
 * our ownership record, which holds the URLs and secrets of the registrations it would restore.
 * These tests run a Zap's subscribe through zapier-platform-core's own runtime and logger (its
 * customLogger hook receives what would be shipped to Zapier's log service).
 */
import type { RunningEmulator } from '../../emulator';
import {
	OwnershipRecordKey,
	readOwnershipRecord,
	writeOwnershipRecord,
} from '../../shared/webhookRecord';
import type { WebhookRegistration } from '../../shared/webhookRecord';
import { OWNERSHIP_RECORD_PARAM, WEBHOOK_SECRET_PARAM } from '../../shared/webhookUrl';
import { API_KEY, authData, emulator, hookReceiver, runWithZapierLog } from './helpers';
import type { HookReceiver } from './helpers';

const N8N_SECRET = '6f1c2a9e4b7d3f0a8c5e2b9d1f4a7c3e6b0d9f2a5c8e1b4d';

const suspendedN8n: WebhookRegistration = {
	url: `https://n8n.example.com/webhook/abc/webhook?ip_secret=${N8N_SECRET}`,
	events: ['message.read'],
	kind: 'n8n',
};

function recordOf(url: string, param: string): string {
	return new URL(url).searchParams.get(param) ?? '';
}

describe('Zapier logs of the webhook registration, through zapier-platform-core', () => {
	let emu: RunningEmulator;
	let receiver: HookReceiver;
	beforeAll(async () => {
		emu = await emulator();
		receiver = await hookReceiver();
	});
	afterAll(async () => {
		await receiver?.stop();
		await emu?.stop();
	});

	it('a Zap taking the webhook over from an n8n trigger logs its PUT with no secret of either; the record it logs is sealed', async () => {
		const key = new OwnershipRecordKey(API_KEY);
		// An n8n trigger holds the account's webhook.
		const n8nHolds = writeOwnershipRecord(suspendedN8n, { root: null, suspended: [] }, key);
		const put = await fetch(`${emu.baseUrl}/webhooks`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
			body: JSON.stringify({ url: n8nHolds, events: suspendedN8n.events }),
		});
		expect(put.status).toBe(200);

		const run = await runWithZapierLog('triggers.message_event.operation.performSubscribe', {
			authData: authData(emu),
			targetUrl: receiver.url,
			inputData: { events: ['message.delivered'], replace_existing: true },
		});
		expect(run.error).toBeUndefined();
		const zapSecret = String((run.result as { secret: string }).secret);

		// The registered URL carries the suspended n8n trigger, its secret included ...
		const registered = String(emu.admin.webhookConfig().url);
		const record = recordOf(registered, OWNERSHIP_RECORD_PARAM);
		expect(record.length).toBeGreaterThan(40);
		const reading = readOwnershipRecord(registered, key);
		expect(reading.status === 'read' && reading.mark.record.suspended.map((r) => r.url)).toEqual([
			suspendedN8n.url,
		]);
		// ... and the logger shipped the PUT that registered it: the Zap's secret censored by
		// name, the record as it is (sealed), nobody's secret readable in it.
		const logged = run.logs
			.filter(
				(l) => l.data.request_method === 'PUT' && String(l.data.request_url).endsWith('/webhooks'),
			)
			.map((l) => String(l.data.request_data))
			.find((d) => d.includes('"url"'));
		expect(logged).toContain(`${WEBHOOK_SECRET_PARAM}=:censored:`);
		expect(logged).toContain(record);
		for (const decoded of [
			Buffer.from(record, 'base64url').toString('latin1'),
			Buffer.from(record, 'base64').toString('latin1'),
		]) {
			expect(decoded).not.toContain(N8N_SECRET);
			expect(decoded).not.toContain('n8n.example.com');
		}
		expect(run.text).not.toContain(N8N_SECRET);
		expect(run.text).not.toContain(zapSecret);
		expect(run.text).not.toContain(API_KEY);
	});
});
