import { IntelliPortalClient } from '../../shared/apiClient';
import { findClients, rankClient } from '../../shared/clientSearch';
import type { Client } from '../../shared/types';
import { BASE, FakeTransport, KEY } from './helpers/fake-transport';

const acme: Client = {
	id: 'cl_acme',
	business_name: 'Acme Bakery',
	phone_number_id: '1065403522',
	waba_id: 'waba_77',
} as Client;
const acmeCoffee: Client = {
	id: 'cl_coffee',
	business_name: 'Acme Coffee Roasters',
	phone_number_id: '2000000001',
} as Client;

describe('client search: one set of matching rules for every host', () => {
	test('free text is contained, ignoring case, in the name, phone number ID, client ID or WABA ID', () => {
		expect(rankClient(acme, { text: 'bakery' })).toBe(1);
		expect(rankClient(acme, { text: '540352' })).toBe(1);
		expect(rankClient(acme, { text: 'CL_AC' })).toBe(1);
		expect(rankClient(acme, { text: 'waba_7' })).toBe(1);
		expect(rankClient(acme, { text: 'acme bakery' })).toBe(0);
		expect(rankClient(acme, { text: 'roasters' })).toBeUndefined();
	});

	test('business name is contained ignoring case, an exact name ranks first; phone number ID is exact', () => {
		expect(rankClient(acme, { businessName: 'ACME BAKERY' })).toBe(0);
		expect(rankClient(acmeCoffee, { businessName: 'acme' })).toBe(1);
		expect(rankClient(acme, { businessName: 'coffee' })).toBeUndefined();
		expect(rankClient(acme, { phoneNumberId: '1065403522' })).toBe(0);
		expect(rankClient(acme, { phoneNumberId: '106540' })).toBeUndefined();
		// Every given criterion must hold.
		expect(rankClient(acme, { businessName: 'acme', phoneNumberId: '2000000001' })).toBeUndefined();
	});

	test('blank criteria are ignored: an empty search matches every client', () => {
		expect(rankClient(acme, {})).toBe(0);
		expect(rankClient(acme, { text: '  ', businessName: '' })).toBe(0);
	});

	test('findClients scans the list, each client once, exact matches first then in API order', async () => {
		const exact = { id: 'cl_exact', business_name: 'acme', phone_number_id: '3' };
		const transport = new FakeTransport([
			{ status: 200, body: { data: [acmeCoffee, acme], total: 4 } },
			{ status: 200, body: { data: [acme, exact], total: 4 } },
		]);
		const client = new IntelliPortalClient({ apiKey: KEY, baseUrl: BASE, transport });
		const found = await findClients(
			client,
			{ businessName: 'Acme' },
			{ maxScanned: 10, pageSize: 2 },
		);
		expect(found.map((c) => c.id)).toEqual(['cl_exact', 'cl_coffee', 'cl_acme']);
		expect(transport.requests).toHaveLength(2);
	});
});
