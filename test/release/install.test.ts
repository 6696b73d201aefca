/**
 * How a self-hoster's manual install treats the n8n-workflow peer. n8n's in-app installer skips
 * peers; a manual `npm install n8n-nodes-intelliportal` in ~/.n8n/nodes installs non-optional
 * peers, which pulled n8n-workflow 2.x (its isolated-vm compiles from source for minutes on
 * Node 22 and fails without a toolchain). The peer is declared optional (peerDependenciesMeta),
 * so npm leaves it out and the package uses n8n's own n8n-workflow, as with the in-app
 * installer. (test/e2e runs a real n8n with both layouts: IP_N8N_INSTALL=npm, npm run e2e:compat.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { builtPackageDir } from '../support/builtTrees';

const ROOT = builtPackageDir();
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

jest.setTimeout(120_000);

let work: string;
beforeAll(() => {
	work = mkdtempSync(join(tmpdir(), 'ip-manual-install-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('a manual `npm install` of the packed package in ~/.n8n/nodes installs it without the n8n-workflow peer', () => {
	const packed = spawnSync(
		'npm',
		['pack', '--json', '--ignore-scripts', '--pack-destination', work],
		{ cwd: ROOT, encoding: 'utf8' },
	);
	expect(packed.status).toBe(0);
	const [{ filename }] = JSON.parse(packed.stdout) as Array<{ filename: string }>;

	const nodesDir = join(work, '.n8n', 'nodes');
	spawnSync('mkdir', ['-p', nodesDir]);
	writeFileSync(
		join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true }),
	);
	// --offline: nothing may need the network; a non-optional peer would be fetched (or fail here).
	const installed = spawnSync(
		'npm',
		['install', '--offline', '--no-audit', '--no-fund', join(work, filename)],
		{ cwd: nodesDir, encoding: 'utf8' },
	);
	expect(installed.stderr).not.toMatch(/ERR/);
	expect(installed.status).toBe(0);

	const modules = join(nodesDir, 'node_modules');
	expect(
		existsSync(join(modules, pkg.name, 'dist/nodes/IntelliPortal/IntelliPortal.node.js')),
	).toBe(true);
	expect(existsSync(join(modules, 'n8n-workflow'))).toBe(false);
	expect(existsSync(join(modules, 'isolated-vm'))).toBe(false);
	const lock = JSON.parse(readFileSync(join(nodesDir, 'package-lock.json'), 'utf8'));
	expect(Object.keys(lock.packages).filter((p) => p.startsWith('node_modules/'))).toEqual([
		`node_modules/${pkg.name}`,
	]);
});
