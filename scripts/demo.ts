/**
 * `npm run demo:core` (the n8n-free demo; `./dev demo` runs the n8n one): the integration doing real work against the local
 * IntelliPortal sandbox emulator, through the same typed core the n8n nodes and the Zapier
 * app use.
 *
 *   1. start the emulator (port: --port / DEMO_PORT / EMULATOR_PORT, default 4010)
 *   2. start a local webhook receiver and register it (updateWebhookConfig)
 *   3. onboard a client, send a text message and a template, list all clients
 *   4. print the webhook events as they arrive (message.sent → delivered → read)
 *   5. keep running until Ctrl-C, or exit once the events arrived with --once
 *
 * Each step is a function so the demo can be extended (e.g. to drive a real n8n).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { ADMIN_TOKEN_HEADER, EXAMPLE_API_KEY, startEmulator } from '../emulator';
import type { RunningEmulator, WebhookEvent } from '../emulator';
import { IntelliPortalClient, withRetry } from '../shared';
import type { Client, MessageResponse } from '../shared';
import { createAxiosTransport } from '../shared/transports/axios';

export interface DemoOptions {
	port: number;
	once: boolean;
	statusStepMs: number;
	timeoutMs: number;
	print: (line: string) => void;
}

export interface WebhookReceiver {
	url: string;
	events: WebhookEvent[];
	/** Resolves when `predicate` holds for the events received so far. */
	waitFor(predicate: (events: WebhookEvent[]) => boolean, timeoutMs: number): Promise<void>;
	close(): Promise<void>;
}

export function parseDemoArgs(argv: string[], env: NodeJS.ProcessEnv): DemoOptions {
	const { values } = parseArgs({
		args: argv,
		options: {
			port: { type: 'string' },
			once: { type: 'boolean' },
			'status-step-ms': { type: 'string' },
			timeout: { type: 'string' },
		},
		strict: true,
	});
	const num = (name: string, raw: string | undefined, fallback: number) => {
		if (raw === undefined || raw === '') return fallback;
		const n = Number(raw);
		if (!Number.isInteger(n) || n < 0)
			throw new Error(`${name} must be a whole number ≥ 0, got '${raw}'`);
		return n;
	};
	return {
		port: num('--port', values.port ?? env.DEMO_PORT ?? env.EMULATOR_PORT, 4010),
		once: Boolean(values.once),
		statusStepMs: num('--status-step-ms', values['status-step-ms'], 600),
		timeoutMs: num('--timeout', values.timeout, 30_000),
		print: (line) => process.stdout.write(`${line}\n`),
	};
}

export async function startDemoEmulator(opts: DemoOptions): Promise<RunningEmulator> {
	const emulator = await startEmulator({ port: opts.port, statusStepMs: opts.statusStepMs });
	opts.print(`✔ Emulator listening at ${emulator.baseUrl}`);
	return emulator;
}

