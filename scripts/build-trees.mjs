#!/usr/bin/env node
// Builds the trees the tests read, each only when its sources changed since it was last built:
//   node scripts/build-trees.mjs dist     n8n package (npm run build -> dist/)
//   node scripts/build-trees.mjs zapier   Zapier upload (npm run build:zapier -> zapier/lib, build/)
// Check and build happen under one lock (flock), so two runs never build over each other.
// jest's global set-up (test/support/global-setup.ts) calls it once per run; prints the inputs'
// SHA-256, which readers compare with the stamp to know the tree is the one built for them.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const TREES = {
	dist: {
		inputs: [
			'nodes',
			'credentials',
			'shared',
			'icons',
			'package.json',
			'package-lock.json',
			'tsconfig.json',
		],
		outputs: [
			'dist/nodes/IntelliPortal/IntelliPortal.node.js',
			'dist/credentials/IntelliPortalApi.credentials.js',
		],
		command: ['npm', 'run', 'build', '--silent'],
	},
	zapier: {
		inputs: [
			'zapier/src',
			'zapier/index.js',
			'zapier/package.json',
			'zapier/package-lock.json',
			'zapier/tsconfig.json',
			'shared',
			'scripts/zapier-build.sh',
			'package-lock.json',
		],
		outputs: ['zapier/lib/zapier/src/index.js', 'zapier/build/build.zip'],
		command: ['bash', 'scripts/zapier-build.sh'],
	},
};

export const stampFile = (tree) =>
	path.join(root, 'node_modules', '.cache', 'intelliportal-build', `${tree}.sha256`);

function files(entry) {
	const full = path.join(root, entry);
	if (!existsSync(full)) return [];
	if (!statSync(full).isDirectory()) return [entry];
	return (
		readdirSync(full)
			// Source folders hold TypeScript; a .js there is stray tsc output, not an input.
			.filter((name) => name !== 'node_modules' && !name.endsWith('.js'))
			.flatMap((name) => files(path.join(entry, name)))
	);
}

/** SHA-256 over the tree's input files (paths and contents). */
export function inputsHash(tree) {
	const hash = createHash('sha256');
	for (const file of TREES[tree].inputs.flatMap(files).sort()) {
		hash
			.update(`${file}\0`)
			.update(readFileSync(path.join(root, file)))
			.update('\0');
	}
	return hash.digest('hex');
}

export function isFresh(tree) {
	const stamp = stampFile(tree);
	return (
		existsSync(stamp) &&
		readFileSync(stamp, 'utf8') === inputsHash(tree) &&
		TREES[tree].outputs.every((o) => existsSync(path.join(root, o)))
	);
}

function build(tree) {
	if (isFresh(tree)) return inputsHash(tree);
	const [command, ...args] = TREES[tree].command;
	const run = spawnSync(command, args, { cwd: root, encoding: 'utf8', stdio: 'pipe' });
	if (run.status !== 0) {
		process.stderr.write(`${run.stdout}\n${run.stderr}`);
		throw new Error(`building ${tree} failed (${TREES[tree].command.join(' ')})`);
	}
	const hash = inputsHash(tree);
	mkdirSync(path.dirname(stampFile(tree)), { recursive: true });
	writeFileSync(stampFile(tree), hash);
	return hash;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const tree = process.argv[2];
	if (!(tree in TREES)) {
		console.error(`usage: node scripts/build-trees.mjs ${Object.keys(TREES).join('|')}`);
		process.exit(2);
	}
	if (!process.env.IP_BUILD_TREES_LOCKED) {
		const lock = `${stampFile(tree)}.lock`;
		mkdirSync(path.dirname(lock), { recursive: true });
		const locked = spawnSync(
			'flock',
			[lock, process.execPath, fileURLToPath(import.meta.url), tree],
			{
				stdio: 'inherit',
				env: { ...process.env, IP_BUILD_TREES_LOCKED: '1' },
			},
		);
		process.exit(locked.status ?? 1);
	}
	try {
		console.log(build(tree));
	} catch (error) {
		console.error(error.message);
		process.exit(1);
	}
}
