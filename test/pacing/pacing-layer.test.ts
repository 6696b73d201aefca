/**
 * The pacing layer: every attempt of a request (retries included) holds a governor slot and
 * reports its outcome, and a governor can never turn a result into a failure.
 */
import { IntelliPortalClient } from '../../shared/apiClient';
import { withPacing } from '../../shared/pacing/pace';
import type { RateGovernor } from '../../shared/pacing/pace';
import { withRetry } from '../../shared/retry';
import { TransportFailure } from '../../shared/transport';
import { BASE, FakeTransport, KEY, accepted, message } from '../core/helpers/fake-transport';
import type { Scripted } from '../core/helpers/fake-transport';

function setup(script: Scripted[], governor: RateGovernor) {
	const transport = new FakeTransport(script);
	const layers = [
		withRetry({ policy: { random: () => 0.5 }, wait: (ms) => transport.sleep(ms) }),
		withPacing(governor),
	];
	const client = new IntelliPortalClient({ apiKey: KEY, baseUrl: BASE, transport, layers });
	return { transport, client };
}

describe('governor', () => {
	it('acquire before and release after every attempt, with status and Retry-After', async () => {
		const log: string[] = [];
		const governor: RateGovernor = {
			acquire: async () => {
				log.push('acquire');
			},
			release: (outcome) => {
				log.push(`release ${JSON.stringify(outcome)}`);
			},
		};
		const { client } = setup(
			[
				{ status: 429, headers: { 'retry-after': '1' } },
				{ fail: new TransportFailure('refused', { phase: 'connect' }) },
				accepted,
			],
			governor,
		);
		await client.sendMessage(message);
		expect(log).toEqual([
			'acquire',
			'release {"status":429,"retryAfterMs":1000}',
			'acquire',
			'release {}',
			'acquire',
			'release {"status":200}',
		]);
	});

	it('a throwing governor.release never turns a success into a failure', async () => {
		const { client } = setup([accepted], {
			acquire: async () => {},
			release: () => {
				throw new Error('x');
			},
		});
		await expect(client.sendMessage(message)).resolves.toMatchObject({ id: 'msg_1' });
	});
});
