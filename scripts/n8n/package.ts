/**
 * Package loading: the repo's package, packed as npm would publish it, put where n8n keeps
 * installed community packages (`<user folder>/.n8n/nodes/node_modules/<name>`).
 */
import { spawnSync } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	renameSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * 'unpack': what n8n's in-app installer leaves (the package alone, peers skipped); 'npm': a
 * self-hoster's manual `npm install <package>` there (npm installs peers unless optional).
 */
export type InstallMethod = 'unpack' | 'npm';

/** IP_N8N_INSTALL=npm selects a manual npm install (the compat runs); default 'unpack'. */
export function defaultInstallMethod(): InstallMethod {
	return process.env.IP_N8N_INSTALL === 'npm' ? 'npm' : 'unpack';
}

/**
 * Packs the package in `packageDir` with `npm pack` (what npm would publish) and installs it into
 * n8n's community-package directory of `userFolder`. Returns the package name.
 */
export function stagePackage(
	packageDir: string,
	userFolder: string,
	method: InstallMethod = defaultInstallMethod(),
): string {
	const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
		name: string;
		n8n?: { nodes?: string[]; credentials?: string[] };
	};
	const declared = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	const missing = declared.filter((file) => !existsSync(join(packageDir, file)));
	if (declared.length === 0 || missing.length > 0) {
		throw new Error(
			declared.length === 0
				? `${pkg.name} declares no n8n nodes or credentials in package.json; nothing to load`
				: `${pkg.name} is not built: ${missing.join(', ')} missing. Run \`npm run build\` first.`,
		);
	}
	const packDir = mkdtempSync(join(tmpdir(), 'ip-pack-'));
	try {
		const packed = spawnSync(
			'npm',
			['pack', '--json', '--ignore-scripts', '--pack-destination', packDir],
			{ cwd: packageDir, encoding: 'utf8' },
		);
		if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
		const [info] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
		const untar = spawnSync('tar', ['-xzf', join(packDir, info.filename), '-C', packDir], {
			encoding: 'utf8',
		});
		if (untar.status !== 0) throw new Error(`unpacking ${info.filename} failed: ${untar.stderr}`);
		const nodeModules = join(userFolder, '.n8n', 'nodes', 'node_modules');
		mkdirSync(nodeModules, { recursive: true });
		// n8n's community-package directory is an npm project of its own.
		const nodesPackageJson = join(userFolder, '.n8n', 'nodes', 'package.json');
		if (!existsSync(nodesPackageJson)) {
			writeFileSync(
				nodesPackageJson,
				JSON.stringify({ name: 'installed-nodes', private: true }, null, 2),
			);
		}
		if (method === 'npm') {
			const installed = spawnSync(
				'npm',
				['install', '--no-audit', '--no-fund', join(packDir, info.filename)],
				{ cwd: join(userFolder, '.n8n', 'nodes'), encoding: 'utf8' },
			);
			if (installed.status !== 0) throw new Error(`npm install failed: ${installed.stderr}`);
			return pkg.name;
		}
		const target = join(nodeModules, pkg.name);
		rmSync(target, { recursive: true, force: true });
		renameSync(join(packDir, 'package'), target);
		return pkg.name;
	} finally {
		rmSync(packDir, { recursive: true, force: true });
	}
}
