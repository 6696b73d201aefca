import type { Counters, EmulatorConfig, WebhookDelivery, WebhookEvent } from './types';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Scheme and host of a URL for a log line: a receiver's path and query may be its secret. */
export function originOf(url: string): string {
	try {
		return new URL(url).origin;
	} catch {
		return '(not a URL)';
	}
}

export function isLoopbackUrl(url: string): boolean {
	try {
		const host = new URL(url).hostname.toLowerCase();
		return (
			LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host) || host.endsWith('.localhost')
		);
	} catch {
		return false;
	}
}

/**
 * Delivers webhook events: one JSON POST per event, retried with exponential backoff on
 * non-2xx or network errors, every attempt recorded. The delivery id stays the same across
 * retries (receivers can dedupe on X-IntelliPortal-Delivery).
 */
export class WebhookDispatcher {
	readonly deliveries: WebhookDelivery[] = [];
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly controllers = new Set<AbortController>();
	private readonly waiters = new Set<() => void>();
	private stopped = false;

	constructor(
		private readonly config: () => EmulatorConfig,
		private readonly counters: () => Counters,
		private readonly newId: () => string,
		private readonly allowRemote: boolean,
		private readonly log: (line: string) => void,
	) {}

	deliver(event: WebhookEvent, url: string): WebhookDelivery {
		const delivery: WebhookDelivery = {
			id: this.newId(),
			event,
			url,
			state: 'pending',
			attempts: [],
		};
		this.deliveries.push(delivery);
		if (!this.allowRemote && !isLoopbackUrl(url)) {
			delivery.state = 'blocked';
			this.counters().webhooks.blocked++;
			this.log(
				`webhook ${event.type} → ${originOf(url)} blocked (not a loopback address; start with --allow-remote-webhooks)`,
			);
			this.notify();
			return delivery;
		}
		void this.attempt(delivery);
		return delivery;
	}

	/** Resolves when no delivery is pending. */
	idle(): Promise<void> {
		if (!this.deliveries.some((d) => d.state === 'pending')) return Promise.resolve();
		return new Promise((resolve) => {
			const check = () => {
				if (!this.deliveries.some((d) => d.state === 'pending')) {
					this.waiters.delete(check);
					resolve();
				}
			};
			this.waiters.add(check);
		});
	}

	clear(): void {
		this.cancelAll();
		this.deliveries.length = 0;
		this.stopped = false;
	}

	stop(): void {
		this.stopped = true;
		this.cancelAll();
	}

	private cancelAll(): void {
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		for (const c of this.controllers) c.abort();
		this.controllers.clear();
		for (const d of this.deliveries) if (d.state === 'pending') d.state = 'failed';
		this.notify();
	}

	private notify(): void {
		for (const w of [...this.waiters]) w();
	}

	private async attempt(delivery: WebhookDelivery): Promise<void> {
		if (this.stopped || delivery.state !== 'pending') return;
		const cfg = this.config();
		const controller = new AbortController();
		this.controllers.add(controller);
		const timeout = setTimeout(() => controller.abort(), cfg.webhookTimeoutMs);
		const started = Date.now();
		const attemptNo = delivery.attempts.length + 1;
		let ok = false;
		let status: number | undefined;
		let error: string | undefined;
		try {
			const res = await fetch(delivery.url, {
				method: 'POST',
				headers: {
					'Content-Type': 'application/json',
					'User-Agent': 'IntelliPortal-Emulator-Webhooks/1.0',
					'X-IntelliPortal-Event': delivery.event.type,
					'X-IntelliPortal-Delivery': delivery.id,
					'X-IntelliPortal-Attempt': String(attemptNo),
				},
				body: JSON.stringify(delivery.event),
				signal: controller.signal,
				redirect: 'manual',
			});
			status = res.status;
			await res.arrayBuffer().catch(() => undefined);
			ok = res.status >= 200 && res.status < 300;
			if (!ok) error = `HTTP ${res.status}`;
		} catch (e) {
			error = controller.signal.aborted ? 'timeout or cancelled' : describeFetchError(e);
		} finally {
			clearTimeout(timeout);
			this.controllers.delete(controller);
		}
		if (delivery.state !== 'pending') return; // cleared or stopped meanwhile
		delivery.attempts.push({
			at: new Date(started).toISOString(),
			status,
			error,
			durationMs: Date.now() - started,
		});
		const counters = this.counters();
		counters.webhooks.attempts++;
		if (ok) {
			delivery.state = 'delivered';
			counters.webhooks.delivered++;
			this.log(`webhook ${delivery.event.type} ${delivery.id} → ${status} (attempt ${attemptNo})`);
			this.notify();
			return;
		}
		if (attemptNo >= cfg.webhookMaxAttempts || this.stopped) {
			delivery.state = 'failed';
			counters.webhooks.failed++;
			this.log(
				`webhook ${delivery.event.type} ${delivery.id} failed after ${attemptNo} attempts: ${error}`,
			);
			this.notify();
			return;
		}
		const delay = cfg.webhookBackoffMs * 2 ** (attemptNo - 1);
		this.log(
			`webhook ${delivery.event.type} ${delivery.id} attempt ${attemptNo} failed (${error}); retry in ${delay} ms`,
		);
		const t = setTimeout(() => {
			this.timers.delete(t);
			void this.attempt(delivery);
		}, delay);
		this.timers.add(t);
	}
}

function describeFetchError(e: unknown): string {
	const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
	if (cause?.code) return cause.code;
	if (cause?.message) return cause.message;
	return e instanceof Error ? e.message : String(e);
}
