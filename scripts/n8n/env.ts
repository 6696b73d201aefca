/**
 * The environment and command line of one n8n process: a quiet, loopback-only, throwaway
 * instance, in the role asked for.
 */
import { randomBytes } from 'node:crypto';

import { N8N_VERSION, n8nMajor } from './target';

/**
 * Which n8n process to run (its CLI command): `start` (main: editor, REST API, triggers; runs
 * executions in regular mode), `worker` or `webhook` (queue mode: EXECUTIONS_MODE=queue, Redis
 * and a database shared with main come as `env`; see queue/start-queue.ts).
 */
export type N8nRole = 'start' | 'worker' | 'webhook';

/** What a role answers when it is ready: every role serves /healthz/readiness; main serves /rest. */
export function readinessPaths(role: N8nRole): string[] {
	return role === 'start' ? ['/healthz/readiness', '/rest/settings'] : ['/healthz/readiness'];
}

/** Environment that makes n8n a quiet, loopback-only, throwaway instance. */
export function harnessEnv(
	port: number,
	userFolder: string,
	brokerPort: number,
	version: string = N8N_VERSION,
) {
	const base = `http://127.0.0.1:${port}/`;
	return {
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: base,
		// The URL n8n gives services for its webhooks (the trigger registers it at the API).
		N8N_WEBHOOK_URL: base,
		N8N_SECURE_COOKIE: 'false',
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
		N8N_USER_MANAGEMENT_JWT_SECRET: randomBytes(24).toString('hex'),
		DB_TYPE: 'sqlite',
		DB_SQLITE_POOL_SIZE: '2',
		EXECUTIONS_MODE: 'regular',
		// Task runner (Code node) broker: its own free loopback port, so instances don't collide.
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		// Nothing phones home.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_METRICS: 'false',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_PUBLIC_API_DISABLED: 'false',
		N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		// The MCP server registry refreshes from api.n8n.io at start (n8n 2.x; 1.x refuses the
		// unknown module name).
		...(n8nMajor(version) < 2 ? {} : { N8N_DISABLED_MODULES: 'mcp-registry' }),
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		N8N_LOG_OUTPUT: 'console',
		N8N_LOG_LEVEL: 'info',
		N8N_NO_COLOR: 'true',
		NO_COLOR: '1',
	};
}
