/**
 * A loopback HTTP proxy in front of the emulator that records what n8n really sent: method,
 * path, the exact Authorization header and the JSON body. (The emulator's own request log
 * redacts Authorization and keeps no bodies, by design.) Test-only.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
	method: string;
	path: string;
	authorization: string | undefined;
	contentType: string | undefined;
	body: unknown;
	/** HTTP status, or 0 when the upstream connection dropped without a response. */
	status: number;
}

export interface RecordingProxy {
	/** Origin of the proxy, e.g. http://127.0.0.1:PORT */
	url: string;
	calls: RecordedCall[];
	stop(): Promise<void>;
}

export async function startRecordingProxy(targetOrigin: string): Promise<RecordingProxy> {
	const target = new URL(targetOrigin);
	const calls: RecordedCall[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			let body: unknown;
			if (raw.length > 0) {
				try {
					body = JSON.parse(raw.toString('utf8'));
				} catch {
					body = raw.toString('utf8');
				}
			}
			const headers: IncomingHttpHeaders = { ...req.headers, host: target.host };
			const upstream = httpRequest(
				{
					host: target.hostname,
					port: target.port,
					method: req.method,
					path: req.url,
					headers,
				},
				(upstreamRes) => {
					calls.push({
						method: req.method ?? '',
						path: (req.url ?? '').split('?')[0],
						authorization: req.headers.authorization,
						contentType: req.headers['content-type'],
						body,
						status: upstreamRes.statusCode ?? 0,
					});
					res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
					upstreamRes.pipe(res);
				},
			);
			upstream.on('error', () => {
				// No response (the emulator destroyed the socket): the client sees a reset too.
				calls.push({
					method: req.method ?? '',
					path: (req.url ?? '').split('?')[0],
					authorization: req.headers.authorization,
					contentType: req.headers['content-type'],
					body,
					status: 0,
				});
				res.destroy();
			});
			upstream.end(raw);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		calls,
		stop: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
