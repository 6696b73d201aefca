/**
 * IntelliPortal sandbox emulator: a real HTTP server implementing every operation of
 * shared/openapi.json under /v1, validating requests against the contract, with in-memory
 * state, message status progression, webhook delivery, and knobs for latency, rate limiting
 * and faults. Dev tooling (tests, demo, benchmarks); not part of the n8n tarball.
 *
 * This file is the public entry (what tests, the demo, the bench and cli.ts import). The parts:
 *   options.ts      every knob: type, default, what it models, CLI flag / env
 *   emulator.ts     one emulator's parts wired together; reset and stop
 *   server.ts       HTTP server and routing (contract pipeline, /__admin hand-off)
 *   operations.ts   the contract's operations on the state
 *   state.ts        the account: clients, messages and status progression, webhook config, events
 *   webhooks.ts     webhook delivery (retries, loopback-only)
 *   faults.ts       latency, token bucket, injected faults
 *   observations.ts counters and request log
 *   admin.ts        the typed admin API and /__admin routes
 *   adminAccess.ts  who may use /__admin: Host, admin token, JSON writes
 *   http.ts         HttpError, JSON bodies, redacted headers
 *   validator.ts    contract validation (openapi-backend)
 */
import { createAdmin } from './admin';
import type { EmulatorAdmin } from './admin';
import { ADMIN_TOKEN_HEADER, adminToken } from './adminAccess';
import { Emulator } from './emulator';
import { START_DEFAULTS } from './options';
import type { EmulatorOptions } from './options';
import { close, listen, requestHandler } from './server';
import { ContractValidator } from './validator';

export * from './types';
export type { EmulatorAdmin } from './admin';
export { ADMIN_TOKEN_HEADER } from './adminAccess';
export { DEFAULT_CONFIG } from './options';
export { EXAMPLE_API_KEY } from './server';
export { FAILING_RECIPIENT, SEEDED_TEMPLATES } from './state';
export { isLoopbackUrl } from './webhooks';
export type { FieldIssue } from './validator';

export interface RunningEmulator {
	/** Origin, e.g. http://127.0.0.1:4010 */
	url: string;
	/** Contract base URL (origin + /v1), what IntelliPortalClient's baseUrl takes. */
	baseUrl: string;
	port: number;
	admin: EmulatorAdmin;
	/** What /__admin over HTTP requires in the X-Emulator-Admin-Token header. */
	adminToken: string;
	/** The headers an /__admin request over HTTP needs (token, JSON content type). */
	adminHeaders: Readonly<Record<string, string>>;
	stop(): Promise<void>;
}

let validatorPromise: Promise<ContractValidator> | undefined;

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
	validatorPromise ??= ContractValidator.load();
	const validator = await validatorPromise;
	const token = adminToken(options.adminToken);
	const emulator = new Emulator(options);
	const admin = createAdmin(emulator);
	const host = options.host ?? START_DEFAULTS.host;
	const { server, port } = await listen(
		requestHandler(emulator, validator, admin, { token, bindHost: host }),
		emulator.log,
		options.port ?? START_DEFAULTS.port,
		host,
	);
	const hostPart = host.includes(':') ? `[${host}]` : host;
	const url = `http://${hostPart}:${port}`;
	let stopping: Promise<void> | undefined;
	return {
		url,
		baseUrl: `${url}/v1`,
		port,
		admin,
		adminToken: token,
		adminHeaders: { [ADMIN_TOKEN_HEADER]: token, 'Content-Type': 'application/json' },
		stop: () => {
			if (!stopping) {
				emulator.stop();
				stopping = close(server);
			}
			return stopping;
		},
	};
}
