/**
 * Finds file paths in test sources (and the scripts and modules they run) that leave the
 * repository: `..` beyond its root, or absolute paths such as /work/shared. Static: it evaluates
 * what it can (string literals, __dirname, constants built with join/resolve/dirname, the
 * shell's "$(dirname "$0")") and skips what only exists at run time (tmpdir(), homedir(), env).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';

import ts from 'typescript';

export interface Escape {
	file: string;
	line: number;
	path: string;
	why: string;
}

// Where a machine keeps things that are not ours; /tmp (the tests' own temp files) and /dev
// (/dev/null) are the allowed absolute paths.
const FOREIGN_ROOTS = new Set([
	...['bin', 'boot', 'etc', 'home', 'lib', 'lib64', 'media', 'mnt', 'opt', 'root', 'run'],
	...['sbin', 'shared', 'srv', 'usr', 'var', 'work', 'Users', 'Volumes', 'workspace'],
	...readdirSync('/').filter((name) => !['tmp', 'dev', 'proc', 'sys'].includes(name)),
]);

function inside(root: string, path: string): boolean {
	const rel = relative(root, path);
	return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep));
}

/** The absolute path a literal names when it starts in a foreign top-level folder. */
function foreignAbsolute(text: string): string | undefined {
	const match = /^\/([A-Za-z0-9._-]+)(\/|$)/.exec(text);
	return match && FOREIGN_ROOTS.has(match[1]) ? text : undefined;
}

const PATH_CALLS = new Set(['join', 'resolve', 'dirname']);

function scanScript(root: string, file: string, text: string): Escape[] {
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
	const found: Escape[] = [];
	const constants = new Map<string, string>();
	const pathParts = new Set<ts.Node>();
	const at = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
	const report = (node: ts.Node, path: string, why: string) =>
		found.push({ file: relative(root, file), line: at(node), path, why });

	/** The path an expression evaluates to, when it can be known without running it. */
	function evaluate(node: ts.Expression): string | undefined {
		if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
		if (ts.isParenthesizedExpression(node)) return evaluate(node.expression);
		if (ts.isIdentifier(node)) {
			if (node.text === '__dirname') return dirname(file);
			if (node.text === '__filename') return file;
			return constants.get(node.text);
		}
		if (ts.isCallExpression(node)) {
			const callee = node.expression;
			const name = ts.isIdentifier(callee)
				? callee.text
				: ts.isPropertyAccessExpression(callee)
					? callee.name.text
					: '';
			if (name === 'cwd' && ts.isPropertyAccessExpression(callee)) return root;
			if (!PATH_CALLS.has(name)) return undefined;
			const parts = node.arguments.map(evaluate);
			if (parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
			const [first, ...rest] = parts as string[];
			if (name === 'dirname') return dirname(first);
			// Relative paths are read from the working directory: the repository root.
			return name === 'resolve' || first.startsWith('/')
				? resolve(root, first, ...rest)
				: join(first, ...rest);
		}
		return undefined;
	}

	function checkSpecifier(node: ts.StringLiteralLike) {
		if (!node.text.startsWith('.')) return;
		const target = resolve(dirname(file), node.text);
		if (!inside(root, target)) report(node, target, 'module path leaves the repository');
	}

	function visit(node: ts.Node) {
		if (
			(ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
			node.moduleSpecifier &&
			ts.isStringLiteralLike(node.moduleSpecifier)
		) {
			checkSpecifier(node.moduleSpecifier);
			return;
		}
		if (ts.isCallExpression(node)) {
			const callee = node.expression.getText(source);
			const [first] = node.arguments;
			if (
				first &&
				ts.isStringLiteralLike(first) &&
				/^(require|import|jest\.(mock|requireActual|doMock|unmock))$/.test(callee)
			) {
				checkSpecifier(first);
				return;
			}
			const value = evaluate(node);
			if (value !== undefined && value.startsWith('/') && !inside(root, value)) {
				report(node, value, 'path built outside the repository');
				return;
			}
			// A path call's own '..' parts are judged by what the call evaluates to.
			if (/(^|\.)(join|resolve|dirname)$/.test(callee))
				for (const arg of node.arguments) pathParts.add(arg);
		}
		if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
			const value = evaluate(node.initializer);
			if (value !== undefined) constants.set(node.name.text, value);
		}
		if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node)) {
			const absolute = foreignAbsolute(node.text);
			if (absolute) report(node, absolute, 'absolute path outside the repository');
			else if (
				!pathParts.has(node) &&
				node.text.startsWith('../') &&
				!inside(root, resolve(root, node.text))
			)
				report(node, resolve(root, node.text), 'relative path leaves the repository');
		}
		ts.forEachChild(node, visit);
	}
	visit(source);
	return found;
}

