/**
 * Every knob of the emulator, in one place: its type, its default, what real-server answer it
 * models, and its CLI flag / environment variable. `startEmulator(options)`, the CLI
 * (emulator/cli.ts), `POST /__admin/config` and docs/EMULATOR.md all follow this file.
 */
import { HttpError } from './http';

/**
 * Runtime-adjustable knobs (options at start, CLI flags/env, `POST /__admin/config`,
 * `admin.config(patch)`; `admin.reset()` restores the start values).
 */
export interface EmulatorConfig {
	/** Added to every contract request before it is handled (ms). */
	latencyMs: number;
	/** Uniform random extra latency in [0, jitterMs] (ms). */
	jitterMs: number;
	/** Token-bucket refill rate in requests/second; 0 disables rate limiting. */
	rateLimitRps: number;
	/** Token-bucket capacity; 0 means "same as rateLimitRps" (at least 1). */
	rateLimitBurst: number;
	/** Probability of answering 500 without processing. */
	fault500: number;
	/** Probability of answering 503 + Retry-After without processing. */
	fault503: number;
	/**
	 * Probability of answering 429 + Retry-After without processing (an injected throttle,
	 * independent of the token bucket; counted in `faults.error429`, not in `rateLimited`).
	 */
	fault429: number;
	/** Probability of destroying the socket BEFORE processing (request had no effect). */
	faultResetBefore: number;
	/** Probability of destroying the socket AFTER processing (request took effect; the ambiguous case). */
	faultResetAfter: number;
	/** Probability of processing the request and holding the response for slowMs. */
	faultSlow: number;
	/** How long a slow response is held (ms); make it longer than the client's timeout. */
	slowMs: number;
	/** Retry-After (seconds) sent with injected 503s and 429s. */
	retryAfterSeconds: number;
	/** Delay between automatic message status steps (ms); 0 = no automatic progression. */
	statusStepMs: number;
	/** Attempts per webhook delivery (first try included). */
	webhookMaxAttempts: number;
	/** Backoff before webhook retry n is webhookBackoffMs * 2^(n-1) (ms). */
	webhookBackoffMs: number;
	/** Timeout of one webhook delivery attempt (ms). */
	webhookTimeoutMs: number;
	/**
	 * Client-list quirks a real server may have, where the contract is silent (the core must list
	 * every client anyway): 1 = answer GET /clients without `total`.
	 */
	listOmitTotal: number;
	/** Largest page GET /clients returns, whatever `limit` asks (0 = no cap below `limit`). */
	listPageCap: number;
	/** 1 = GET /clients ignores `offset` and always answers the first page. */
	listIgnoreOffset: number;
	/**
	 * Clients onboarded at the FRONT of the list right after a GET /clients at offset 0 has been
	 * answered: every later page of that listing is shifted by this many (repeats, no gaps).
	 */
	listShiftAfterFirstPage: number;
	/** 1 = GET /clients never ends: every page is new made-up clients, no `total`. */
	listEndless: number;
}

/** Options of `startEmulator`: every runtime knob's start value, plus start-only settings. */
export interface EmulatorOptions extends Partial<EmulatorConfig> {
	/** TCP port; 0 (the default for the library) picks a free one. The CLI defaults to 4010. */
	port?: number;
	/** Bind address; default 127.0.0.1. */
	host?: string;
	/** Seed for the deterministic RNG (faults, jitter, ids). Default 1. */
	seed?: number;
	/** Clients created at start (and after reset), without webhook events. */
	seedClients?: number;
	/** Allow webhook delivery to non-loopback hosts. Default false: such deliveries are recorded as blocked. */
	allowRemoteWebhooks?: boolean;
	/** How many requests GET /__admin/requests keeps. Default 500. */
	requestLogSize?: number;
	/**
	 * What /__admin over HTTP requires (X-Emulator-Admin-Token), ≥ 16 characters. Default: random
	 * per start, on the handle (`adminToken`) and in the CLI's banner.
	 */
	adminToken?: string;
	/** Called with one line per request/event; never receives the API key. Default: silent. */
	log?: (line: string) => void;
}

