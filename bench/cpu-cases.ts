/**
 * The senders `--case cpu` puts side by side in one n8n, each after the same Code node of N
 * items: n8n's No Operation (the baseline: what n8n costs to carry the items), n8n's HTTP Request
 * node with a plain Authorization header and with a Header Auth credential, and our node's Send
 * in each version (text, expressions in To and Text, defaults).
 */
import { BENCH_API_KEY } from './cases';
import { HTTP_TYPE, NEWEST_VERSION, SENDER, httpNodeCase, oursNodeCase } from './n8n-mode';
import type { N8nSendCase } from './n8n-mode';

export const BASELINE_KEY = 'noop';

const HTTP_VERSION = 4.5;

/** n8n's No Operation node: passes the items on, sends nothing. */
export function noopCase(): N8nSendCase {
	return {
		key: BASELINE_KEY,
		title: 'No Operation (n8n carrying the items, nothing sent)',
		concurrency: 1,
		sender: () => ({
			id: 'bench-send',
			name: SENDER,
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [400, 0],
			parameters: {},
		}),
	};
}

/** The HTTP Request node, POST, the key typed into a header (no credential), default options. */
export function httpPlainHeaderCase(emulatorBaseUrl: string): N8nSendCase {
	return {
		key: 'http-header',
		title: 'HTTP Request node, POST, plain Authorization header, default options',
		concurrency: 1,
		sender: () => ({
			id: 'bench-send',
			name: SENDER,
			type: HTTP_TYPE,
			typeVersion: HTTP_VERSION,
			position: [400, 0],
			onError: 'continueRegularOutput',
			parameters: {
				method: 'POST',
				url: `${emulatorBaseUrl}/messages/send`,
				authentication: 'none',
				sendHeaders: true,
				specifyHeaders: 'keypair',
				headerParameters: {
					parameters: [{ name: 'Authorization', value: `Bearer ${BENCH_API_KEY}` }],
				},
				sendBody: true,
				specifyBody: 'json',
				jsonBody: '={{ JSON.stringify($json.body) }}',
				options: {},
			},
		}),
	};
}

/** The five senders, No Operation first. */
export function cpuCases(emulatorBaseUrl: string): N8nSendCase[] {
	const newest = NEWEST_VERSION;
	const older = Array.from({ length: newest - 1 }, (_, i) => newest - 1 - i);
	return [
		noopCase(),
		httpPlainHeaderCase(emulatorBaseUrl),
		httpNodeCase(
			emulatorBaseUrl,
			'http-credential',
			'HTTP Request node, POST, Header Auth credential, default options',
			1,
		),
		...[newest, ...older].map((version) =>
			oursNodeCase(
				`ours-v${version}`,
				`IntelliPortal v${version} Send (text, expressions in To and Text, defaults)`,
				undefined,
				version,
			),
		),
	];
}