/** Shell: "$(dirname "$0")/..", variables set from it, and absolute words outside the root. */
function scanShell(root: string, file: string, text: string): Escape[] {
	const found: Escape[] = [];
	const known = new Map<string, string>();
	const here = dirname(file);
	const expand = (word: string) =>
		word
			.replace(
				/\$\(cd "\$\(dirname "(\$0|\$\{BASH_SOURCE\[0\]\})"\)([^"]*)" && pwd\)/g,
				(_, _s, p) => resolve(here + p),
			)
			.replace(/\$\(dirname "(\$0|\$\{BASH_SOURCE\[0\]\})"\)/g, here)
			.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (whole, name) => known.get(name) ?? whole);
	text.split('\n').forEach((raw, index) => {
		const line = raw.replace(/(^|\s)#.*$/, '');
		if (!line.trim()) return;
		const expanded = expand(line);
		const assignment = /^\s*(?:local\s+)?([A-Za-z_][A-Za-z0-9_]*)="([^"$]*)"\s*$/.exec(
			expanded.replace(/"\$\(cd "([^"]*)" && pwd\)"/, '"$1"'),
		);
		if (assignment && assignment[2].startsWith('/'))
			known.set(assignment[1], resolve(assignment[2]));
		const report = (path: string, why: string) =>
			found.push({ file: relative(root, file), line: index + 1, path, why });
		for (const match of expanded.matchAll(/(?:^|[\s"'=:(])(\/[^\s"'`;|&)]*)/g)) {
			const word = match[1];
			if (word.startsWith(root) || word.startsWith(here)) {
				if (!inside(root, resolve(word))) report(resolve(word), 'path leaves the repository');
			} else if (foreignAbsolute(word)) report(word, 'absolute path outside the repository');
		}
		if (/(^|[\s;&])cd\s+\.\.(\/|\s|$)/.test(line) && !inside(root, resolve(here, '..')))
			report(resolve(here, '..'), 'cd leaves the repository');
	});
	return found;
}

const SCRIPT_EXTENSIONS = new Set(['.ts', '.js', '.cjs', '.mjs']);

/** The escapes in one file, by its kind (TypeScript/JavaScript or shell). */
export function scanFile(root: string, file: string, text: string): Escape[] {
	if (SCRIPT_EXTENSIONS.has(extname(file))) return scanScript(root, file, text);
	if (extname(file) === '.sh' || text.startsWith('#!/usr/bin/env bash'))
		return scanShell(root, file, text);
	return [];
}

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (name === 'node_modules') return [];
		return statSync(path).isDirectory() ? walk(path) : [path];
	});
}

/** Relative imports of a source file that resolve to files in the repository. */
function localImports(file: string, text: string): string[] {
	return ts.preProcessFile(text, true, true).importedFiles.flatMap(({ fileName }) => {
		if (!fileName.startsWith('.')) return [];
		const base = resolve(dirname(file), fileName);
		const candidates = ['', '.ts', '.js', '.mjs', '.cjs', '/index.ts', '/index.js'].map(
			(ext) => base + ext,
		);
		return candidates.filter((c) => statSync(c, { throwIfNoEntry: false })?.isFile()).slice(0, 1);
	});
}

/**
 * What the suite runs: every file under test/ and scripts/, .ci/run, ./dev, the jest config,
 * and every repository module those import (emulator, core, nodes, bench…), transitively.
 */
export function suiteFiles(root: string): string[] {
	const start = [
		...walk(join(root, 'test')),
		...walk(join(root, 'scripts')),
		...['.ci/run', 'dev', 'jest.config.js'].map((f) => join(root, f)),
	].filter((f) => SCRIPT_EXTENSIONS.has(extname(f)) || extname(f) === '.sh' || !extname(f));
	const seen = new Set<string>();
	const queue = [...start];
	while (queue.length > 0) {
		const file = queue.pop() as string;
		if (seen.has(file) || !inside(root, file)) continue;
		seen.add(file);
		if (SCRIPT_EXTENSIONS.has(extname(file)))
			queue.push(...localImports(file, readFileSync(file, 'utf8')));
	}
	return [...seen].sort();
}
