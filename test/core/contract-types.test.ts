import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

	// Comparing with an upstream copy (outside the repository) is `npm run check:contract -- <path>`.
	describe('npm run check:contract', () => {
		const script = join(root, 'scripts/check-contract.mjs');
		const check = (file: string) =>
			spawnSync(process.execPath, [script, file], { encoding: 'utf8', cwd: root });

		it('exits 0 for an identical copy', () => {
			const result = check(join(root, 'shared/openapi.json'));
			expect(result.stderr).toBe('');
			expect(result.status).toBe(0);
		});

		it('exits 1 and names each difference as a JSON pointer', () => {
			const dir = mkdtempSync(join(tmpdir(), 'ip-contract-'));
			try {
				const changed = JSON.parse(readFileSync(join(root, 'shared/openapi.json'), 'utf8'));
				changed.info.version = '9.9.9';
				changed.paths['/new/route'] = {};
				const file = join(dir, 'upstream.json');
				writeFileSync(file, JSON.stringify(changed));
				const result = check(file);
				expect(result.status).toBe(1);
				expect(result.stderr).toContain('in 2 place(s)');
				expect(result.stderr).toContain('/info/version: "1.0.0" != "9.9.9"');
				expect(result.stderr).toContain('/paths/~1new~1route: only upstream');
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		});

		it('exits 2 without a path', () => {
			const result = spawnSync(process.execPath, [script], { encoding: 'utf8' });
			expect(result.status).toBe(2);
			expect(result.stderr).toContain('usage: npm run check:contract -- <path');
		});
	});
});
