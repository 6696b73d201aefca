/**
 * One emulator's parts, wired together, and their lifecycle: config, account state, webhook
 * delivery, fault injection and observations; reset to the start state and stop.
 */
import { FaultInjector } from './faults';
import { Observations } from './observations';
import { RuntimeConfig, START_DEFAULTS } from './options';
import type { EmulatorOptions } from './options';
import { AccountState } from './state';
import { WebhookDispatcher } from './webhooks';

export class Emulator {
	readonly config: RuntimeConfig;
	readonly observations: Observations;
	readonly state: AccountState;
	readonly dispatcher: WebhookDispatcher;
	readonly faults: FaultInjector;
	readonly log: (line: string) => void;
	private readonly seedClients: number;
	private readonly sleeps = new Map<NodeJS.Timeout, () => void>();
	stopped = false;

	constructor(options: EmulatorOptions) {
		this.config = new RuntimeConfig(options);
		const seed = options.seed ?? START_DEFAULTS.seed;
		const config = () => this.config.current;
		this.log = options.log ?? (() => undefined);
		this.seedClients = options.seedClients ?? START_DEFAULTS.seedClients;
		this.observations = new Observations(
			options.requestLogSize ?? START_DEFAULTS.requestLogSize,
			this.log,
		);
		this.state = new AccountState(
			config,
			seed,
			() => this.observations.counters,
			(event, url) => this.dispatcher.deliver(event, url),
		);
		this.dispatcher = new WebhookDispatcher(
			config,
			() => this.observations.counters,
			() => this.state.newId('dlv', 20),
			options.allowRemoteWebhooks ?? false,
			this.log,
		);
		this.faults = new FaultInjector(config, seed);
		this.reset();
	}

	/** Back to the start state: start config, zero counters, empty logs, RNGs re-seeded, seeded clients. */
	reset(): void {
		this.dispatcher.clear();
		this.config.reset();
		this.observations.reset();
		this.faults.reset();
		this.state.reset(this.seedClients);
	}

	patchConfig(patch: unknown): void {
		const { rateChanged } = this.config.patch(patch);
		if (rateChanged) this.faults.resetBucket();
	}

	/** Waits `ms` unless the emulator stops first (then resolves at once). */
	sleep(ms: number): Promise<void> {
		if (ms <= 0) return Promise.resolve();
		return new Promise((resolve) => {
			const t = setTimeout(() => {
				this.sleeps.delete(t);
				resolve();
			}, ms);
			this.sleeps.set(t, resolve);
		});
	}

	/** No timer of this emulator runs after this: status steps, webhook retries, held answers. */
	stop(): void {
		this.stopped = true;
		this.state.stop();
		for (const [t, wake] of this.sleeps) {
			clearTimeout(t);
			wake();
		}
		this.sleeps.clear();
		this.dispatcher.stop();
	}
}