/** How a knob is given on the command line: `--flag N` or the environment variable `env=N`. */
export interface KnobFlag {
	flag: string;
	env: string;
	/** 'probability': 0..1; 'number': any finite number >= 0; 'string': as given. */
	kind: 'number' | 'probability' | 'string';
	help: string;
}

export interface KnobSpec {
	default: number;
	/** The real-server behaviour the knob reproduces (docs/EMULATOR.md shows it). */
	models: string;
	cli?: KnobFlag;
}

/** The runtime knobs. `satisfies` keeps this table and EmulatorConfig in step both ways. */
export const CONFIG_KNOBS = {
	latencyMs: {
		default: 0,
		models: 'network and server latency',
		cli: {
			flag: 'latency',
			env: 'EMULATOR_LATENCY_MS',
			kind: 'number',
			help: 'added latency per request, ms',
		},
	},
	jitterMs: {
		default: 0,
		models: 'uneven latency (answers arriving out of order)',
		cli: {
			flag: 'jitter',
			env: 'EMULATOR_JITTER_MS',
			kind: 'number',
			help: 'extra random latency 0..N ms',
		},
	},
	rateLimitRps: {
		default: 0,
		models: "the API's rate limit",
		cli: {
			flag: 'rate',
			env: 'EMULATOR_RATE_RPS',
			kind: 'number',
			help: 'rate limit, requests/second (0 = off)',
		},
	},
	rateLimitBurst: {
		default: 0,
		models: 'the burst a rate limiter lets through before throttling',
		cli: {
			flag: 'burst',
			env: 'EMULATOR_BURST',
			kind: 'number',
			help: 'token bucket size (default = rate)',
		},
	},
	fault500: {
		default: 0,
		models: 'a server error before the request was processed',
		cli: {
			flag: 'fault-500',
			env: 'EMULATOR_FAULT_500',
			kind: 'probability',
			help: 'probability of a 500',
		},
	},
	fault503: {
		default: 0,
		models: 'an overloaded or deploying server asking to come back later',
		cli: {
			flag: 'fault-503',
			env: 'EMULATOR_FAULT_503',
			kind: 'probability',
			help: 'probability of a 503 + Retry-After',
		},
	},
	fault429: {
		default: 0,
		models: 'a throttle from a limiter the client cannot see (per client, channel, upstream)',
		cli: {
			flag: 'fault-429',
			env: 'EMULATOR_FAULT_429',
			kind: 'probability',
			help: 'probability of a 429 + Retry-After (not processed; independent of --rate)',
		},
	},
	faultResetBefore: {
		default: 0,
		models: 'a connection dropped before the server read the request',
		cli: {
			flag: 'fault-reset-before',
			env: 'EMULATOR_FAULT_RESET_BEFORE',
			kind: 'probability',
			help: 'probability of a connection reset BEFORE processing',
		},
	},
	faultResetAfter: {
		default: 0,
		models: 'a connection dropped after the server acted (the ambiguous case)',
		cli: {
			flag: 'fault-reset',
			env: 'EMULATOR_FAULT_RESET',
			kind: 'probability',
			help: 'probability of a connection reset AFTER processing (the ambiguous case)',
		},
	},
	faultSlow: {
		default: 0,
		models: 'an answer slower than the client waits (processed, but the client times out)',
		cli: {
			flag: 'fault-slow',
			env: 'EMULATOR_FAULT_SLOW',
			kind: 'probability',
			help: 'probability of a slow response',
		},
	},
	slowMs: {
		default: 35_000,
		models: 'how late a slow answer comes',
		cli: {
			flag: 'slow-ms',
			env: 'EMULATOR_SLOW_MS',
			kind: 'number',
			help: 'how long a slow response is held (default 35000)',
		},
	},
	retryAfterSeconds: {
		default: 1,
		models: 'the wait a throttling or unavailable server asks for',
		cli: {
			flag: 'retry-after',
			env: 'EMULATOR_RETRY_AFTER',
			kind: 'number',
			help: 'Retry-After seconds on injected 503s and 429s (default 1)',
		},
	},
	statusStepMs: {
		default: 1000,
		models: 'how fast messages move queued → sent → delivered → read',
		cli: {
			flag: 'status-step-ms',
			env: 'EMULATOR_STATUS_STEP_MS',
			kind: 'number',
			help: 'ms between message status steps (default 1000; 0 = manual)',
		},
	},
	webhookMaxAttempts: {
		default: 4,
		models: 'the sender retrying a delivery the receiver did not accept',
		cli: {
			flag: 'webhook-max-attempts',
			env: 'EMULATOR_WEBHOOK_MAX_ATTEMPTS',
			kind: 'number',
			help: 'attempts per webhook delivery (default 4)',
		},
	},
	webhookBackoffMs: {
		default: 250,
		models: "the sender's wait between retries",
		cli: {
			flag: 'webhook-backoff-ms',
			env: 'EMULATOR_WEBHOOK_BACKOFF_MS',
			kind: 'number',
			help: 'first webhook retry delay, ms, doubling (default 250)',
		},
	},
	webhookTimeoutMs: {
		default: 5000,
		models: 'how long the sender waits for the receiver',
		cli: {
			flag: 'webhook-timeout-ms',
			env: 'EMULATOR_WEBHOOK_TIMEOUT_MS',
			kind: 'number',
			help: 'one webhook attempt timeout, ms (default 5000)',
		},
	},
	listOmitTotal: {
		default: 0,
		models: 'a list without `total` (the contract does not promise one)',
		cli: {
			flag: 'list-omit-total',
			env: 'EMULATOR_LIST_OMIT_TOTAL',
			kind: 'number',
			help: '1 = GET /clients answers without total',
		},
	},
	listPageCap: {
		default: 0,
		models: 'a server whose pages are smaller than the `limit` asked for',
		cli: {
			flag: 'list-page-cap',
			env: 'EMULATOR_LIST_PAGE_CAP',
			kind: 'number',
			help: 'largest page GET /clients returns (0 = limit)',
		},
	},
	listIgnoreOffset: {
		default: 0,
		models: 'a server that ignores `offset`',
		cli: {
			flag: 'list-ignore-offset',
			env: 'EMULATOR_LIST_IGNORE_OFFSET',
			kind: 'number',
			help: '1 = GET /clients ignores offset',
		},
	},
	listShiftAfterFirstPage: {
		default: 0,
		models: 'clients onboarded newest-first while someone pages through the list',
		cli: {
			flag: 'list-shift-after-first-page',
			env: 'EMULATOR_LIST_SHIFT_AFTER_FIRST_PAGE',
			kind: 'number',
			help: 'clients added at the front after each first page',
		},
	},
	listEndless: {
		default: 0,
		models: 'a list that never ends (a server bug, or one that makes up entries)',
		cli: {
			flag: 'list-endless',
			env: 'EMULATOR_LIST_ENDLESS',
			kind: 'number',
			help: '1 = GET /clients never ends',
		},
	},
} as const satisfies Record<keyof EmulatorConfig, KnobSpec>;

