/**
 * `--mode n8n`: the same comparison inside a real n8n (the HTTP Request node vs. our node). It
 * needs the real-n8n harness (scripts/n8n/start.ts) and a built IntelliPortal node; until both
 * are wired in, this says why the mode is unavailable and the benchmark runs at core level.
 */
export function n8nModeUnavailableReason(): string | null {
	return 'the in-n8n runner is not wired into the benchmark yet; results are core-level (the senders run as plain Node code against the emulator, not inside n8n)';
}
