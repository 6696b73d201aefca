/**
 * The release path n8n verification needs, as GitHub would run it: workflows that parse; CI doing
 * what .ci/run does on Node 24; a publish workflow whose tests run in one job and whose publish
 * job needs it, only publishes the tarball the tests passed (with npm provenance) and alone may
 * mint the OIDC token; third-party actions pinned by commit; the publishing npm pinned.
 * package.json points at the repository the provenance will name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { parse } from 'yaml';

const ROOT = resolve(__dirname, '../..');

interface Step {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
	env?: Record<string, string>;
}
interface Job {
	'runs-on': string;
	needs?: string | string[];
	outputs?: Record<string, string>;
	'timeout-minutes'?: number;
	permissions?: Record<string, string>;
	steps: Step[];
}
interface Workflow {
	name: string;
	on: Record<string, unknown>;
	permissions?: Record<string, string>;
	jobs: Record<string, Job>;
}

function workflow(file: string): Workflow {
	// `parse` throws on invalid YAML; `prettyErrors` names the line.
	return parse(readFileSync(join(ROOT, '.github/workflows', file), 'utf8'), {
		prettyErrors: true,
		strict: true,
	}) as Workflow;
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const workflows = Object.fromEntries(
	readdirSync(join(ROOT, '.github/workflows')).map((file) => [file, workflow(file)]),
);
const ci = workflows['ci.yml'];
const publish = workflows['publish.yml'];

/** Every `run:` line of a job, in order. */
function commands(job: Job): string[] {
	return job.steps.flatMap((s) =>
		(s.run ?? '')
			.split('\n')
			.map((l) => l.trim())
			.filter(Boolean),
	);
}
function nodeVersion(job: Job): unknown {
	return job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version'];
}

describe('.github/workflows/ci.yml', () => {
	it('parses, runs on pull requests and on main, read-only', () => {
		expect(ci.name).toBe('CI');
		expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
		expect(ci.on.push).toEqual({ branches: ['main'] });
		expect(ci.permissions).toEqual({ contents: 'read' });
	});

	it('runs .ci/run (npm ci + ./dev test, as on a fresh clone) on Node 24 within the 90-minute budget', () => {
		expect(Object.keys(ci.jobs)).toEqual(['test']);
		const job = ci.jobs.test;
		expect(nodeVersion(job)).toBe('24');
		expect(commands(job)).toContain('.ci/run');
		expect(job['timeout-minutes']).toBeLessThanOrEqual(90);
		const ciRun = readFileSync(join(ROOT, '.ci/run'), 'utf8');
		expect(ciRun).toMatch(/^npm ci\b/m);
		expect(ciRun).toMatch(/^\.\/dev test$/m);
	});
});

