/**
 * A stand-in for a careless server: a loopback proxy in front of the emulator that, while armed,
 * answers PUT /webhooks with a server error echoing the URL it was sent, in its message and its
 * details (the query parsed, as some servers do). Everything else is forwarded. Test-only.
 * The error is a 503 with "Retry-After: 0" so the client's retries of the PUT take no time.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EchoProxy {
	/** Base URL to give a credential instead of the emulator's. */
	baseUrl: string;
	/** While true, every PUT /webhooks gets the echoing server error. */
	armed: boolean;
	/** The URLs the echoing errors carried. */
	echoed: string[];
	stop(): Promise<void>;
}

export async function startEchoProxy(emulatorBaseUrl: string): Promise<EchoProxy> {
	const target = new URL(emulatorBaseUrl);
	const proxy: EchoProxy = { baseUrl: '', armed: false, echoed: [], stop: async () => undefined };
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			if (proxy.armed && req.method === 'PUT' && req.url?.endsWith('/webhooks')) {
				const sent = JSON.parse(raw.toString('utf8')) as { url?: string; events?: string[] };
				const url = String(sent.url);
				proxy.echoed.push(url);
				const query = Object.fromEntries(new URL(url).searchParams);
				res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' });
				res.end(
					JSON.stringify({
						error: {
							code: 'internal_error',
							message: `Could not save the webhook ${url}`,
							details: { url, query, received: sent },
						},
					}),
				);
				return;
			}
			const upstream = httpRequest(
				{
					host: target.hostname,
					port: Number(target.port),
					method: req.method,
					path: req.url,
					headers: { ...req.headers, host: target.host },
				},
				(up) => {
					res.writeHead(up.statusCode ?? 502, up.headers);
					up.pipe(res);
				},
			);
			upstream.on('error', () => res.writeHead(502).end());
			upstream.end(raw);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	proxy.baseUrl = `http://127.0.0.1:${port}${target.pathname}`;
	proxy.stop = () =>
		new Promise<void>((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		});
	return proxy;
}
