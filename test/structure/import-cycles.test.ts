/**
 * No import cycles in the production code: a cycle makes what a module sees at load time depend
 * on which file was imported first. Type-only imports do not count (they vanish when compiled).
 */
import { join } from 'node:path';

import { importCycles, readSources } from './importCycles';

const ROOT = join(__dirname, '..', '..');
const FOLDERS = ['nodes', 'shared', 'credentials', 'zapier/src'];

test('nodes/, shared/, credentials/ and zapier/src have no run-time import cycle', () => {
	const sources = readSources(ROOT, FOLDERS);
	expect(sources.size).toBeGreaterThan(50);
	expect(importCycles(sources)).toEqual([]);
});

test('the check finds a cycle through re-exports and index files, and ignores type-only ones', () => {
	const sources = new Map([
		['a.ts', "import { b } from './b';\nexport const a = b;"],
		['b.ts', "export { c as b } from './lib';"],
		['lib/index.ts', "import { a } from '../a';\nexport const c = a;"],
		['typed.ts', "import type { T } from './types';\nexport type U = T;"],
		['types.ts', "import { type U } from './typed';\nexport type T = U;"],
	]);
	expect(importCycles(sources)).toEqual([['a.ts', 'b.ts', 'lib/index.ts', 'a.ts']]);
});
