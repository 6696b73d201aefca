/**
 * The REST hook's sample (performList, and the trigger's `sample`) has exactly the fields of a
 * real delivery: for every event type the emulator delivers, the sample's field paths equal the
 * delivered body's field paths (issue 13, point 6).
 */
import App from '../../zapier/src';
import type { RunningEmulator } from '../../emulator';
import { appTester, authData, emulator, hookReceiver } from './helpers';
import type { HookReceiver } from './helpers';

let emu: RunningEmulator;
let receiver: HookReceiver;
const tester = appTester();
const hook = App.triggers.message_event.operation;

beforeAll(async () => {
	emu = await emulator();
	receiver = await hookReceiver();
});
afterAll(async () => {
	await receiver.stop();
	await emu.stop();
});

function fieldPaths(value: unknown, prefix = ''): string[] {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
	return Object.entries(value as Record<string, unknown>)
		.flatMap(([key, inner]) => fieldPaths(inner, prefix ? `${prefix}.${key}` : key))
		.sort();
}

it('every sample has the field paths of a real delivery of its type', async () => {
	await fetch(`${emu.baseUrl}/webhooks`, {
		method: 'PUT',
		headers: {
			Authorization: `Bearer ${authData(emu).apiKey}`,
			'Content-Type': 'application/json',
		},
		body: JSON.stringify({ url: receiver.url }),
	});
	const [client] = emu.admin.seedClients(1);
	const ok = await tester(App.creates.send_message.operation.perform, {
		authData: authData(emu),
		inputData: { client_ref: client.id, to: '+15551234567', type: 'text', text: 'hi' },
	});
	const failing = await tester(App.creates.send_message.operation.perform, {
		authData: authData(emu),
		inputData: { client_ref: client.id, to: '+15550000000', type: 'text', text: 'hi' },
	});
	for (const status of ['sent', 'delivered', 'read'] as const)
		emu.admin.setMessageStatus(String((ok as { id: string }).id), status);
	emu.admin.setMessageStatus(String((failing as { id: string }).id), 'failed', {
		code: 'recipient_unreachable',
		message: 'unreachable',
	});
	await tester(App.creates.onboard_client.operation.perform, {
		authData: authData(emu),
		inputData: {
			// every optional field set, so the delivery shows the whole shape a sample documents
			business_name: 'Shape Test Ltd',
			phone_number_id: '5550007777',
			waba_id: '102290129340398',
			callback_url: 'https://shape.example.com/callback',
		},
	});
	await emu.admin.webhooksIdle();

	const delivered = new Map<string, unknown>();
	for (const r of receiver.received) delivered.set((r.body as { type: string }).type, r.body);
	const types = [...delivered.keys()].sort();
	expect(types).toEqual(
		expect.arrayContaining([
			'client.onboarded',
			'message.delivered',
			'message.failed',
			'message.queued',
			'message.read',
			'message.sent',
		]),
	);
	const samples = (await tester(hook.performList, {
		authData: authData(emu),
		inputData: { events: types },
	})) as unknown as Array<{ type: string }>;
	for (const sample of samples) {
		expect({ type: sample.type, fields: fieldPaths(sample) }).toEqual({
			type: sample.type,
			fields: fieldPaths(delivered.get(sample.type)),
		});
	}
	expect(fieldPaths(hook.sample)).toEqual(fieldPaths(delivered.get('message.delivered')));
});