describe('.github/workflows/publish.yml', () => {
	const { test, publish: publishJob } = publish.jobs;

	it('parses and runs only on a version tag; read-only unless a job says otherwise', () => {
		expect(publish.on).toEqual({ push: { tags: ['v*.*.*'] } });
		expect(publish.permissions).toEqual({ contents: 'read' });
		expect(Object.keys(publish.jobs).sort()).toEqual(['publish', 'test']);
	});

	it('tests in one job: the tag checked against package.json, then .ci/run, as CI', () => {
		const run = commands(test);
		const check = test.steps.find((s) => s.name === 'Tag matches package.json version');
		expect(check?.run).toContain('"v$version" != "$GITHUB_REF_NAME"');
		expect(check?.run).toContain('exit 1');
		expect(run).toContain('.ci/run');
		expect(run.indexOf('.ci/run')).toBeGreaterThan(
			run.findIndex((c) => c.includes('GITHUB_REF_NAME')),
		);
		expect(nodeVersion(test)).toBe('24');
		expect(test.permissions).toEqual({ contents: 'read' });
	});

	it('packs the tested dist/ after the suite and hands it over with its SHA-256', () => {
		const run = commands(test);
		const packAt = run.findIndex((c) => c.includes('npm pack'));
		expect(packAt).toBeGreaterThan(run.indexOf('.ci/run'));
		expect(run[packAt]).toContain('--ignore-scripts');
		expect(run.join('\n')).toMatch(/sha256sum/);
		expect(test.outputs).toEqual({
			tarball: '${{ steps.pack.outputs.tarball }}',
			sha256: '${{ steps.pack.outputs.sha256 }}',
		});
		const uploads = test.steps.filter((s) => s.uses?.startsWith('actions/upload-artifact@'));
		expect(uploads.map((s) => s.with?.name)).toEqual([
			'npm-package',
			'zapier-upload-${{ github.ref_name }}',
		]);
	});

	it('publish needs the tests and is the only job that may mint the OIDC token', () => {
		expect([publishJob.needs].flat()).toEqual(['test']);
		expect(publishJob.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
		for (const [file, wf] of Object.entries(workflows)) {
			for (const [name, job] of Object.entries(wf.jobs)) {
				const mints = job.permissions?.['id-token'] === 'write';
				expect({ job: `${file}:${name}`, mints }).toEqual({
					job: `${file}:${name}`,
					mints: file === 'publish.yml' && name === 'publish',
				});
			}
			expect(JSON.stringify(wf.permissions ?? {})).not.toContain('id-token');
			expect(wf.permissions).not.toBe('write-all');
		}
	});

	it('publish only publishes: no checkout, no install of the project, no build or test', () => {
		const run = commands(publishJob);
		expect(publishJob.steps.map((s) => s.uses?.split('@')[0]).filter(Boolean)).toEqual([
			'actions/setup-node',
			'actions/download-artifact',
		]);
		for (const command of run) {
			expect(command).not.toMatch(/\bnpm (ci|test|run|pack)\b|\bjest\b|\.ci\/run|\.\/dev\b/);
			if (/\bnpm (install|i)\b/.test(command)) expect(command).toMatch(/^npm install -g npm@/);
		}
	});

	it('publishes the tarball the tests passed, at the tag’s version, with provenance', () => {
		const run = commands(publishJob);
		const publishAt = run.findIndex((c) => c.startsWith('npm publish'));
		expect(run[publishAt]).toBe('npm publish "$TARBALL" --provenance --access public');
		const verify = publishJob.steps.find((s) => s.run?.includes('sha256sum -c'));
		expect(verify?.env).toEqual({
			TARBALL: 'package/${{ needs.test.outputs.tarball }}',
			SHA256: '${{ needs.test.outputs.sha256 }}',
		});
		expect(verify?.run).toContain('"v$version" != "$GITHUB_REF_NAME"');
		expect(run.findIndex((c) => c.includes('sha256sum -c'))).toBeLessThan(publishAt);
		const download = publishJob.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'));
		expect(download?.with?.name).toBe('npm-package');
		// setup-node's registry-url writes an _authToken line that makes npm skip Trusted Publishing.
		const setup = publishJob.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
		expect(setup?.with?.['registry-url']).toBeUndefined();
		expect(nodeVersion(publishJob)).toBe('24');
	});

	it('the npm that publishes is one exact version, new enough for Trusted Publishing', () => {
		const installs = commands(publishJob).filter((c) => c.startsWith('npm install -g npm@'));
		expect(installs).toHaveLength(1);
		const version = /^npm install -g npm@(\S+)$/.exec(installs[0])?.[1] ?? '';
		expect(version).toMatch(/^\d+\.\d+\.\d+$/);
		const [major, minor] = version.split('.').map(Number);
		expect(major > 11 || (major === 11 && minor >= 5)).toBe(true);
	});
});

describe('third-party actions', () => {
	it('are pinned by full commit SHA, with the release named in a comment', () => {
		const unpinned: string[] = [];
		for (const file of Object.keys(workflows)) {
			const text = readFileSync(join(ROOT, '.github/workflows', file), 'utf8');
			for (const [line, uses] of Array.from(text.matchAll(/^\s*(?:-\s+)?uses:\s*(.+)$/gm))) {
				if (uses.startsWith('./')) continue;
				if (!/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/.test(uses))
					unpinned.push(`${file}: ${line.trim()}`);
			}
		}
		expect(unpinned).toEqual([]);
	});

	it('every step that uses an action is covered by the check above', () => {
		const steps = Object.values(workflows).flatMap((wf) =>
			Object.values(wf.jobs).flatMap((job) => job.steps.filter((s) => s.uses)),
		);
		expect(steps.length).toBeGreaterThanOrEqual(9);
		for (const step of steps) expect(step.uses).toMatch(/@[0-9a-f]{40}$/);
	});
});

describe('package.json for a provenance-verified n8n community package', () => {
	it('points repository, homepage and bugs at the same GitHub repository', () => {
		const repo = 'github.com/intelliportal/n8n-nodes-intelliportal';
		expect(pkg.repository).toEqual({ type: 'git', url: `https://${repo}.git` });
		expect(pkg.homepage).toBe(`https://${repo}#readme`);
		expect(pkg.bugs).toEqual({ url: `https://${repo}/issues` });
	});

	it('keeps n8n’s rules: peerDependencies exactly n8n-workflow "*", optional, and no runtime dependencies', () => {
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.peerDependenciesMeta).toEqual({ 'n8n-workflow': { optional: true } });
		expect(pkg.dependencies).toBeUndefined();
		expect(pkg.keywords).toContain('n8n-community-node-package');
	});
});
