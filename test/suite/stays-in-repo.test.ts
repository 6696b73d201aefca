/**
 * The suite reads nothing outside the repository: a clone in a folder of its own (GitHub's
 * checkout, a new contributor's) must run green. Upstream comparisons are commands
 * (`npm run check:contract -- <path>`), not tests.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { scanFile, suiteFiles } from './repoBounds';

const ROOT = resolve(__dirname, '../..');

describe('test sources stay inside the repository', () => {
	const files = suiteFiles(ROOT);

	it('scans the tests, the scripts they run and the modules they import', () => {
		const rel = files.map((f) => f.slice(ROOT.length + 1));
		for (const expected of [
			'test/core/contract-types.test.ts',
			'test/e2e/stack.ts',
			'scripts/zapier-build.sh',
			'scripts/n8n/install.sh',
			'.ci/run',
			'emulator/index.ts',
			'shared/index.ts',
		]) {
			expect(rel).toContain(expected);
		}
	});

	it('finds no path that leaves the repository root', () => {
		// The scanner and this file hold escapes on purpose, as the examples below.
		const examples = ['test/suite/repoBounds.ts', 'test/suite/stays-in-repo.test.ts'];
		const escapes = files
			.filter((f) => !examples.includes(f.slice(ROOT.length + 1)))
			.flatMap((f) => scanFile(ROOT, f, readFileSync(f, 'utf8')));
		expect(escapes.map((e) => `${e.file}:${e.line} ${e.why}: ${e.path}`)).toEqual([]);
	});

	describe('the scanner names what leaves (so the check above can fail)', () => {
		const at = (file: string) => join(ROOT, file);
		const scan = (file: string, text: string) =>
			scanFile(ROOT, at(file), text).map((e) => `${e.line} ${e.path}`);

		it('`..` beyond the root, through constants built with join/resolve', () => {
			const text = [
				"const root = join(__dirname, '..', '..');",
				"const upstream = join(root, '..', 'shared', 'intelliportal-openapi.json');",
				"const fine = resolve(__dirname, '../..', 'shared/openapi.json');",
				"readFileSync(resolve(__dirname, '../../..', 'x.json'));",
			].join('\n');
			expect(scan('test/core/example.test.ts', text)).toEqual([
				`2 ${resolve(ROOT, '..', 'shared', 'intelliportal-openapi.json')}`,
				`4 ${resolve(ROOT, '..', 'x.json')}`,
			]);
		});

		it('absolute paths outside the root, relative reads and imports that climb out', () => {
			const text = [
				"readFileSync('/work/shared/intelliportal-openapi.json');",
				"const tmp = '/tmp/ok'; const url = '/clients/signup';",
				"readFileSync('../shared/x.json');",
				"import { x } from '../../../elsewhere';",
				"jest.mock('../../nodes/IntelliPortal/transport');",
				'const t = `/home/someone/${name}`;',
			].join('\n');
			expect(scan('test/core/example.test.ts', text)).toEqual([
				'1 /work/shared/intelliportal-openapi.json',
				`3 ${resolve(ROOT, '..', 'shared/x.json')}`,
				`4 ${resolve(ROOT, '..', 'elsewhere')}`,
				'6 /home/someone/',
			]);
		});

		it('shell: "$(dirname "$0")" climbing out, variables set from it, absolute words', () => {
			const text = [
				'#!/usr/bin/env bash',
				'root="$(cd "$(dirname "$0")/.." && pwd)"',
				'cat "$root/../shared/intelliportal-openapi.json"',
				'cp /work/shared/x.json . # a comment about /etc/passwd is fine',
				'ls "$(dirname "$0")/../.." >/dev/null',
			].join('\n');
			expect(scan('scripts/example.sh', text)).toEqual([
				`3 ${resolve(ROOT, '..', 'shared/intelliportal-openapi.json')}`,
				'4 /work/shared/x.json',
				`5 ${resolve(ROOT, '..')}`,
			]);
		});
	});
});
