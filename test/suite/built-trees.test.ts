/**
 * dist/ and the Zapier upload are built once per run by jest's global set-up, for the files that
 * read them (READERS). A reading file missing from READERS would fail when run alone; this finds
 * it first: every test file that reaches builtTrees.ts (directly or through a stack helper) is
 * listed, and no file builds a tree itself.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

import { READERS } from '../support/builtTrees';

const ROOT = resolve(__dirname, '../..');

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? walk(path) : [path];
	});
}
const sources = walk(join(ROOT, 'test')).filter((f) => f.endsWith('.ts'));

/** Files under test/ that import (transitively) test/support/builtTrees.ts. */
function readersOfBuiltTrees(): Set<string> {
	const imports = new Map(
		sources.map((file) => {
			const text = readFileSync(file, 'utf8');
			const local = [...text.matchAll(/from '(\.[^']+)'/g)].map(
				(m) => resolve(dirname(file), m[1]) + '.ts',
			);
			return [file, local] as const;
		}),
	);
	const target = join(ROOT, 'test/support/builtTrees.ts');
	const reaches = (file: string, seen = new Set<string>()): boolean => {
		if (file === target) return true;
		if (seen.has(file)) return false;
		seen.add(file);
		return (imports.get(file) ?? []).some((next) => reaches(next, seen));
	};
	// This file imports only the READERS table.
	const self = join(ROOT, 'test/suite/built-trees.test.ts');
	return new Set(sources.filter((f) => f.endsWith('.test.ts') && f !== self && reaches(f)));
}

describe('built trees', () => {
	it('every test file that reads a built tree is one the global set-up builds it for', () => {
		const readers = [...readersOfBuiltTrees()].map((f) => relative(ROOT, f));
		expect(readers.length).toBeGreaterThanOrEqual(8);
		const unlisted = readers.filter(
			(file) => !Object.values(READERS).some((patterns) => patterns.some((p) => p.test(file))),
		);
		expect(unlisted).toEqual([]);
	});

	it('no test file builds dist/ or the Zapier app itself', () => {
		// Code only (comments may name the scripts); test/suite/ holds the checks on the suite.
		const code = (f: string) => readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
		const builders = sources
			.filter((f) => !relative(ROOT, f).startsWith('test/suite/'))
			.filter((f) =>
				/'run', 'build'|zapier-build\.sh|build-trees\.mjs|zapier\/tsconfig\.json/.test(code(f)),
			)
			.map((f) => relative(ROOT, f));
		expect(builders).toEqual(['test/support/global-setup.ts']);
	});
});
