#!/usr/bin/env node
// `npm run check:contract -- <path>`: compares shared/openapi.json (the contract this repository
// builds on) with an upstream copy of the IntelliPortal OpenAPI document. Not a test: the
// upstream copy lives outside the repository, and the suite reads nothing outside it.
// Prints each difference as a JSON pointer; exit 0 when equal, 1 when they differ, 2 on bad use.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ours = path.join(root, 'shared', 'openapi.json');
const MAX_SHOWN = 50;

/** Every place where `a` and `b` differ, as [JSON pointer, what differs]. */
export function differences(a, b, pointer = '') {
	if (Object.is(a, b)) return [];
	const kind = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
	if (kind(a) !== kind(b) || (kind(a) !== 'object' && kind(a) !== 'array')) {
		return [[pointer || '/', `${JSON.stringify(a)} != ${JSON.stringify(b)}`]];
	}
	const found = [];
	const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
	for (const key of keys) {
		const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
		if (!(key in b)) found.push([at, 'only in shared/openapi.json']);
		else if (!(key in a)) found.push([at, 'only upstream']);
		else found.push(...differences(a[key], b[key], at));
	}
	return found;
}

function readJson(file) {
	try {
		return JSON.parse(readFileSync(file, 'utf8'));
	} catch (error) {
		console.error(`check:contract: cannot read ${file} as JSON: ${error.message}`);
		process.exit(2);
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const upstream = process.argv[2];
	if (!upstream) {
		console.error('usage: npm run check:contract -- <path to the upstream OpenAPI JSON>');
		process.exit(2);
	}
	const found = differences(readJson(ours), readJson(path.resolve(upstream)));
	if (found.length === 0) {
		console.log(`shared/openapi.json equals ${upstream}`);
		process.exit(0);
	}
	console.error(`shared/openapi.json differs from ${upstream} in ${found.length} place(s):`);
	for (const [at, what] of found.slice(0, MAX_SHOWN)) console.error(`  ${at}: ${what}`);
	if (found.length > MAX_SHOWN) console.error(`  … and ${found.length - MAX_SHOWN} more`);
	process.exit(1);
}
