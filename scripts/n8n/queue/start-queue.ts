/**
 * n8n in queue mode on this machine, as a user who outgrows one n8n runs it: Postgres 17 and
 * Redis, one main (editor, REST API, activation of triggers), workers that run the executions
 * (manual ones too: OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS) and a webhook processor that receives
 * the production webhooks. Every process has this package installed and the same encryption key.
 *
 *   tsx scripts/n8n/queue/start-queue.ts [--workers 2] [--verbose]   (Ctrl-C stops everything)
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	freePort,
	N8N_VERSION,
	OWNER,
	REPO_ROOT,
	startN8n,
	stagePackage,
	type N8nInstance,
} from '../start';
import { startPostgres, startRedis, type RunningPostgres, type RunningService } from './services';

export interface QueueOptions {
	/** Package to install in every process; null installs none. Default: this repository. */
	packageDir?: string | null;
	/** Number of workers (default 2). */
	workers?: number;
	/** Executions a worker runs at once (n8n's --concurrency, default 10). */
	concurrency?: number;
	/** Extra environment for every n8n process. */
	env?: Record<string, string>;
	onLog?: (role: string, line: string) => void;
}

export interface QueueSetup {
	readonly main: N8nInstance;
	readonly workers: N8nInstance[];
	readonly webhook: N8nInstance;
	readonly postgres: RunningPostgres;
	readonly redis: RunningService;
	/** Seconds from the call to everything ready. */
	readonly startSeconds: number;
	stop(): Promise<void>;
}

/** Starts Postgres, Redis, main, the workers and the webhook processor; stops all on failure. */
export async function startQueue(options: QueueOptions = {}): Promise<QueueSetup> {
	const started = Date.now();
	const root = mkdtempSync(join(tmpdir(), 'ip-n8n-queue-'));
	// n8n processes stop together (each may take its graceful-shutdown time), then Redis and
	// Postgres, which they use until they are gone.
	const n8nStoppers: Array<() => Promise<void>> = [];
	const serviceStoppers: Array<() => Promise<void>> = [];
	const stopAll = async () => {
		await Promise.all(n8nStoppers.splice(0).map((stop) => stop().catch(() => undefined)));
		await Promise.all(serviceStoppers.splice(0).map((stop) => stop().catch(() => undefined)));
		rmSync(root, { recursive: true, force: true });
	};
	try {
		const [postgres, redis] = await Promise.all([
			startPostgres().then((pg) => (serviceStoppers.push(() => pg.stop()), pg)),
			startRedis().then((r) => (serviceStoppers.push(() => r.stop()), r)),
		]);
		const webhookPort = await freePort();
		const shared: Record<string, string> = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: '',
			DB_POSTGRESDB_DATABASE: postgres.database,
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			// Production webhooks go to the webhook processor, not to main.
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
			N8N_WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/`,
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
			N8N_USER_MANAGEMENT_JWT_SECRET: randomBytes(24).toString('hex'),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			...options.env,
		};
		// Pack the package once; every process gets a copy of the same install.
		const staged = join(root, 'staged');
		const packageDir = options.packageDir === undefined ? REPO_ROOT : options.packageDir;
		if (packageDir) stagePackage(packageDir, staged);
		const folder = (role: string) => {
			const dir = join(root, role);
			mkdirSync(dir, { recursive: true });
			if (packageDir) cpSync(join(staged, '.n8n'), join(dir, '.n8n'), { recursive: true });
			return dir;
		};
		const log = (role: string) =>
			options.onLog ? (line: string) => options.onLog?.(role, line) : undefined;
		const start = async (
			role: string,
			command: 'start' | 'worker' | 'webhook',
			port?: number,
			args?: string[],
		) => {
			const p = port ?? (await freePort());
			const instance = await startN8n({
				command,
				port: p,
				args,
				packageDir: null,
				userFolder: folder(role),
				env: command === 'worker' ? { ...shared, QUEUE_HEALTH_CHECK_PORT: String(p) } : shared,
				onLog: log(role),
			});
			n8nStoppers.push(() => instance.stop());
			return instance;
		};
		// Main first: it migrates the database the others then use.
		const main = await start('main', 'start');
		await main.setupOwner();
		const concurrency = `--concurrency=${options.concurrency ?? 10}`;
		const [webhook, ...workers] = await Promise.all([
			start('webhook', 'webhook', webhookPort),
			...Array.from({ length: options.workers ?? 2 }, (_, i) =>
				start(`worker${i + 1}`, 'worker', undefined, [concurrency]),
			),
		]);
		return {
			main,
			workers,
			webhook,
			postgres,
			redis,
			startSeconds: (Date.now() - started) / 1000,
			stop: stopAll,
		};
	} catch (error) {
		await stopAll();
		throw error;
	}
}

if (require.main === module) {
	const args = process.argv.slice(2);
	const value = (name: string) => {
		const i = args.indexOf(name);
		return i >= 0 ? args[i + 1] : undefined;
	};
	void (async () => {
		const queue = await startQueue({
			workers: Number(value('--workers') ?? 2),
			onLog: args.includes('--verbose')
				? (role, line) => console.error(`[${role}] ${line}`)
				: undefined,
		});
		console.log(`n8n ${N8N_VERSION} in queue mode, ready in ${queue.startSeconds.toFixed(1)} s`);
		console.log(`  editor:   ${queue.main.url}   login ${OWNER.email} / ${OWNER.password}`);
		console.log(`  webhooks: ${queue.webhook.url}`);
		console.log(`  workers:  ${queue.workers.map((w) => `pid ${w.pid}`).join(', ')}`);
		console.log(
			`  postgres: 127.0.0.1:${queue.postgres.port}   redis: 127.0.0.1:${queue.redis.port}`,
		);
		console.log('Ctrl-C stops everything.');
		let stopping = false;
		// A second Ctrl-C must not kill this process before it has stopped the others.
		const shutdown = () => {
			if (stopping) return;
			stopping = true;
			console.log('stopping…');
			void queue.stop().then(() => process.exit(0));
		};
		process.on('SIGINT', shutdown);
		process.on('SIGTERM', shutdown);
	})().catch((error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	});
}
