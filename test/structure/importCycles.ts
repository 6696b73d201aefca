import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

import ts from 'typescript';

/** A file's run-time imports of other files: type-only imports and exports vanish when compiled. */
export function runtimeImports(source: string): string[] {
	const file = ts.createSourceFile('file.ts', source, ts.ScriptTarget.Latest, false);
	const specifiers: string[] = [];
	for (const statement of file.statements) {
		if (ts.isImportDeclaration(statement)) {
			const clause = statement.importClause;
			if (clause?.isTypeOnly) continue;
			const bindings = clause?.namedBindings;
			const onlyTypes =
				clause !== undefined &&
				clause.name === undefined &&
				bindings !== undefined &&
				ts.isNamedImports(bindings) &&
				bindings.elements.length > 0 &&
				bindings.elements.every((element) => element.isTypeOnly);
			if (!onlyTypes) specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
		} else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) {
			if (!statement.isTypeOnly)
				specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
		}
	}
	return specifiers;
}

/** A relative specifier as the file it loads (`./a` → a.ts or a/index.ts), else undefined. */
function resolveSpecifier(from: string, specifier: string, files: Set<string>): string | undefined {
	if (!specifier.startsWith('.')) return undefined;
	const base = join(dirname(from), specifier);
	return [`${base}.ts`, join(base, 'index.ts'), base].find((candidate) => files.has(candidate));
}

/** Every cycle of run-time imports among `sources` (path → text), each as the paths around it. */
export function importCycles(sources: Map<string, string>): string[][] {
	const files = new Set(sources.keys());
	const graph = new Map<string, string[]>();
	for (const [path, text] of sources) {
		const targets = runtimeImports(text).map((s) => resolveSpecifier(path, s, files));
		graph.set(
			path,
			targets.filter((target): target is string => target !== undefined),
		);
	}
	const cycles: string[][] = [];
	const state = new Map<string, 'open' | 'done'>();
	const stack: string[] = [];
	const visit = (path: string) => {
		state.set(path, 'open');
		stack.push(path);
		for (const target of graph.get(path) ?? []) {
			if (state.get(target) === 'open')
				cycles.push([...stack.slice(stack.indexOf(target)), target]);
			else if (!state.has(target)) visit(target);
		}
		stack.pop();
		state.set(path, 'done');
	};
	for (const path of [...graph.keys()].sort()) if (!state.has(path)) visit(path);
	return cycles;
}

/** The TypeScript sources under `folders` of `root`, by path relative to it. */
export function readSources(root: string, folders: string[]): Map<string, string> {
	const sources = new Map<string, string>();
	const walk = (directory: string) => {
		for (const name of readdirSync(directory)) {
			const path = join(directory, name);
			if (statSync(path).isDirectory()) walk(path);
			else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) {
				sources.set(relative(root, path), readFileSync(path, 'utf8'));
			}
		}
	};
	for (const folder of folders) {
		const directory = resolve(root, folder);
		if (existsSync(directory)) walk(directory);
	}
	return sources;
}
