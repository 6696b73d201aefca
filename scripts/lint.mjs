#!/usr/bin/env node
// `npm run lint`: three passes, non-zero exit if any of them reports an error.
//
// 1. n8n's strict lint (`n8n-node lint`, eslint.config.mjs unchanged) over exactly the sources
//    that ship in the n8n package: package.json, credentials/, nodes/, shared/ without
//    shared/transports/, icons/, staged into .lint-pack/ (node_modules symlinked).
// 2. The tooling (emulator/, test/, zapier/src/, bench/, scripts/) with eslint.tooling.config.mjs:
//    typescript-eslint recommended, Node globals, console allowed.
// 3. The rules of @n8n/eslint-plugin-community-nodes (recommended config) over the packed
//    tarball's JavaScript and package.json: what @n8n/scan-community-package checks, minus the
//    registry provenance check. Builds first when dist/ is missing.
import { spawnSync } from 'node:child_process';
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	rmSync,
	symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const failures = [];

function run(label, command, args, cwd) {
	console.log(`\n▶ ${label}`);
	const result = spawnSync(command, args, {
		cwd,
		stdio: 'inherit',
		env: { ...process.env, FORCE_COLOR: '1' },
	});
	if (result.status !== 0) failures.push(label);
	return result.status === 0;
}

// 1 ─ n8n strict lint over the published sources ────────────────────────────────────────────
function stageShippedSources() {
	const stage = path.join(root, '.lint-pack');
	rmSync(stage, { recursive: true, force: true });
	mkdirSync(stage);
	for (const entry of [
		'package.json',
		'eslint.config.mjs',
		'tsconfig.json',
		'credentials',
		'nodes',
		'icons',
	]) {
		const from = path.join(root, entry);
		if (existsSync(from)) cpSync(from, path.join(stage, entry), { recursive: true });
	}
	cpSync(path.join(root, 'shared'), path.join(stage, 'shared'), {
		recursive: true,
		filter: (source) => {
			const relative = path.relative(path.join(root, 'shared'), source);
			return relative !== 'transports' && !relative.startsWith(`transports${path.sep}`);
		},
	});
	symlinkSync(path.join(root, 'node_modules'), path.join(stage, 'node_modules'), 'dir');
	return stage;
}

const stage = stageShippedSources();
run(
	'n8n-node lint (strict) over the shipped sources in .lint-pack/',
	bin('n8n-node'),
	['lint'],
	stage,
);

// 2 ─ tooling ─────────────────────────────────────────────────────────────────────────────
const toolingDirs = ['emulator', 'test', 'zapier/src', 'bench', 'scripts'].filter((dir) =>
	existsSync(path.join(root, dir)),
);
if (toolingDirs.length > 0) {
	run(
		`eslint (tooling config) over ${toolingDirs.join(', ')}`,
		bin('eslint'),
		[
			'--config',
			'eslint.tooling.config.mjs',
			'--no-warn-ignored',
			'--max-warnings',
			'0',
			...toolingDirs,
		],
		root,
	);
}

// 3 ─ community-node rules over the packed tarball ────────────────────────────────────────
async function lintPackedTarball() {
	const label = '@n8n/eslint-plugin-community-nodes (recommended) over the packed tarball';
	console.log(`\n▶ ${label}`);
	if (!existsSync(path.join(root, 'dist'))) {
		if (!run('npm run build (dist/ missing)', 'npm', ['run', 'build', '--silent'], root)) return;
	}
	const packDir = mkdtempSync(path.join(tmpdir(), 'ip-pack-'));
	try {
		const pack = spawnSync('npm', ['pack', '--silent', '--pack-destination', packDir], {
			cwd: root,
			encoding: 'utf8',
		});
		const tarball = readdirSync(packDir).find((file) => file.endsWith('.tgz'));
		if (pack.status !== 0 || !tarball) {
			console.error(pack.stderr);
			failures.push(`${label}: npm pack failed`);
			return;
		}
		const untar = spawnSync('tar', ['-xzf', tarball], { cwd: packDir, stdio: 'inherit' });
		if (untar.status !== 0) {
			failures.push(`${label}: could not extract the tarball`);
			return;
		}
		const packageDir = path.join(packDir, 'package');

		const { ESLint } = await import('eslint');
		const { n8nCommunityNodesPlugin } = await import('@n8n/eslint-plugin-community-nodes');
		const { createRequire } = await import('node:module');
		const requireFromNodeCli = createRequire(
			createRequire(import.meta.url).resolve('@n8n/node-cli/eslint'),
		);
		const tseslint = requireFromNodeCli('typescript-eslint');
		const recommended = n8nCommunityNodesPlugin.configs.recommended;

		const eslint = new ESLint({
			cwd: packageDir,
			allowInlineConfig: false,
			overrideConfigFile: true,
			overrideConfig: [
				{
					files: ['dist/**/*.js'],
					plugins: recommended.plugins,
					rules: recommended.rules,
					languageOptions: { ecmaVersion: 2022, sourceType: 'commonjs' },
				},
				{
					files: ['package.json'],
					plugins: recommended.plugins,
					rules: recommended.rules,
					languageOptions: {
						parser: tseslint.parser,
						parserOptions: { extraFileExtensions: ['.json'] },
					},
				},
			],
		});
		const results = await eslint.lintFiles(['dist/**/*.js', 'package.json']);
		const formatter = await eslint.loadFormatter('stylish');
		const output = await formatter.format(results);
		if (output) console.log(output);
		const files = results.length;
		const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
		console.log(`${files} packed files checked, ${errors} error(s)`);
		if (errors > 0) failures.push(label);
		const leaked = results
			.map((result) => path.relative(packageDir, result.filePath))
			.filter((file) => file.startsWith(path.join('dist', 'shared', 'transports')));
		if (leaked.length > 0) {
			console.error(`The tarball contains the standalone transports: ${leaked.join(', ')}`);
			failures.push(`${label}: shared/transports shipped`);
		}
	} finally {
		rmSync(packDir, { recursive: true, force: true });
	}
}

await lintPackedTarball();

if (failures.length > 0) {
	console.error(`\n✖ lint failed: ${failures.join('; ')}`);
	process.exit(1);
}
console.log('\n✔ lint passed');
