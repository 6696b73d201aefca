/**
 * The checks every validator is built from: each problem is collected under its field path
 * (`text.body`, `limit`) and all of them are thrown together as one ValidationError.
 */
import { ValidationError } from './errors';
import type { ValidationIssue } from './errors';
import { isRecord } from './guards';
import { parseHttpUrl } from './url';

type Obj = Record<string, unknown>;

/** What a value is, for a message (never the value itself: it may be a secret). */
export function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Own enumerable property, never inherited (so `__proto__` tricks read nothing). */
export function own(obj: Obj, key: string): unknown {
	return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** One field's rule in a request type's table: its kind, limits and whether it is required. */
export type Rule =
	| { kind: 'string' | 'url'; max: number; optional?: true }
	| { kind: 'integer'; min: number; max: number; fallback: number };

export class Collector {
	readonly issues: ValidationIssue[] = [];

	add(field: string, message: string): void {
		this.issues.push({ field, message });
	}

	object(value: unknown, field: string): Obj | undefined {
		if (isRecord(value)) return value;
		this.add(
			field,
			value === undefined ? 'is required' : `must be an object, got ${describe(value)}`,
		);
		return undefined;
	}

	/** Required (or optional) non-empty trimmed string with a length cap. */
	string(value: unknown, field: string, max: number, required = true): string | undefined {
		if (value === undefined || value === null) {
			if (required) this.add(field, 'is required');
			return undefined;
		}
		if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
		if (typeof value !== 'string') {
			this.add(field, `must be a text value, got ${describe(value)}`);
			return undefined;
		}
		const trimmed = value.trim();
		if (trimmed === '') {
			if (required) this.add(field, 'must not be empty');
			return undefined;
		}
		if (trimmed.length > max) {
			this.add(field, `must be at most ${max} characters (got ${trimmed.length})`);
			return undefined;
		}
		return trimmed;
	}

	url(value: unknown, field: string, max: number, required: boolean): string | undefined {
		const text = this.string(value, field, max, required);
		if (text === undefined) return undefined;
		if (!parseHttpUrl(text)) {
			this.add(field, 'must be an absolute http(s) URL, e.g. https://example.com/file.jpg');
			return undefined;
		}
		return text;
	}

	integer(value: unknown, field: string, min: number, max: number, fallback: number): number {
		if (value === undefined || value === null || value === '') return fallback;
		const n = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
		if (typeof n !== 'number' || !Number.isInteger(n)) {
			this.add(
				field,
				`must be a whole number${max < Number.MAX_SAFE_INTEGER ? ` between ${min} and ${max}` : ` >= ${min}`}`,
			);
			return fallback;
		}
		if (n < min || n > max) {
			this.add(
				field,
				max < Number.MAX_SAFE_INTEGER
					? `must be between ${min} and ${max}`
					: n < min
						? `must be >= ${min}`
						: `must be at most ${max}`,
			);
			return fallback;
		}
		return n;
	}

	/** Each table field of `body` under `prefix`, checked by its rule; the valid ones, in table order. */
	fields(body: Obj, table: Record<string, Rule>, prefix = ''): Obj {
		const out: Obj = {};
		for (const [key, rule] of Object.entries(table)) {
			const value = own(body, key);
			const field = prefix + key;
			const checked =
				rule.kind === 'integer'
					? this.integer(value, field, rule.min, rule.max, rule.fallback)
					: this[rule.kind](value, field, rule.max, !rule.optional);
			if (checked !== undefined) out[key] = checked;
		}
		return out;
	}

	throwIfAny(): void {
		if (this.issues.length > 0) throw ValidationError.fromIssues(this.issues);
	}
}
