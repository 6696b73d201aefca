import type { Operation } from 'openapi-backend';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// openapi-backend reaches an ESM-only dependency (@apidevtools/json-schema-ref-parser). Node 24
// loads it natively through require(esm), but Jest's CommonJS module registry cannot, so the
// validator stack is loaded with Node's own require (process.getBuiltinModule bypasses Jest's registry) (same modules, same behaviour, in every host:
// tsx, jest, plain node).
const nativeRequire = (
	process.getBuiltinModule('node:module') as typeof import('node:module')
).createRequire(__filename);
const { default: OpenAPIBackend } = nativeRequire(
	'openapi-backend',
) as typeof import('openapi-backend');
const addFormats = (
	nativeRequire('ajv-formats') as { default: typeof import('ajv-formats').default }
).default;
type OpenAPIBackend = import('openapi-backend').default;

/** One validation problem, with the field path in the caller's terms (`text.body`, `limit`). */
export interface FieldIssue {
	field: string;
	message: string;
	keyword?: string;
}

export interface RequestToValidate {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	query: Record<string, string | string[]>;
	body: unknown;
}

export const CONTRACT_PATH = join(__dirname, '..', 'shared', 'openapi.json');

/**
 * Request validation against the OpenAPI contract with openapi-backend (Ajv 8 + ajv-formats).
 * openapi-backend compiles the operation schemas with Ajv's default dialect; the contract only
 * uses keywords that mean the same in OpenAPI 3.1 / JSON Schema 2020-12 (type, required,
 * properties, enum, items, format, default), so that dialect validates it exactly. `format` is
 * enforced (ajv-formats), which openapi-backend alone would ignore for `uri`.
 */
export class ContractValidator {
	private readonly api: OpenAPIBackend;

	private constructor(api: OpenAPIBackend) {
		this.api = api;
	}

	static async load(contractPath = CONTRACT_PATH): Promise<ContractValidator> {
		const definition = JSON.parse(readFileSync(contractPath, 'utf8'));
		const api = new OpenAPIBackend({
			definition,
			apiRoot: '/v1',
			strict: true,
			coerceTypes: true,
			ajvOpts: { allErrors: true },
			customizeAjv: (ajv) => {
				addFormats(ajv as unknown as Parameters<typeof addFormats>[0]);
				return ajv;
			},
		});
		await api.init();
		return new ContractValidator(api);
	}

	/** The contract operation for method + path, or undefined. */
	match(method: string, path: string): Operation | undefined {
		return this.api.router.matchOperation({ method, path, headers: {} }) as Operation | undefined;
	}

	/** True when some operation exists for this path under any method (405 vs 404). */
	allowedMethods(path: string): string[] {
		return this.api.router
			.getOperations()
			.filter((op) => `/v1${op.path}` === path)
			.map((op) => op.method.toUpperCase());
	}

	validate(req: RequestToValidate, operation: Operation): FieldIssue[] {
		const result = this.api.validateRequest(
			{
				method: req.method,
				path: req.path,
				headers: req.headers as Record<string, string>,
				query: req.query,
				body: req.body,
			},
			operation,
		);
		if (result.valid) return [];
		return (result.errors ?? []).map((e) => toFieldIssue(e));
	}
}

interface AjvLikeError {
	instancePath?: string;
	keyword?: string;
	params?: Record<string, unknown>;
	message?: string;
}

function toFieldIssue(error: AjvLikeError): FieldIssue {
	const segments = (error.instancePath ?? '').split('/').filter(Boolean);
	// openapi-backend wraps the parts as { requestBody, query, path, headers }.
	if (
		segments[0] === 'requestBody' ||
		segments[0] === 'query' ||
		segments[0] === 'path' ||
		segments[0] === 'headers'
	) {
		segments.shift();
	}
	if (error.keyword === 'required' && error.params?.missingProperty === 'requestBody') {
		return { field: 'body', message: 'a JSON request body is required', keyword: 'required' };
	}
	if (error.keyword === 'required' && typeof error.params?.missingProperty === 'string') {
		segments.push(error.params.missingProperty);
	}
	let field = '';
	for (const s of segments) field += /^\d+$/.test(s) ? `[${s}]` : field ? `.${s}` : s;
	if (!field) field = 'body';
	let message = error.message ?? 'is invalid';
	if (error.keyword === 'required') message = 'is required';
	if (error.keyword === 'enum' && Array.isArray(error.params?.allowedValues)) {
		message = `must be one of: ${(error.params.allowedValues as unknown[]).join(', ')}`;
	}
	return { field, message, keyword: error.keyword };
}
