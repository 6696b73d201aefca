import type { IExecuteFunctions } from 'n8n-workflow';
import { isSafeObjectProperty } from 'n8n-workflow';

/** Exactly `={{ $json.a.b }}`: a chain of plain property names read from the item, nothing else. */
const PURE_JSON_PATH = /^=\{\{\s*\$json((?:\.[A-Za-z_$][\w$]*)+)\s*\}\}$/;

/**
 * A name n8n's engine could read differently from the item's own property: its sandbox blocks
 * some (`mainModule`, `caller`, ...), and its isolate answers Object.prototype's members itself.
 */
function unsafeName(name: string): boolean {
	return (
		typeof isSafeObjectProperty !== 'function' ||
		!isSafeObjectProperty(name) ||
		name in Object.prototype ||
		name === 'prototype'
	);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null) return false;
	const prototype = Object.getPrototypeOf(value) as unknown;
	return prototype === Object.prototype || prototype === null;
}

/**
 * The value n8n would resolve for a parameter that is exactly `={{ $json.a.b }}`, read straight
 * from the item (n8n's expression engine costs ~0.5 ms per item for it); undefined whenever the
 * value is not provably n8n's own (other shapes, missing, null, objects, lists), so the caller
 * asks getNodeParameter.
 */
export function readJsonPathParameter(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
): string | number | boolean | undefined {
	const raw: unknown = ctx.getNodeParameter(name, itemIndex, '', { rawExpressions: true });
	const path = typeof raw === 'string' ? PURE_JSON_PATH.exec(raw) : null;
	if (path === null) return undefined;
	let value: unknown = ctx.getInputData()[itemIndex]?.json;
	for (const key of path[1].slice(1).split('.')) {
		if (!isPlainObject(value) || unsafeName(key)) return undefined;
		// A getter has no `value`: it falls back rather than run twice.
		value = Object.getOwnPropertyDescriptor(value, key)?.value;
	}
	const kind = typeof value;
	return kind === 'string' || kind === 'number' || kind === 'boolean'
		? (value as string | number | boolean)
		: undefined;
}
