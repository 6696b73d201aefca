/**
 * The credential's Test button in a REAL n8n (the pinned one, this package installed): n8n's own
 * /rest/credentials/test, the endpoint the editor calls. n8n's outbound HTTP goes through a
 * recording proxy (HTTP(S)_PROXY), so a test that tried to reach any server shows up there even
 * when that server is unreachable from here. A setting the runtime refuses fails with the
 * runtime's message and reaches nothing; a good one reaches the emulator once.
 *
 * Set IP_SKIP_E2E=1 to skip on a machine without the n8n install.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { startEmulator, type RunningEmulator } from '../../emulator';
import { installN8n, startN8n, type N8nInstance } from '../../scripts/n8n/start';
import { resolveEnvironment } from '../../shared';
import { describeE2e, packageDirUnderTest } from './stack';

const GOOD_KEY = 'ik_test_credentialTest_0123456789';

describeE2e("the credential's Test button in a real n8n", () => {
	let emulator: RunningEmulator;
	let n8n: N8nInstance | undefined;
	let proxy: Server;
	/** What n8n asked the proxy for: CONNECT host:port (https) or the absolute URL (http). */
	const reached: string[] = [];
	let credentialId: string;

	beforeAll(async () => {
		installN8n();
		const packageDir = packageDirUnderTest();
		proxy = createServer((req, res) => {
			reached.push(`${req.method} ${req.url}`);
			res.writeHead(502).end();
		});
		proxy.on('connect', (req, socket) => {
			reached.push(`CONNECT ${req.url}`);
			socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
		});
		await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
		const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
		emulator = await startEmulator({ seedClients: 1, statusStepMs: 0 });
		n8n = await startN8n({
			packageDir,
			// The emulator is reached directly; everything else would go through the proxy.
			env: { HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1,localhost' },
		});
		await n8n.setupOwner();
		const saved = await n8n.createCredential({
			name: 'IntelliPortal (emulator)',
			type: 'intelliPortalApi',
			data: { apiKey: GOOD_KEY, environment: 'custom', baseUrl: emulator.baseUrl },
		});
		credentialId = saved.id;
	}, 20 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
		await emulator?.stop();
		await new Promise<void>((resolve) => proxy?.close(() => resolve()));
	}, 60_000);

	/** Presses Test with `data` in the form, as the editor does (the saved credential's id). */
	async function pressTest(data: Record<string, string>) {
		reached.length = 0;
		const before = emulator.admin.requests().length;
		const result = await n8n!.request<{ status: string; message: string }>(
			'POST',
			'/rest/credentials/test',
			{
				body: { credentials: { id: credentialId, name: 'probe', type: 'intelliPortalApi', data } },
			},
		);
		return {
			result,
			reached: [...reached],
			emulatorRequests: emulator.admin.requests().length - before,
		};
	}

	test('a good Custom setting passes, with one request to the emulator and nothing elsewhere', async () => {
		const outcome = await pressTest({
			apiKey: GOOD_KEY,
			environment: 'custom',
			baseUrl: emulator.baseUrl,
		});
		expect(outcome).toEqual({
			result: { status: 'OK', message: 'Connection successful!' },
			reached: [],
			emulatorRequests: 1,
		});
	}, 60_000);

	test.each([
		[
			'an ik_live_ key with Sandbox',
			{ apiKey: 'ik_live_SECRET_0123456789', environment: 'sandbox' },
		],
		[
			'an ik_test_ key with Production',
			{ apiKey: 'ik_test_SECRET_0123456789', environment: 'production' },
		],
		[
			'a key that is not an IntelliPortal key',
			{ apiKey: 'sk_SECRET_0123456789', environment: 'auto' },
		],
		[
			'a Custom Base URL over plain http to another host',
			{
				apiKey: 'ik_test_SECRET_0123456789',
				environment: 'custom',
				baseUrl: 'http://gateway.example.com/v1',
			},
		],
	])(
		"%s: fails with the runtime's message and reaches no server",
		async (_, data) => {
			let runtime = '';
			try {
				resolveEnvironment(data);
			} catch (error) {
				runtime = (error as Error).message;
			}
			expect(runtime).not.toBe('');
			const outcome = await pressTest(data);
			expect(outcome).toEqual({
				result: { status: 'Error', message: runtime },
				reached: [],
				emulatorRequests: 0,
			});
			expect(outcome.result.message).not.toContain('SECRET');
		},
		60_000,
	);
});
