/**
 * Samples and output field definitions shared by the app's triggers, creates and searches.
 * Shapes follow the core's documented types (docs/ARCHITECTURE.md, "Contract silences").
 */
import type { Client, MessageResponse, WebhookEvent } from '../../shared';
import { CLIENT_LABELS } from './fields';

export interface OutputField {
	key: string;
	label: string;
	type?: 'string' | 'number' | 'boolean' | 'datetime' | 'integer';
	primary?: boolean;
}

export const clientSample: Client = {
	id: 'cl_8f2a1c9e',
	business_name: 'Acme Coffee Roasters',
	phone_number_id: '109876543210987',
	waba_id: '102938475610293',
	callback_url: 'https://hooks.example.com/intelliportal/acme',
	status: 'active',
	created_at: '2026-01-15T09:30:00Z',
} as Client;

export const clientOutputFields: OutputField[] = [
	{ key: 'id', label: CLIENT_LABELS.id, type: 'string', primary: true },
	{ key: 'business_name', label: CLIENT_LABELS.business_name, type: 'string' },
	{ key: 'phone_number_id', label: CLIENT_LABELS.phone_number_id, type: 'string' },
	{ key: 'waba_id', label: CLIENT_LABELS.waba_id, type: 'string' },
	{ key: 'callback_url', label: CLIENT_LABELS.callback_url, type: 'string' },
	{ key: 'status', label: CLIENT_LABELS.status, type: 'string' },
	{ key: 'created_at', label: CLIENT_LABELS.created_at, type: 'datetime' },
];

export const messageSample: MessageResponse = {
	id: 'msg_01HZX3K9Q4W7',
	status: 'queued',
	channel: 'whatsapp',
	created_at: '2026-01-15T09:31:12Z',
} as MessageResponse;

export const messageOutputFields: OutputField[] = [
	{ key: 'id', label: 'Message ID', type: 'string', primary: true },
	{ key: 'status', label: 'Status', type: 'string' },
	{ key: 'channel', label: 'Channel', type: 'string' },
	{ key: 'created_at', label: 'Created At', type: 'datetime' },
];

/** One sample per event type, so the Zap editor can show every field a real delivery carries. */
export function sampleEvent(type: string, index = 0): WebhookEvent {
	const created_at = new Date(Date.UTC(2026, 0, 15, 9, 32, index)).toISOString();
	if (type === 'client.onboarded') {
		return {
			id: `evt_sample_${index + 1}`,
			type,
			created_at,
			data: { client: clientSample },
		} as unknown as WebhookEvent;
	}
	const status = type.startsWith('message.') ? type.slice('message.'.length) : 'sent';
	return {
		id: `evt_sample_${index + 1}`,
		type,
		created_at,
		data: {
			message_id: messageSample.id,
			client_ref: clientSample.id,
			to: '+15551234567',
			channel: 'whatsapp',
			status,
			...(type === 'message.failed'
				? {
						error: {
							code: 'recipient_unreachable',
							message: 'The recipient is not reachable on WhatsApp',
						},
					}
				: {}),
		},
	} as unknown as WebhookEvent;
}

export const eventOutputFields: OutputField[] = [
	{ key: 'id', label: 'Event ID', type: 'string', primary: true },
	{ key: 'type', label: 'Event Type', type: 'string' },
	{ key: 'created_at', label: 'Occurred At', type: 'datetime' },
	{ key: 'data__message_id', label: 'Message ID', type: 'string' },
	{ key: 'data__client_ref', label: 'Client Reference', type: 'string' },
	{ key: 'data__to', label: 'Recipient', type: 'string' },
	{ key: 'data__channel', label: 'Channel', type: 'string' },
	{ key: 'data__status', label: 'Message Status', type: 'string' },
	{ key: 'data__error__code', label: 'Error Code', type: 'string' },
	{ key: 'data__error__message', label: 'Error Message', type: 'string' },
	{ key: 'data__client__id', label: 'Onboarded Client ID', type: 'string' },
	{ key: 'data__client__business_name', label: 'Onboarded Client Business Name', type: 'string' },
	{
		key: 'data__client__phone_number_id',
		label: 'Onboarded Client Phone Number ID',
		type: 'string',
	},
];
