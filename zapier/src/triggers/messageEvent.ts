import type { Bundle, ZObject } from 'zapier-platform-core';

import { WEBHOOK_EVENTS, parseWebhookEvent, planSubscribe, planUnsubscribe } from '../../../shared';
import type { WebhookConfig } from '../../../shared';
import { createClient } from '../client';
import { handled } from '../errors';
import { eventOutputFields, sampleEvent } from '../samples';
import { booleanInput, listInput } from '../util';

const EVENT_LABELS: Record<string, string> = {
	'message.queued': 'Message queued',
	'message.sent': 'Message sent',
	'message.delivered': 'Message delivered',
	'message.read': 'Message read',
	'message.failed': 'Message failed',
	'message.received': 'Message received (inbound)',
	'client.onboarded': 'Client onboarded',
};

/** What performSubscribe hands to performUnsubscribe (bundle.subscribeData). */
export interface SubscribeData {
	id: string;
	target_url: string;
	events: string[];
	previous: WebhookConfig;
}

function selectedEvents(bundle: Bundle): string[] {
	const chosen = (listInput(bundle.inputData.events) ?? []).map(String).filter((e) => e !== '');
	return chosen.length > 0 ? [...new Set(chosen)] : [...WEBHOOK_EVENTS];
}

const performSubscribe = handled(async (z: ZObject, bundle: Bundle): Promise<SubscribeData> => {
	const client = createClient(z, bundle);
	const targetUrl = String(bundle.targetUrl ?? '');
	const events = selectedEvents(bundle);
	const current = await client.getWebhookConfig();
	const plan = planSubscribe(current, {
		url: targetUrl,
		events,
		replaceExisting: booleanInput(bundle.inputData.replace_existing),
	});
	if (plan.action === 'refuse') {
		throw new z.errors.Error(
			`${plan.reason} Turn on "Replace Existing Webhook" in this trigger to let Zapier take over the webhook (the previous configuration is restored when the Zap is turned off).`,
			'webhook_in_use',
			409,
		);
	}
	await client.updateWebhookConfig(plan.update);
	return {
		id: targetUrl,
		target_url: targetUrl,
		events: plan.update.events,
		previous: plan.previous,
	};
});

const performUnsubscribe = handled(async (z: ZObject, bundle: Bundle) => {
	const client = createClient(z, bundle);
	const data = (bundle.subscribeData ?? {}) as Partial<SubscribeData>;
	const current = await client.getWebhookConfig();
	const plan = planUnsubscribe(current, {
		url: String(data.target_url ?? bundle.targetUrl ?? ''),
		previous: data.previous,
	});
	if (plan.action === 'restore') {
		await client.updateWebhookConfig(plan.update);
		return { restored: true, url: plan.update.url ?? null };
	}
	return { restored: false, reason: plan.reason };
});

/**
 * One delivery → one Zap run. A malformed body throws (shown in the Zap history as an error,
 * so a broken sender is noticed); a well-formed event of a type this Zap did not select returns []
 * (Zapier's convention for "nothing to trigger").
 */
const perform = handled(async (z: ZObject, bundle: Bundle) => {
	const payload = bundle.cleanedRequest;
	let event;
	try {
		event = parseWebhookEvent(payload);
	} catch (error) {
		throw new z.errors.Error(
			`IntelliPortal sent a webhook that is not a valid event: ${(error as Error).message}`,
			'invalid_webhook_payload',
			400,
		);
	}
	const events = selectedEvents(bundle);
	return events.includes(event.type) ? [event] : [];
});

/**
 * The contract has no endpoint listing past events, so there is nothing real to fetch: this
 * returns one documented sample event per selected type (ids `evt_sample_*`), built from the
 * core's event types, so the editor can map every field.
 */
const performList = handled(async (_z: ZObject, bundle: Bundle) =>
	selectedEvents(bundle).map((type, index) => sampleEvent(type, index)),
);

export default {
	key: 'message_event',
	noun: 'Event',
	display: {
		label: 'New Message Event',
		description:
			'Triggers instantly when IntelliPortal reports a message event (queued, sent, delivered, read, failed, received) or a client onboarding.',
	},
	operation: {
		type: 'hook' as const,
		inputFields: [
			{
				key: 'events',
				label: 'Events',
				required: false,
				list: true,
				choices: WEBHOOK_EVENTS.map((value) => ({
					value,
					label: EVENT_LABELS[value] ?? value,
					sample: value,
				})),
				helpText: 'Which events start the Zap. Leave empty for all events.',
			},
			{
				key: 'replace_existing',
				label: 'Replace Existing Webhook',
				type: 'boolean' as const,
				required: false,
				default: 'false',
				helpText:
					'IntelliPortal allows one webhook URL per account. If another URL is already configured, turning the Zap on fails unless this is **True**; then Zapier takes over and restores the previous URL and events when the Zap is turned off.',
			},
		],
		performSubscribe,
		performUnsubscribe,
		perform,
		performList,
		sample: sampleEvent('message.delivered'),
		outputFields: eventOutputFields,
	},
};
