/**
 * The built trees a test reads, as jest's global set-up prepared them for this run
 * (test/support/global-setup.ts, scripts/build-trees.mjs). Readers never build: a tree that was
 * not prepared, or was rebuilt since, is an error that names the file, not a silent stale test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type Tree = 'dist' | 'zapier';

/** Which test files read which tree (paths from the repository root). */
export const READERS: Record<Tree, RegExp[]> = {
	dist: [/^test\/(e2e|e2e-queue|browser)\//, /^test\/release\/install\.test\.ts$/],
	zapier: [/^test\/zapier-zip\//, /^test\/zapier\/validate\.test\.ts$/],
};

const ROOT = resolve(__dirname, '../..');

function prepared(tree: Tree): string {
	const built = JSON.parse(process.env.IP_BUILT_TREES || '{}') as Partial<Record<Tree, string>>;
	const hash = built[tree];
	if (!hash) {
		throw new Error(
			`${tree} was not built for this run: run the tests with jest (its global set-up builds it) ` +
				`and list the reading file in READERS of test/support/builtTrees.ts`,
		);
	}
	const stamp = join(ROOT, 'node_modules/.cache/intelliportal-build', `${tree}.sha256`);
	if (hash !== 'as-is' && (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== hash)) {
		throw new Error(`${tree} was rebuilt from other sources during this run; run the tests again`);
	}
	return hash;
}

/** The package directory whose dist/ was built for this run (the repository root). */
export function builtPackageDir(): string {
	prepared('dist');
	return ROOT;
}

/** The Zapier app built for this run: zapier/ (index.js → lib/) and the upload zip. */
export function builtZapier(): { appDir: string; zip: string } {
	prepared('zapier');
	return { appDir: join(ROOT, 'zapier'), zip: join(ROOT, 'zapier/build/build.zip') };
}
