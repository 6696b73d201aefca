/**
 * scripts/preflight.sh, the first step of .ci/run and ./dev test: a machine without the suite's
 * system packages either installs them up front (root) or stops at once naming them (no root),
 * never halfway through a suite. Run with a PATH of stand-ins that record every apt-get call.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SCRIPT = join(resolve(__dirname, '../..'), 'scripts/preflight.sh');
const BASH = execFileSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).trim();

let bin: string;
beforeEach(() => {
	bin = mkdtempSync(join(tmpdir(), 'ip-preflight-'));
});
afterEach(() => rmSync(bin, { recursive: true, force: true }));

function stub(name: string, body = 'exit 0'): void {
	writeFileSync(join(bin, name), `#!${BASH}\n${body}\n`);
	chmodSync(join(bin, name), 0o755);
}
function preflight(uid: number) {
	stub('id', `echo ${uid}`);
	stub('sudo', 'exit 1'); // no password-less sudo
	stub('apt-get', `echo "apt-get $*" >> "${bin}/apt.log"`);
	const run = spawnSync(BASH, [SCRIPT], { env: { PATH: bin }, encoding: 'utf8' });
	const apt = readFileSync(join(bin, 'apt.log'), { flag: 'a+', encoding: 'utf8' });
	return { status: run.status, stderr: run.stderr, apt: apt.split('\n').filter(Boolean) };
}

describe('preflight (scripts/preflight.sh)', () => {
	it('without root: one message naming every missing package, exit 1, nothing installed', () => {
		const { status, stderr, apt } = preflight(1000);
		expect(status).toBe(1);
		expect(stderr).toContain(
			'The test suite needs system packages that are missing: chromium fonts-liberation redis-server unzip util-linux.',
		);
		expect(stderr).toContain('sudo apt-get install -y --no-install-recommends chromium');
		expect(apt).toEqual([]);
	});

	it('names only what is missing (Google Chrome counts as the browser)', () => {
		for (const tool of ['google-chrome-stable', 'unzip', 'flock']) stub(tool);
		const { status, stderr } = preflight(1000);
		expect(status).toBe(1);
		expect(stderr).toContain('that are missing: redis-server.');
	});

	it('with everything there: silent, exit 0, no apt-get', () => {
		for (const tool of ['chromium', 'redis-server', 'unzip', 'flock']) stub(tool);
		expect(preflight(1000)).toEqual({ status: 0, stderr: '', apt: [] });
	});

	it('as root: installs exactly the missing packages up front, in one apt-get install', () => {
		for (const tool of ['chromium', 'flock']) stub(tool);
		const { status, apt } = preflight(0);
		expect(status).toBe(0);
		expect(apt).toEqual([
			'apt-get update -q',
			'apt-get install -y -q --no-install-recommends redis-server unzip',
		]);
	});

	it('is the first thing .ci/run and ./dev test do, before any install or build', () => {
		const root = resolve(__dirname, '../..');
		for (const file of ['.ci/run', 'dev']) {
			const lines = readFileSync(join(root, file), 'utf8').split('\n');
			const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
			expect({ file, preflight: at(/bash scripts\/preflight\.sh/) > 0 }).toEqual({
				file,
				preflight: true,
			});
			expect(at(/bash scripts\/preflight\.sh/)).toBeLessThan(at(/npm ci|node24\.sh/));
		}
	});
});
