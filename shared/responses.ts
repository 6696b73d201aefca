/**
 * A 2xx answer's body as the contract's typed result, or a ServerError when it does not fit
 * (the contract's silences are decided in types.ts).
 */
import { ServerError } from './errors';
import { isRecord } from './guards';
import type { Client, ClientPage, MessageResponse, WebhookConfig } from './types';

/**
 * A 2xx whose body does not fit the contract. To a write (`processed`) the server accepted the
 * request, so it may have been processed: sending it again could duplicate it.
 */
export function unexpected(what: string, status: number, processed = false): ServerError {
	return new ServerError(`Unexpected response from IntelliPortal (HTTP ${status}): ${what}`, {
		code: 'unexpected_response',
		httpStatus: status,
		mayHaveBeenSent: processed,
	});
}

export function messageResponse(body: unknown, status: number): MessageResponse {
	if (!isRecord(body) || typeof body.id !== 'string')
		throw unexpected('the message response has no id', status, true);
	return body as MessageResponse;
}

/** The onboarded client, bare or wrapped in `{ client }`. */
export function onboardedClient(body: unknown, status: number): Client {
	const client = isRecord(body) && isRecord(body.client) && !('id' in body) ? body.client : body;
	if (!isRecord(client) || typeof client.id !== 'string')
		throw unexpected('the onboarded client has no id', status, true);
	return client as Client;
}

/** A bare array, `{ data }` or `{ clients }`, with `total` when the server gives it. */
export function clientPage(
	body: unknown,
	status: number,
	limit: number,
	offset: number,
): ClientPage {
	let items: unknown;
	let total: number | undefined;
	if (Array.isArray(body)) items = body;
	else if (isRecord(body)) {
		items = Array.isArray(body.data)
			? body.data
			: Array.isArray(body.clients)
				? body.clients
				: undefined;
		if (typeof body.total === 'number' && Number.isInteger(body.total) && body.total >= 0)
			total = body.total;
	}
	if (!Array.isArray(items)) throw unexpected('the client list is not a list', status);
	const clients = items.filter((c): c is Client => isRecord(c) && typeof c.id === 'string');
	if (clients.length !== items.length) throw unexpected('a client in the list has no id', status);
	// see ClientPage: without `total`, only an empty page is the end
	const hasMore =
		total !== undefined
			? offset + clients.length < total && clients.length > 0
			: clients.length > 0;
	const page: ClientPage = { items: clients, limit, offset, hasMore };
	if (total !== undefined) page.total = total;
	return page;
}

/** `{ url, events }`, bare or wrapped in `{ webhook }`. */
export function webhookConfig(body: unknown, status: number, processed = false): WebhookConfig {
	const config = isRecord(body) && isRecord(body.webhook) ? body.webhook : body;
	if (!isRecord(config))
		throw unexpected('the webhook configuration is not an object', status, processed);
	const url = typeof config.url === 'string' && config.url !== '' ? config.url : null;
	const events = Array.isArray(config.events)
		? config.events.filter((e): e is string => typeof e === 'string')
		: [];
	return { url, events };
}
