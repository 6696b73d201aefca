import {
	AuthenticationError,
	ConflictError,
	IntelliPortalError,
	NotFoundError,
	RateLimitError,
	ServerError,
	ValidationError,
} from '../../shared/errors';
import { fromHttpResponse, parseRetryAfter } from '../../shared/failures';

const NOW = Date.parse('2026-11-25T06:00:00Z');

describe('fromHttpResponse', () => {
	it('400 → ValidationError with the server code, message and field from details', () => {
		const error = fromHttpResponse(
			400,
			{},
			{
				error: {
					code: 'validation_error',
					message: 'to is required',
					details: { errors: [{ field: 'to', message: 'is required' }] },
				},
			},
		);
		expect(error).toBeInstanceOf(ValidationError);
		expect(error.code).toBe('validation_error');
		expect(error.message).toContain('to is required');
		expect((error as ValidationError).field).toBe('to');
		expect((error as ValidationError).issues).toEqual([{ field: 'to', message: 'is required' }]);
		expect(error.httpStatus).toBe(400);
		expect(error.retryable).toBe(false);
		expect(error.mayHaveBeenSent).toBe(false);
	});

	it('400 with details.field', () => {
		const error = fromHttpResponse(
			400,
			{},
			{ error: { message: 'Invalid URL', details: { field: 'url' } } },
		) as ValidationError;
		expect(error.field).toBe('url');
	});

	it.each([401, 403])(
		'%d → AuthenticationError saying the key was refused (the hosts say what to do)',
		(status) => {
			const error = fromHttpResponse(status, {}, undefined);
			expect(error).toBeInstanceOf(AuthenticationError);
			expect(error.message).toMatch(
				/^The API key (was not accepted|is not allowed to do this) \(40[13]\)$/,
			);
			expect(error.httpStatus).toBe(status);
		},
	);

	it('404 → NotFoundError with the server message, default "Not found"', () => {
		expect(
			fromHttpResponse(
				404,
				{},
				{ error: { code: 'template_not_found', message: "Template 'x' not found" } },
			),
		).toMatchObject({
			message: "Template 'x' not found",
			code: 'template_not_found',
		});
		expect(fromHttpResponse(404, {}, '')).toBeInstanceOf(NotFoundError);
	});

	it('409 → ConflictError', () => {
		const error = fromHttpResponse(409, {}, undefined);
		expect(error).toBeInstanceOf(ConflictError);
		expect(error.message).toBe('Client already exists');
	});

	it('429 → RateLimitError with Retry-After in seconds or as HTTP-date', () => {
		const seconds = fromHttpResponse(429, { 'Retry-After': '3' }, undefined) as RateLimitError;
		expect(seconds).toBeInstanceOf(RateLimitError);
		expect(seconds.retryAfterMs).toBe(3000);
		expect(seconds.retryable).toBe(true);
		expect(seconds.mayHaveBeenSent).toBe(false);
		const date = fromHttpResponse(
			429,
			{ 'retry-after': new Date(NOW + 7000).toUTCString() },
			undefined,
			{ now: NOW },
		) as RateLimitError;
		expect(date.retryAfterMs).toBe(7000);
		expect((fromHttpResponse(429, {}, undefined) as RateLimitError).retryAfterMs).toBeUndefined();
	});

	it('5xx → ServerError; a POST may have been processed unless 503 + Retry-After', () => {
		const e500 = fromHttpResponse(500, {}, { error: { message: 'boom' } }, { method: 'POST' });
		expect(e500).toBeInstanceOf(ServerError);
		expect(e500.message).toBe('IntelliPortal server error (500): boom');
		expect(e500.mayHaveBeenSent).toBe(true);
		expect(fromHttpResponse(502, {}, undefined, { method: 'GET' }).mayHaveBeenSent).toBe(false);
		const e503 = fromHttpResponse(503, { 'retry-after': '2' }, undefined, {
			method: 'POST',
		}) as ServerError;
		expect(e503.retryAfterMs).toBe(2000);
		expect(e503.mayHaveBeenSent).toBe(false);
	});

	it('other statuses → IntelliPortalError', () => {
		const error = fromHttpResponse(418, {}, undefined);
		expect(error).toBeInstanceOf(IntelliPortalError);
		expect(error.code).toBe('unexpected_status');
	});
});

describe('parseRetryAfter', () => {
	it.each([
		['0', 0],
		['1.5', 1500],
		['120', 120000],
		[new Date(NOW + 2000).toUTCString(), 2000],
		[new Date(NOW - 2000).toUTCString(), 0],
		['soon', undefined],
		['', undefined],
		[undefined, undefined],
	])('%p → %p', (value, expected) => {
		expect(parseRetryAfter(value, NOW)).toBe(expected);
	});
});

describe('error serialisation', () => {
	it('toJSON carries the typed fields', () => {
		const error = fromHttpResponse(
			429,
			{ 'retry-after': '2' },
			{ error: { message: 'slow down' } },
		);
		expect(JSON.parse(JSON.stringify(error))).toEqual({
			name: 'RateLimitError',
			kind: 'rate_limit',
			code: 'rate_limited',
			message: 'Rate limit exceeded: slow down.',
			retryable: true,
			mayHaveBeenSent: false,
			httpStatus: 429,
			retryAfterMs: 2000,
		});
	});
});
