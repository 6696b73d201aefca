import { hasHeader, headerValue, normaliseHeaders, parseResponseBody } from '../../shared/http';

describe('shared/http: the one place for header names and response bodies', () => {
	test('normaliseHeaders lower-cases names and joins repeated values, for every host shape', () => {
		const expected = {
			'retry-after': '2',
			'set-cookie': 'a=1, b=2',
			'content-type': 'application/json',
		};
		const plain = {
			'Retry-After': 2,
			'Set-Cookie': ['a=1', 'b=2'],
			'Content-Type': 'application/json',
			Empty: undefined,
		};
		expect(normaliseHeaders(plain)).toEqual(expected);
		// axios' AxiosHeaders
		expect(normaliseHeaders({ toJSON: () => plain })).toEqual(expected);
		// fetch-style Headers (Zapier's z.request response)
		const entries: Array<[string, unknown]> = [
			['Retry-After', '2'],
			['Set-Cookie', 'a=1, b=2'],
			['Content-Type', 'application/json'],
		];
		expect(
			normaliseHeaders({
				forEach: (cb: (v: unknown, k: string) => void) => entries.forEach(([k, v]) => cb(v, k)),
			}),
		).toEqual(expected);
		expect(normaliseHeaders(undefined)).toEqual({});
		expect(normaliseHeaders('x')).toEqual({});
	});

	test('headerValue and hasHeader ignore the case of the name', () => {
		const headers = { 'Retry-After': '3', accept: ['application/json', 'text/plain'] };
		expect(headerValue(headers, 'retry-after')).toBe('3');
		expect(headerValue(headers, 'RETRY-AFTER')).toBe('3');
		expect(headerValue(headers, 'Accept')).toBe('application/json');
		expect(headerValue(headers, 'content-type')).toBeUndefined();
		expect(hasHeader(headers, 'ACCEPT')).toBe(true);
		expect(hasHeader(headers, 'content-type')).toBe(false);
		expect(headerValue(undefined, 'accept')).toBeUndefined();
	});

	test('parseResponseBody parses JSON text, keeps other text and parsed bodies, and treats empty text as no body', () => {
		expect(parseResponseBody('{"id":"msg_1"}', 'application/json; charset=utf-8')).toEqual({
			id: 'msg_1',
		});
		expect(parseResponseBody(' [1,2] ', undefined)).toEqual([1, 2]);
		expect(parseResponseBody('{"id":', 'application/json')).toBe('{"id":');
		expect(parseResponseBody('Bad Gateway', 'text/html')).toBe('Bad Gateway');
		expect(parseResponseBody('', 'application/json')).toBeUndefined();
		expect(parseResponseBody('   ', 'text/plain')).toBeUndefined();
		const parsed = { id: 'msg_2' };
		expect(parseResponseBody(parsed, 'application/json')).toBe(parsed);
	});
});
