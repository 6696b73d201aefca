/** What the emulator saw: counters and the bounded request log (GET /__admin/counters, /requests). */
import type { Counters, RequestLogEntry } from './types';

export class Observations {
	counters: Counters = emptyCounters();
	requestLog: RequestLogEntry[] = [];

	constructor(
		private readonly requestLogSize: number,
		private readonly log: (line: string) => void,
	) {}

	reset(): void {
		this.counters = emptyCounters();
		this.requestLog = [];
	}

	/** Counts one answered (or reset) contract request under its route and logs it. */
	record(entry: RequestLogEntry, routeKey: string): void {
		this.counters.requests++;
		const byStatus = (this.counters.byRoute[routeKey] ??= {});
		const key = String(entry.status);
		byStatus[key] = (byStatus[key] ?? 0) + 1;
		this.requestLog.push(entry);
		if (this.requestLog.length > this.requestLogSize)
			this.requestLog.splice(0, this.requestLog.length - this.requestLogSize);
		this.log(
			`${entry.method} ${entry.path}${entry.query} → ${entry.status}${entry.fault ? ` [${entry.fault}]` : ''} ${entry.durationMs} ms`,
		);
	}
}

function emptyCounters(): Counters {
	return {
		requests: 0,
		byRoute: {},
		rateLimited: 0,
		faults: { error500: 0, error503: 0, error429: 0, resetBefore: 0, resetAfter: 0, slow: 0 },
		messagesAccepted: 0,
		templatesAccepted: 0,
		clientsCreated: 0,
		webhooks: { events: 0, delivered: 0, failed: 0, blocked: 0, attempts: 0 },
	};
}
