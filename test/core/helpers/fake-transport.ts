import type { Transport, TransportRequest, TransportResponse } from '../../../shared/transport';

export type Scripted =
	| { status: number; headers?: Record<string, string>; body?: unknown }
	| { fail: Error };

/**
 * The HTTP boundary for core tests: records every request and answers the scripted responses in
 * order (the last one repeats). `sleep` records the waits and advances a fake clock instantly.
 */
export class FakeTransport implements Transport {
	readonly requests: TransportRequest[] = [];
	readonly sleeps: number[] = [];
	clock = 1_700_000_000_000;
	authenticates?: boolean;

	constructor(readonly script: Scripted[] = [{ status: 200, body: {} }]) {}

	async request(req: TransportRequest): Promise<TransportResponse> {
		this.requests.push(structuredClone(req));
		const index = Math.min(this.requests.length - 1, this.script.length - 1);
		const step = this.script[index];
		if ('fail' in step) throw step.fail;
		return { status: step.status, headers: step.headers ?? {}, body: step.body };
	}

	async sleep(ms: number): Promise<void> {
		this.sleeps.push(ms);
		this.clock += ms;
	}

	now(): number {
		return this.clock;
	}
}

export const KEY = 'ik_test_SECRETabcdef0123456789';
export const BASE = 'http://127.0.0.1:4010/v1';

export const ok = (body: unknown): Scripted => ({ status: 200, body });
/** A text message as a host hands it to the client. */
export const message = { client_ref: 'c1', to: '+15551234567', type: 'text', text: { body: 'Hi' } };
/** The server's answer to an accepted send. */
export const accepted = ok({
	id: 'msg_1',
	status: 'queued',
	channel: 'whatsapp',
	created_at: '2026-01-01T00:00:00Z',
});

/** What `promise` rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
	try {
		await promise;
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected a rejection');
}
