import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

describe('contract and generated types', () => {
	it('shared/generated/openapi.ts is exactly what `npm run generate:types` produces from shared/openapi.json', () => {
		// openapi-typescript is ESM-only, so run its CLI (the same one the npm script runs) in a child.
		const dir = mkdtempSync(join(tmpdir(), 'ip-types-'));
		try {
			const out = join(dir, 'openapi.ts');
			const cli = join(root, 'node_modules/openapi-typescript/bin/cli.js');
			execFileSync(process.execPath, [cli, join(root, 'shared/openapi.json'), '-o', out], {
				stdio: 'pipe',
			});
			expect(readFileSync(join(root, 'shared/generated/openapi.ts'), 'utf8')).toBe(
				readFileSync(out, 'utf8'),
			);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	const upstream = join(root, '..', 'shared', 'intelliportal-openapi.json');
	it('shared/openapi.json equals the read-only upstream contract', () => {
		if (!existsSync(upstream)) {
			throw new Error(
				`The upstream contract ${upstream} is missing: this repository is checked out beside the ` +
					"project's shared/ folder (../shared/intelliportal-openapi.json); clone it there, or copy the " +
					'contract to that path, to compare shared/openapi.json with it.',
			);
		}
		{
			expect(JSON.parse(readFileSync(join(root, 'shared/openapi.json'), 'utf8'))).toEqual(
				JSON.parse(readFileSync(upstream, 'utf8')),
			);
		}
	});
});
