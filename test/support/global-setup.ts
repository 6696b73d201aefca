/**
 * jest's global set-up: builds dist/ (the n8n package) and the Zapier upload once per run, before
 * any test file starts, and only when a selected file reads them. Test files never build: they
 * take the tree from test/support/builtTrees.ts, so none sees a half-built or stale tree.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { Config } from '@jest/types';

import { READERS, type Tree } from './builtTrees';

const ROOT = resolve(__dirname, '../..');

function testFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return testFiles(path);
		return name.endsWith('.test.ts') ? [path] : [];
	});
}

/** The test files this run selected (all of them when jest selects by other means). */
function selectedFiles(config: Config.GlobalConfig): string[] {
	const all = testFiles(join(ROOT, 'test'));
	if (config.findRelatedTests || config.onlyChanged || config.watch || config.watchAll) return all;
	if (!config.testPathPattern) return all;
	const pattern = new RegExp(config.testPathPattern, 'i');
	return all.filter((file) => pattern.test(file));
}

export default function globalSetup(config: Config.GlobalConfig): void {
	const selected = selectedFiles(config).map((f) => f.slice(ROOT.length + 1));
	const built: Partial<Record<Tree, string>> = {};
	for (const tree of Object.keys(READERS) as Tree[]) {
		if (!selected.some((file) => READERS[tree].some((reader) => reader.test(file)))) continue;
		// npm run e2e:compat has built dist/ itself and tests another n8n against it.
		if (tree === 'dist' && process.env.IP_E2E_SKIP_BUILD === '1') {
			built.dist = 'as-is';
			continue;
		}
		built[tree] = execFileSync(process.execPath, [join(ROOT, 'scripts/build-trees.mjs'), tree], {
			cwd: ROOT,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
		}).trim();
	}
	// Worker processes inherit this: a reader knows the tree was prepared for this run.
	process.env.IP_BUILT_TREES = JSON.stringify(built);
}