export async function startWebhookReceiver(
	print: (line: string) => void,
): Promise<WebhookReceiver> {
	const events: WebhookEvent[] = [];
	const waiters = new Set<() => void>();
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			let event: WebhookEvent;
			try {
				event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookEvent;
			} catch {
				res.statusCode = 400;
				res.end();
				return;
			}
			res.statusCode = 204;
			res.end();
			events.push(event);
			print(`  ← webhook ${describeEvent(event)}`);
			for (const w of [...waiters]) w();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/intelliportal/webhook`,
		events,
		waitFor(predicate, timeoutMs) {
			if (predicate(events)) return Promise.resolve();
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => {
					waiters.delete(check);
					reject(new Error(`timed out after ${timeoutMs} ms waiting for webhook events`));
				}, timeoutMs);
				const check = () => {
					if (!predicate(events)) return;
					clearTimeout(timer);
					waiters.delete(check);
					resolve();
				};
				waiters.add(check);
			});
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

function describeEvent(event: WebhookEvent): string {
	const d = event.data as Record<string, unknown>;
	if (event.type === 'client.onboarded') {
		const c = d.client as { business_name?: string; id?: string } | undefined;
		return `${event.type.padEnd(18)} ${c?.business_name ?? ''} (${c?.id ?? '?'})`;
	}
	if (typeof d.message_id === 'string') {
		return `${event.type.padEnd(18)} ${d.message_id} → ${String(d.to)}${d.error ? ` (${JSON.stringify(d.error)})` : ''}`;
	}
	return `${event.type.padEnd(18)} ${JSON.stringify(d)}`;
}

export function createDemoClient(baseUrl: string, apiKey = EXAMPLE_API_KEY): IntelliPortalClient {
	const transport = createAxiosTransport();
	const layers = [withRetry({ wait: (ms) => transport.sleep(ms) })];
	return new IntelliPortalClient({ apiKey, baseUrl, transport, layers });
}

export async function registerWebhook(
	client: IntelliPortalClient,
	url: string,
	print: (line: string) => void,
) {
	// No `events`: subscribe to every event (`events: []` would switch deliveries off).
	const config = await client.updateWebhookConfig({ url });
	print(
		`✔ Webhook registered: ${config.url} (events: ${config.events.length ? config.events.join(', ') : 'all'})`,
	);
	return config;
}

export async function onboardDemoClient(
	client: IntelliPortalClient,
	print: (line: string) => void,
): Promise<Client> {
	const onboarded = await client.onboardClient({
		business_name: 'Acme Coffee Roasters',
		phone_number_id: `pn_demo_${Date.now()}`,
		waba_id: 'waba_demo_001',
	});
	print(
		`✔ Client onboarded: ${onboarded.business_name} (${onboarded.id}, phone_number_id ${onboarded.phone_number_id})`,
	);
	return onboarded;
}

export async function sendDemoMessages(
	client: IntelliPortalClient,
	clientRef: string,
	print: (line: string) => void,
): Promise<MessageResponse[]> {
	const text = await client.sendMessage({
		client_ref: clientRef,
		to: '+15551234567',
		type: 'text',
		text: { body: 'Hi Ana, your espresso beans ship today ☕' },
	});
	print(`✔ Text message accepted: ${text.id} (${text.status}, ${text.channel})`);
	const template = await client.sendTemplate({
		client_ref: clientRef,
		to: '+15557654321',
		template: {
			name: 'order_update',
			language: { code: 'en' },
			parameters: ['#1042', 'out for delivery'],
		},
	});
	print(`✔ Template 'order_update' accepted: ${template.id} (${template.status})`);
	return [text, template];
}

export async function listDemoClients(
	client: IntelliPortalClient,
	print: (line: string) => void,
): Promise<Client[]> {
	const clients = await client.listAllClients({});
	print(`✔ ${clients.length} client(s) on the partner account:`);
	for (const c of clients)
		print(`    ${c.id}  ${c.business_name}  (${c.phone_number_id}, ${c.status})`);
	return clients;
}

/** Waits until every message has reached `read` (or `failed`). */
export function waitForFinalStatuses(
	receiver: WebhookReceiver,
	messageIds: string[],
	timeoutMs: number,
): Promise<void> {
	return receiver.waitFor(
		(events) =>
			messageIds.every((id) =>
				events.some(
					(e) =>
						(e.type === 'message.read' || e.type === 'message.failed') &&
						(e.data as { message_id?: unknown }).message_id === id,
				),
			),
		timeoutMs,
	);
}

export async function runDemo(
	opts: DemoOptions,
): Promise<{ emulator: RunningEmulator; receiver: WebhookReceiver }> {
	const emulator = await startDemoEmulator(opts);
	const receiver = await startWebhookReceiver(opts.print);
	try {
		const client = createDemoClient(emulator.baseUrl);
		await registerWebhook(client, receiver.url, opts.print);
		const onboarded = await onboardDemoClient(client, opts.print);
		const messages = await sendDemoMessages(client, onboarded.id, opts.print);
		await listDemoClients(client, opts.print);
		opts.print('… waiting for delivery events');
		await waitForFinalStatuses(
			receiver,
			messages.map((m) => m.id),
			opts.timeoutMs,
		);
		opts.print('✔ All messages delivered and read');
	} catch (err) {
		await receiver.close();
		await emulator.stop();
		throw err;
	}
	return { emulator, receiver };
}

async function main(): Promise<void> {
	let opts: DemoOptions;
	try {
		opts = parseDemoArgs(process.argv.slice(2), process.env);
	} catch (err) {
		process.stderr.write(
			`${err instanceof Error ? err.message : String(err)}\nusage: npm run demo:core -- [--port N] [--once] [--status-step-ms N] [--timeout ms]\n`,
		);
		process.exit(2);
	}
	const { emulator, receiver } = await runDemo(opts);
	if (opts.once) {
		await receiver.close();
		await emulator.stop();
		opts.print('Done (--once).');
		return;
	}
	opts.print(
		[
			'',
			'The sandbox emulator keeps running, try it:',
			`  base URL:    ${emulator.baseUrl}`,
			`  example key: ${EXAMPLE_API_KEY}`,
			`  curl -H 'Authorization: Bearer ${EXAMPLE_API_KEY}' ${emulator.baseUrl}/clients`,
			`  admin:       curl -H '${ADMIN_TOKEN_HEADER}: ${emulator.adminToken}' ${emulator.url}/__admin/counters`,
			'Press Ctrl-C to stop.',
		].join('\n'),
	);
	const shutdown = () => {
		void Promise.all([receiver.close(), emulator.stop()]).then(() => process.exit(0));
	};
	process.once('SIGINT', shutdown);
	process.once('SIGTERM', shutdown);
}

if (require.main === module) {
	main().catch((err: unknown) => {
		process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
		process.exit(1);
	});
}