type StartOnlyOption = 'port' | 'host' | 'seed' | 'seedClients' | 'requestLogSize' | 'adminToken';

/** Start-only settings that have a CLI flag (allowRemoteWebhooks and log are the CLI's own switches). */
export const START_FLAGS = {
	port: {
		flag: 'port',
		env: 'EMULATOR_PORT',
		kind: 'number',
		help: 'TCP port (default 4010; 0 = any free port)',
	},
	host: {
		flag: 'host',
		env: 'EMULATOR_HOST',
		kind: 'string',
		help: 'bind address (default 127.0.0.1)',
	},
	seed: {
		flag: 'seed',
		env: 'EMULATOR_SEED',
		kind: 'number',
		help: 'RNG seed for faults/jitter/ids (default 1)',
	},
	seedClients: {
		flag: 'seed-clients',
		env: 'EMULATOR_SEED_CLIENTS',
		kind: 'number',
		help: 'clients created at start',
	},
	requestLogSize: {
		flag: 'request-log-size',
		env: 'EMULATOR_REQUEST_LOG_SIZE',
		kind: 'number',
		help: 'requests kept by GET /__admin/requests (default 500)',
	},
	adminToken: {
		flag: 'admin-token',
		env: 'EMULATOR_ADMIN_TOKEN',
		kind: 'string',
		help: 'token /__admin requests must send (default random, printed; prefer the env variable)',
	},
} as const satisfies Record<StartOnlyOption, KnobFlag>;

