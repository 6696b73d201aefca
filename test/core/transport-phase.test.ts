import { failurePhaseForCode } from '../../shared/transport';

describe('failurePhaseForCode (shared by the axios, n8n and Zapier transports)', () => {
	it.each([
		'ECONNREFUSED',
		'ENOTFOUND',
		'EAI_AGAIN',
		'UND_ERR_CONNECT_TIMEOUT',
		'CERT_HAS_EXPIRED',
	])('%s: no connection was made, the request was never sent', (code) =>
		expect(failurePhaseForCode(code)).toBe('connect'),
	);
	it.each(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT'])(
		'%s: sent, no answer in time',
		(code) => expect(failurePhaseForCode(code)).toBe('timeout'),
	);
	it.each(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'SOMETHING_NEW', undefined])(
		'%s: ambiguous (may have been processed), never retried for a POST',
		(code) => expect(failurePhaseForCode(code)).toBe('response'),
	);
});
