import type { INodePropertyOptions } from 'n8n-workflow';

import { WEBHOOK_EVENT_TYPES } from '../../shared';
import type { WebhookEventType } from '../../shared';

/** Typed by the core's list, so a new event type cannot ship without its description. */
const EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
	'message.queued': 'A message was accepted and queued for sending',
	'message.sent': 'A message left IntelliPortal for the channel',
	'message.delivered': 'A message reached the recipient',
	'message.read': 'The recipient read a message',
	'message.failed': 'A message could not be delivered',
	'message.received': 'A recipient sent a message to one of your clients',
	'client.onboarded': 'A client finished onboarding',
};

function displayNameOf(eventType: string): string {
	return eventType
		.split(/[._]/)
		.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
		.join(' ');
}

/** The API's webhook event types as n8n options, from the core's list (one source of truth). */
export const webhookEventOptions: INodePropertyOptions[] = WEBHOOK_EVENT_TYPES.map((eventType) => ({
	name: displayNameOf(eventType),
	value: eventType,
	description: EVENT_DESCRIPTIONS[eventType],
}));