export const START_DEFAULTS = {
	host: '127.0.0.1',
	port: 0,
	seed: 1,
	seedClients: 0,
	requestLogSize: 500,
} as const;

export const DEFAULT_CONFIG: Readonly<EmulatorConfig> = Object.freeze(
	Object.fromEntries(
		Object.entries(CONFIG_KNOBS).map(([key, spec]) => [key, spec.default]),
	) as unknown as EmulatorConfig,
);

const PROBABILITY_KEYS = (Object.keys(CONFIG_KNOBS) as Array<keyof EmulatorConfig>).filter(
	(key) => (CONFIG_KNOBS[key] as KnobSpec).cli?.kind === 'probability',
);

/** The runtime config at start: the defaults with the options' values (validated). */
export function startConfig(options: EmulatorOptions): EmulatorConfig {
	const start: EmulatorConfig = { ...DEFAULT_CONFIG };
	for (const key of Object.keys(DEFAULT_CONFIG) as Array<keyof EmulatorConfig>) {
		if (options[key] !== undefined) start[key] = options[key] as number;
	}
	return checkConfig(start);
}

/** `current` with `patch` applied (validated); throws a 400 HttpError naming a bad key or value. */
export function patchConfig(current: EmulatorConfig, patch: unknown): EmulatorConfig {
	if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
		throw new HttpError(400, 'validation_error', 'config must be a JSON object');
	}
	const next = { ...current };
	for (const [key, value] of Object.entries(patch)) {
		if (!(key in DEFAULT_CONFIG)) {
			throw new HttpError(
				400,
				'validation_error',
				`unknown config key '${key}'; known: ${Object.keys(DEFAULT_CONFIG).join(', ')}`,
			);
		}
		next[key as keyof EmulatorConfig] = value as number;
	}
	return checkConfig(next);
}

function checkConfig(cfg: EmulatorConfig): EmulatorConfig {
	for (const [key, value] of Object.entries(cfg)) {
		if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
			throw new HttpError(400, 'validation_error', `config ${key} must be a finite number ≥ 0`);
		}
	}
	for (const key of PROBABILITY_KEYS) {
		if (cfg[key] > 1)
			throw new HttpError(400, 'validation_error', `config ${key} is a probability: 0..1`);
	}
	const total = PROBABILITY_KEYS.reduce((sum, k) => sum + cfg[k], 0);
	if (total > 1 + 1e-9)
		throw new HttpError(
			400,
			'validation_error',
			`fault probabilities add up to ${total}; at most 1`,
		);
	if (cfg.webhookMaxAttempts < 1)
		throw new HttpError(400, 'validation_error', 'config webhookMaxAttempts must be ≥ 1');
	return cfg;
}

/** The running emulator's config: the start values, the current values, patches and reset. */
export class RuntimeConfig {
	readonly start: EmulatorConfig;
	current: EmulatorConfig;

	constructor(options: EmulatorOptions) {
		this.start = startConfig(options);
		this.current = { ...this.start };
	}

	/** Applies a validated patch; true when the rate limit changed (its bucket starts full again). */
	patch(patch: unknown): { rateChanged: boolean } {
		const next = patchConfig(this.current, patch);
		const rateChanged =
			next.rateLimitRps !== this.current.rateLimitRps ||
			next.rateLimitBurst !== this.current.rateLimitBurst;
		this.current = next;
		return { rateChanged };
	}

	reset(): void {
		this.current = { ...this.start };
	}
}
