/**
 * Postgres 17 and Redis for n8n's queue mode, started as throwaway loopback servers with their
 * data in a temp folder (installed first by install-services.sh when missing). Each server runs in
 * its own process group; stop() ends it and removes its data.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

import { freePort } from '../start';

const INSTALL = join(__dirname, 'install-services.sh');

export interface RunningService {
	readonly name: string;
	readonly port: number;
	readonly pid: number;
	logs(): string;
	stop(): Promise<void>;
}

/** Runs install-services.sh (idempotent, locked) and returns the Postgres bin directory. */
export function installServices(): string {
	const out = execFileSync('bash', [INSTALL], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	return out.trim().split('\n').pop() as string;
}

const live = new Set<RunningService>();
let exitHook = false;
function killOnExit(service: RunningService): void {
	live.add(service);
	if (exitHook) return;
	exitHook = true;
	process.once('exit', () => {
		for (const s of live) signalGroup(s.pid, 'SIGKILL');
	});
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		if (pid > 0) process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

/** Spawns `command` in its own process group and waits for `readyLine` in its output. */
async function spawnService(
	name: string,
	port: number,
	command: string,
	args: string[],
	readyLine: RegExp,
	cleanup: () => void,
	stopSignal: NodeJS.Signals = 'SIGTERM',
	timeoutMs = 60_000,
): Promise<RunningService> {
	const child: ChildProcess = spawn(command, args, {
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { PATH: process.env.PATH, LANG: 'C.UTF-8', TZ: 'UTC' },
	});
	const lines: string[] = [];
	let exited = false;
	const exit = new Promise<void>((resolveExit) =>
		child.once('exit', () => {
			exited = true;
			resolveExit();
		}),
	);
	const ready = new Promise<void>((resolveReady, reject) => {
		const timer = setTimeout(
			() =>
				reject(
					new Error(`${name} not ready within ${timeoutMs} ms:\n${lines.slice(-20).join('\n')}`),
				),
			timeoutMs,
		);
		const onData = (chunk: Buffer) => {
			for (const line of chunk.toString('utf8').split('\n')) {
				if (!line.trim()) continue;
				lines.push(line);
				if (lines.length > 500) lines.shift();
				if (readyLine.test(line)) {
					clearTimeout(timer);
					resolveReady();
				}
			}
		};
		child.stdout?.on('data', onData);
		child.stderr?.on('data', onData);
		void exit.then(() => {
			clearTimeout(timer);
			reject(new Error(`${name} exited during start:\n${lines.slice(-20).join('\n')}`));
		});
	});
	const service: RunningService = {
		name,
		port,
		pid: child.pid ?? -1,
		logs: () => lines.join('\n'),
		async stop() {
			if (!exited) {
				signalGroup(service.pid, stopSignal);
				let timer: NodeJS.Timeout | undefined;
				await Promise.race([exit, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
				clearTimeout(timer);
				if (!exited) signalGroup(service.pid, 'SIGKILL');
				await exit;
			}
			live.delete(service);
			cleanup();
		},
	};
	killOnExit(service);
	try {
		await ready;
	} catch (error) {
		await service.stop();
		throw error;
	}
	return service;
}

/**
 * Postgres refuses to run as root. As root, the servers run as `nobody`, from a copy of the
 * binaries in the temp folder (the user cache under /root is not readable by other users).
 */
function postgresBinFor(uid: number | undefined, binDir: string): string {
	if (uid === undefined) return binDir;
	const native = dirname(binDir);
	const copy = join(
		tmpdir(),
		`intelliportal-${basename(dirname(dirname(dirname(dirname(native)))))}`,
	);
	const marker = join(copy, 'bin', 'postgres');
	if (!existsSync(marker) || statSync(marker).size !== statSync(join(binDir, 'postgres')).size) {
		rmSync(copy, { recursive: true, force: true });
		cpSync(native, copy, { recursive: true, verbatimSymlinks: true });
	}
	return join(copy, 'bin');
}

function chownTree(path: string, uid: number, gid: number): void {
	chownSync(path, uid, gid);
	if (statSync(path).isDirectory()) {
		for (const entry of readdirSync(path)) chownTree(join(path, entry), uid, gid);
	}
}

export interface RunningPostgres extends RunningService {
	readonly user: string;
	readonly database: string;
}

/** A fresh PostgreSQL 17 cluster on 127.0.0.1 (trust auth, user and database `postgres`). */
export async function startPostgres(binDir = installServices()): Promise<RunningPostgres> {
	const asRoot = process.getuid?.() === 0;
	const nobody = asRoot ? { uid: 65534, gid: 65534 } : undefined;
	const bin = postgresBinFor(nobody?.uid, binDir);
	const dir = mkdtempSync(join(tmpdir(), 'ip-pg-'));
	const data = join(dir, 'data');
	if (nobody) chownTree(dir, nobody.uid, nobody.gid);
	const asUser = (command: string, args: string[]): [string, string[]] =>
		nobody
			? [
					'setpriv',
					[`--reuid=${nobody.uid}`, `--regid=${nobody.gid}`, '--clear-groups', command, ...args],
				]
			: [command, args];
	const [initCommand, initArgs] = asUser(join(bin, 'initdb'), [
		'-D',
		data,
		'-U',
		'postgres',
		'--auth=trust',
		'-E',
		'UTF8',
		'--no-sync',
		'--no-instructions',
	]);
	execFileSync(initCommand, initArgs, { stdio: 'pipe', cwd: dir });
	const port = await freePort();
	const [command, args] = asUser(join(bin, 'postgres'), [
		'-D',
		data,
		'-p',
		String(port),
		'-k',
		dir,
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
		'-c',
		'max_connections=100',
	]);
	const service = await spawnService(
		'postgres',
		port,
		command,
		args,
		/database system is ready to accept connections/,
		() => rmSync(dir, { recursive: true, force: true }),
		// SIGTERM is Postgres's "smart" shutdown, which waits for every client to leave.
		'SIGINT',
	);
	return Object.assign(service, { user: 'postgres', database: 'postgres' });
}

/** A fresh Redis on 127.0.0.1, nothing persisted. */
export async function startRedis(): Promise<RunningService> {
	installServices();
	const dir = mkdtempSync(join(tmpdir(), 'ip-redis-'));
	const port = await freePort();
	return await spawnService(
		'redis',
		port,
		'redis-server',
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
		],
		/Ready to accept connections/,
		() => rmSync(dir, { recursive: true, force: true }),
	);
}
