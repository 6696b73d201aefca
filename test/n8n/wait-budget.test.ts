/**
 * The run-level Wait Budget of the sends (node version 2) in n8n's real engine against an
 * emulator that answers every send with 429: the run ends when its budget is spent, every item
 * is reported "not sent, rate-limited, retryable", and version 1 has no such option.
 */
// The node's entry first: it loads the version modules in the order n8n does.
import '../../nodes/IntelliPortal/IntelliPortal.node';
import { properties as v1Properties } from '../../nodes/IntelliPortal/v1/properties';
import { properties as v2Properties } from '../../nodes/IntelliPortal/v2/properties';
import { API_KEY, contractRequests, startEnv } from './helpers';
import type { TestEnv } from './helpers';

let env: TestEnv;

beforeAll(async () => {
	env = await startEnv({ seedClients: 0, requestLogSize: 10_000 });
});

afterAll(async () => {
	await env?.stop();
});

function optionNames(properties: typeof v1Properties): string[] {
	const options = properties.find((p) => p.name === 'options' && p.type === 'collection');
	return (options?.options ?? []).map((o) => (o as { name: string }).name);
}

test('Wait Budget is a version 2 option (default 10 minutes); version 1 does not have it', () => {
	expect(optionNames(v2Properties)).toContain('waitBudgetMinutes');
	expect(optionNames(v1Properties)).not.toContain('waitBudgetMinutes');
	const options = v2Properties.find((p) => p.name === 'options');
	const budget = (options?.options ?? []).find(
		(o) => (o as { name: string }).name === 'waitBudgetMinutes',
	) as { default: number };
	expect(budget.default).toBe(10);
});

test('version 2 against an API that answers every send with 429 (Retry-After 1 s), Wait Budget 3 s: the run ends with its budget spent (items wait_budget_spent), all 30 not sent and retryable, at most N + budget / Retry-After + concurrency requests', async () => {
	env.emulator.admin.reset();
	env.emulator.admin.config({ fault429: 1, retryAfterSeconds: 1 });
	env.harness.setCredentials({
		intelliPortalApi: { apiKey: API_KEY, environment: 'custom', baseUrl: env.emulator.baseUrl },
	});
	const node = env.actionNode(
		{
			resource: 'message',
			operation: 'send',
			clientRef: { __rl: true, mode: 'id', value: 'cl_a' },
			to: '={{ $json.to }}',
			messageType: 'text',
			textBody: '=Hi {{ $json.i }}',
			options: { waitBudgetMinutes: 0.05, concurrency: 4 },
		},
		{ typeVersion: 2, onError: 'continueRegularOutput' },
	);
	const n = 30;
	const input = Array.from({ length: n }, (_, i) => ({
		i,
		to: `+1415555${String(i).padStart(4, '0')}`,
	}));
	const { items, error } = await env.harness.runNode(node, input);
	expect(error).toBeUndefined();
	expect(items).toHaveLength(n);
	for (const item of items!) {
		const body = item.json.error as { code: string; mayHaveBeenSent: boolean; retryable: boolean };
		expect(body).toBeDefined();
		expect(['wait_budget_spent', 'rate_limited']).toContain(body.code);
		expect(body.mayHaveBeenSent).toBe(false);
		expect(body.retryable).toBe(true);
	}
	expect(
		items!.some((item) => (item.json.error as { code: string }).code === 'wait_budget_spent'),
	).toBe(true);
	const sends = contractRequests(env.emulator).filter((r) => r.path === '/v1/messages/send');
	expect(sends.length).toBeLessThanOrEqual(n + 3 + 4);
	expect(env.emulator.admin.messages()).toHaveLength(0);
}, 30_000);
