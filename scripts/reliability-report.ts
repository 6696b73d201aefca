/**
 * `npm run reliability`: the fault soak at report size through the core and the n8n node, then
 * docs/RELIABILITY.md with the figures. The same checks run CI-sized in test/reliability.
 *   npm run reliability -- [--core 1500] [--n8n 600]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { SoakFigures } from '../test/reliability/soak';

async function main() {
	const { values } = parseArgs({
		options: {
			core: { type: 'string', default: '1500' },
			n8n: { type: 'string', default: '600' },
		},
	});
	// The soak runs as the jest suite does (same module resolution as the tests), larger.
	const out = join(mkdtempSync(join(tmpdir(), 'ip-soak-')), 'figures.jsonl');
	const jest = spawnSync('npx', ['jest', 'test/reliability'], {
		stdio: 'inherit',
		env: { ...process.env, IP_SOAK_CORE: values.core, IP_SOAK_N8N: values.n8n, IP_SOAK_OUT: out },
	});
	const runs: SoakFigures[] = readFileSync(out, 'utf8')
		.trim()
		.split('\n')
		.map((line) => JSON.parse(line) as SoakFigures);
	const row = (f: SoakFigures) =>
		`| ${f.path === 'core' ? 'core client + bulk runner' : 'n8n node (n8n-core engine)'} | ${f.items} | ${f.rateLimited} | ${Object.entries(
			f.faultsInjected,
		)
			.filter(([, v]) => v > 0)
			.map(([k, v]) => `${k} ${v}`)
			.join(
				', ',
			)} | ${f.delivered} | ${f.failedNotSent} | ${f.failedMaybeSent} (${f.failedMaybeSentAndSent} of them did arrive) | ${f.lost} | ${f.duplicated} | ${f.misclassified} |`;
	const md = `# Reliability report

Produced by \`npm run reliability\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.versions.node}).
Emulator faults: rate limit 60 req/s, burst 5 (429 + Retry-After 1 s), 2 % 503 + Retry-After, 1 % 500,
0.5 % connection reset before processing, 0.5 % reset after processing, and on the core path 1 %
responses held for twice the client's 800 ms timeout. Outcomes are judged from the emulator's
accepted messages, not from the sender.

| path | items | 429s | faults injected | delivered once | failed, not sent | failed, may have been sent | lost | duplicated | said "not sent" but was |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${runs.map(row).join('\n')}

A send that failed after it may have reached the server (500, reset after processing, timeout)
is reported with \`mayHaveBeenSent: true\` and never retried: the operator decides, nobody is
messaged twice. 429 and 503 + Retry-After are waited out and retried (the server did not
process them). Property-based fuzzing (test/core/validation-fuzz.test.ts,
test/core/hostile-input.test.ts) and the secret-leak checks (test/core/redaction.test.ts,
test/n8n, test/zapier, test/e2e) run in the normal suite.
`;
	writeFileSync(join(__dirname, '..', 'docs', 'RELIABILITY.md'), md);
	console.log(md);
	const bad = runs.some((f) => f.lost + f.duplicated + f.misclassified > 0);
	process.exit(bad || jest.status !== 0 ? 1 : 0);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
