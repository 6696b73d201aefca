/**
 * A loopback proxy in front of the emulator, one port per actor (an n8n trigger, a Zap), that
 * logs every request it forwards with the actor's name and, while holding, keeps requests
 * until the test releases them one by one: the interleaving of two activations at the
 * granularity of HTTP requests is then chosen by the test, not by timing. Test-only.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GateEntry {
	actor: string;
	method: string;
	/** For PUTs: the JSON body sent. */
	body?: { url?: string; events?: string[] };
}

interface Held {
	entry: GateEntry;
	release(): Promise<void>;
}

export class Gate {
	/** Every request forwarded to the emulator, in the order the emulator received them. */
	readonly log: GateEntry[] = [];
	private readonly held: Held[] = [];
	private holding = false;
	private waiters: Array<() => void> = [];
	private readonly servers: Server[] = [];
	/** Called just before a request is forwarded (e.g. to snapshot the account before a PUT). */
	beforeForward?: (entry: GateEntry) => void;

	constructor(private readonly target: { host: string; port: number }) {}

	/** A proxy for one actor; returns its base URL (same path layout as the emulator). */
	async proxyFor(actor: string, basePath: string): Promise<string> {
		const server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const raw = Buffer.concat(chunks);
				const entry: GateEntry = { actor, method: req.method ?? '' };
				if (req.method === 'PUT' && raw.length > 0) entry.body = JSON.parse(raw.toString('utf8'));
				const forward = () =>
					new Promise<void>((done) => {
						this.beforeForward?.(entry);
						this.log.push(entry);
						const upstream = httpRequest(
							{
								host: this.target.host,
								port: this.target.port,
								method: req.method,
								path: req.url,
								headers: { ...req.headers, host: `${this.target.host}:${this.target.port}` },
							},
							(up) => {
								const body: Buffer[] = [];
								up.on('data', (c: Buffer) => body.push(c));
								up.on('end', () => {
									res.writeHead(up.statusCode ?? 502, up.headers);
									res.end(Buffer.concat(body));
									done();
								});
							},
						);
						upstream.on('error', () => {
							res.writeHead(502).end();
							done();
						});
						upstream.end(raw);
					});
				if (!this.holding) {
					void forward();
					return;
				}
				this.held.push({ entry, release: forward });
				this.notify();
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		this.servers.push(server);
		return `http://127.0.0.1:${(server.address() as AddressInfo).port}${basePath}`;
	}

	private notify(): void {
		const waiters = this.waiters;
		this.waiters = [];
		for (const wake of waiters) wake();
	}

	private changed(): Promise<void> {
		return new Promise((resolve) => this.waiters.push(resolve));
	}

	/**
	 * Runs `ops` concurrently; whenever every op still running waits on a request, releases the
	 * one picked by the next choice (an index modulo the number held, or an actor's name) and
	 * waits for its answer.
	 */
	async interleave<T>(
		ops: Array<() => Promise<T>>,
		choices: ReadonlyArray<number | string>,
	): Promise<Array<PromiseSettledResult<T>>> {
		this.holding = true;
		let running = ops.length;
		const settled = Promise.allSettled(
			ops.map((op) =>
				op().finally(() => {
					running--;
					this.notify();
				}),
			),
		);
		let k = 0;
		try {
			while (running > 0) {
				while (running > 0 && this.held.length < running) await this.changed();
				if (running === 0) break;
				const choice = choices.length > 0 ? choices[k++ % choices.length] : 0;
				const pick =
					typeof choice === 'string'
						? Math.max(
								0,
								this.held.findIndex((h) => h.entry.actor === choice),
							)
						: choice % this.held.length;
				const [next] = this.held.splice(pick, 1);
				await next.release();
			}
		} finally {
			this.holding = false;
		}
		return await settled;
	}

	async stop(): Promise<void> {
		await Promise.all(
			this.servers.map(
				(server) =>
					new Promise<void>((resolve) => {
						server.closeAllConnections();
						server.close(() => resolve());
					}),
			),
		);
	}
}
