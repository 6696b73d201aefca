/**
 * The release path n8n verification needs: GitHub Actions workflows that parse, a CI workflow
 * doing what .ci/run does on Node 24, and a publish workflow that on a version tag builds, runs
 * the same lint as `npm run lint`, tests and publishes with an npm provenance statement.
 * package.json points at the repository the provenance will name.
 */
import { readFileSync } from 'node:fs';
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
const ci = workflow('ci.yml');
const publish = workflow('publish.yml');

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
		const [job] = Object.values(ci.jobs);
		expect(nodeVersion(job)).toBe('24');
		expect(commands(job)).toContain('.ci/run');
		expect(job['timeout-minutes']).toBeLessThanOrEqual(90);
		const ciRun = readFileSync(join(ROOT, '.ci/run'), 'utf8');
		expect(ciRun).toMatch(/^npm ci\b/m);
		expect(ciRun).toMatch(/^\.\/dev test$/m);
	});
});

describe('.github/workflows/publish.yml', () => {
	const job = publish.jobs.publish;
	const run = commands(job);

	it('parses and runs only on a version tag', () => {
		expect(publish.on).toEqual({ push: { tags: ['v*.*.*'] } });
	});

	it('may mint the OIDC token npm provenance needs, and nothing more than read the repository', () => {
		expect(job.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
		expect(publish.permissions).toEqual({ contents: 'read' });
	});

	it('refuses a tag that is not package.json’s version', () => {
		const check = job.steps.find((s) => s.name === 'Tag matches package.json version');
		expect(check?.run).toContain('"v$version" != "$GITHUB_REF_NAME"');
		expect(check?.run).toContain('exit 1');
	});

	it('builds, runs `npm run lint` (the same lint as locally), typechecks and tests before publishing', () => {
		const at = (command: string) => run.indexOf(command);
		const publishAt = at('npm run release');
		expect(publishAt).toBeGreaterThan(-1);
		for (const gate of [
			'npm ci --no-audit --no-fund',
			'npm run build',
			'npm run lint',
			'npm run typecheck',
			'npm test',
		]) {
			expect(at(gate)).toBeGreaterThan(-1);
			expect(at(gate)).toBeLessThan(publishAt);
		}
		// The lint step is the package's own lint script, not a narrower substitute.
		expect(pkg.scripts.lint).toBe('node scripts/lint.mjs');
		expect(run.filter((c) => /\blint\b/.test(c))).toEqual(['npm run lint']);
		expect(nodeVersion(job)).toBe('24');
	});

	it('publishes with an npm provenance statement through n8n-node release', () => {
		const step = job.steps.find((s) => s.run?.includes('npm run release'));
		expect(step?.env?.NPM_CONFIG_PROVENANCE).toBe('true');
		expect(pkg.scripts.release).toBe('n8n-node release');
		// n8n-node release, inside GitHub Actions, lints, builds and runs `npm publish` with
		// NPM_CONFIG_PROVENANCE=true; a plain `npm publish` is refused by prepublishOnly.
		const release = readFileSync(
			join(ROOT, 'node_modules/@n8n/node-cli/dist/commands/release.js'),
			'utf8',
		);
		expect(release).toMatch(
			/runCommand\)\('npm', \['publish'\][\s\S]{0,200}NPM_CONFIG_PROVENANCE: 'true'/,
		);
		expect(release).toMatch(/\['run', 'lint'\]/);
		expect(pkg.scripts.prepublishOnly).toBe('n8n-node prerelease');
		expect(
			job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['registry-url'],
		).toBe('https://registry.npmjs.org');
	});

	it('also builds the Zapier upload and runs it from inside its zip', () => {
		const zapier = commands(publish.jobs.zapier);
		expect(zapier.join('\n')).toContain('npm run zapier:build');
		expect(zapier.join('\n')).toContain('test/zapier-zip');
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
