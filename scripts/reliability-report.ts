/**
 * `npm run reliability`: the fault soak at report size through the core, the n8n node and the
 * Zapier app, plus the fuzz suites that report their case counts, then docs/RELIABILITY.md with
 * the figures. The same checks run CI-sized in test/reliability and test/zapier.
 *   npm run reliability -- [--core 1500] [--n8n 600] [--zapier 1000] [--fuzz-runs 300]
 *                          [--out docs/RELIABILITY.md]
 */
import { spawnSync } from 'node:child_process';
import {
	existsSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import type { FuzzCount } from '../test/reliability/fuzzCount';
import type { SoakFigures } from '../test/reliability/soak';

const ROOT = join(__dirname, '..');

const PATH_LABELS: Record<string, string> = {
	core: 'core client + bulk runner',
	n8n: 'n8n node (n8n-core engine)',
	zapier: 'Zapier send_message (one Zap run per item)',
};

/** Test files that report their fuzz case counts (they call recordFuzzCases). */
function fuzzSuites(dir: string): string[] {
	const out: string[] = [];
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) out.push(...fuzzSuites(path));
		else if (name.endsWith('.test.ts') && readFileSync(path, 'utf8').includes('recordFuzzCases('))
			out.push(relative(ROOT, path));
	}
	return out.sort();
}

function readLines<T>(file: string): T[] {
	if (!existsSync(file)) return [];
	return readFileSync(file, 'utf8')
		.split('\n')
		.filter((line) => line.trim() !== '')
		.map((line) => JSON.parse(line) as T);
}

function positive(name: string, value: string): string {
	if (!/^\d+$/.test(value) || Number(value) < 1) {
		throw new Error(`--${name} must be a whole number >= 1 (got '${value}')`);
	}
	return value;
}

async function main() {
	const { values } = parseArgs({
		options: {
			core: { type: 'string', default: '1500' },
			n8n: { type: 'string', default: '600' },
			zapier: { type: 'string', default: '1000' },
			'fuzz-runs': { type: 'string', default: '300' },
			out: { type: 'string', default: join('docs', 'RELIABILITY.md') },
		},
	});
	const out = resolve(ROOT, values.out);
	const tmp = mkdtempSync(join(tmpdir(), 'ip-soak-'));
	const soakOut = join(tmp, 'figures.jsonl');
	const fuzzOut = join(tmp, 'fuzz.jsonl');
	const fuzzFiles = fuzzSuites(join(ROOT, 'test'));
	// The soak and the fuzz suites run as the jest suite does (same module resolution), larger.
	const jest = spawnSync('npx', ['jest', 'test/reliability', ...fuzzFiles], {
		cwd: ROOT,
		stdio: 'inherit',
		env: {
			...process.env,
			IP_SOAK_CORE: positive('core', values.core),
			IP_SOAK_N8N: positive('n8n', values.n8n),
			IP_SOAK_ZAPIER: positive('zapier', values.zapier),
			IP_FUZZ_RUNS: positive('fuzz-runs', values['fuzz-runs']),
			IP_SOAK_OUT: soakOut,
			IP_FUZZ_OUT: fuzzOut,
		},
	});
	const runs = readLines<SoakFigures>(soakOut);
	const fuzz = readLines<FuzzCount>(fuzzOut);
	const row = (f: SoakFigures) =>
		`| ${PATH_LABELS[f.path] ?? f.path} | ${f.items} | ${f.rateLimited} | ${Object.entries(
			f.faultsInjected,
		)
			.filter(([, v]) => v > 0)
			.map(([k, v]) => `${k} ${v}`)
			.join(
				', ',
			)} | ${f.delivered} | ${f.failedNotSent} | ${f.failedMaybeSent} (${f.failedMaybeSentAndSent} of them did arrive) | ${f.lost} | ${f.duplicated} | ${f.misclassified} | ${f.leaks ?? 0} |`;
	const totals = runs.reduce(
		(t, f) => ({
			items: t.items + f.items,
			faults: t.faults + Object.values(f.faultsInjected).reduce((a, b) => a + b, 0) + f.rateLimited,
			lost: t.lost + f.lost,
			duplicated: t.duplicated + f.duplicated,
			misclassified: t.misclassified + f.misclassified,
			leaks: t.leaks + (f.leaks ?? 0),
			failed: t.failed + f.failedNotSent + f.failedMaybeSent,
		}),
		{ items: 0, faults: 0, lost: 0, duplicated: 0, misclassified: 0, leaks: 0, failed: 0 },
	);
	const zapier = runs.find((f) => f.path === 'zapier');
	const fuzzCases = fuzz.reduce((sum, f) => sum + f.cases, 0);
	const md = `# Reliability report

Produced by \`npm run reliability\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.versions.node})${
		jest.status === 0 ? '' : ' — **the run FAILED: see the test output**'
	}.
Emulator faults on every path: 10 % 429 + Retry-After 1 s injected (\`fault429\`), on top of a
rate limit of 60 req/s, burst 5 (429 + Retry-After 1 s); 2 % 503 + Retry-After; 1 % 500;
0.5 % connection reset before processing, 0.5 % reset after processing; and 1 % responses held
past the client's timeout (core and n8n node 800 ms, the node's Timeout option; the Zapier app's
own 8 s). The emulator draws faults from a seeded generator (seed 7), so two paths with the same
number of items meet the same faults. Outcomes are judged from the emulator's accepted messages,
not from the sender.

**${totals.items} items sent, ${totals.faults} faults injected (429s included): ${totals.lost} lost, ${totals.duplicated} duplicated, ${totals.misclassified} said "not sent" but were sent, ${totals.leaks} of ${totals.failed} failures showed the API key; ${fuzzCases} fuzz cases run, 0 failing${
		jest.status === 0 ? '' : ' (unless the run failed above)'
	}.**

| path | items | 429s (rate limit) | faults injected | delivered once | failed, not sent | failed, may have been sent | lost | duplicated | said "not sent" but was | API key in the error |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${runs.map(row).join('\n')}

A send that failed after it may have reached the server (500, reset, timeout) is reported with
\`mayHaveBeenSent: true\` (in Zapier: the error's closing sentence, read by \`sendOutcomeOf\`)
and never retried: the operator decides, nobody is messaged twice. 429 and 503 + Retry-After
are waited out and retried (the server did not process them).${
		zapier
			? ` On the Zapier path each item is one Zap run of the app under zapier-platform-core; a step that ends in \`ThrottledError\` is re-run after its delay, as Zapier does (${zapier.throttledReplays ?? 0} re-run${zapier.throttledReplays === 1 ? '' : 's'} in this report).`
			: ''
	}

## Fuzzing

| suite | cases run |
| --- | --- |
${fuzz.map((f) => `| ${f.suite} | ${f.cases} |`).join('\n') || '| (none reported) | 0 |'}

Every case must end in a result or a field-named error of the host's own kind, with no request for
invalid input and no API key anywhere in the error. The core suites run at fixed sizes, the n8n
and Zapier suites at \`--fuzz-runs\`. The secret-leak checks (test/core/redaction.test.ts,
test/n8n, test/zapier, test/e2e) run in the normal test suite.
`;
	// Aligned tables, as the rest of docs/ (the project's prettier settings).
	const formatted = await format(md, {
		...((await resolveConfig(join(ROOT, 'docs', 'RELIABILITY.md'))) ?? {}),
		parser: 'markdown',
	});
	writeFileSync(out, formatted);
	console.log(formatted);
	console.log(`written to ${relative(process.cwd(), out) || out}`);
	const bad = runs.some((f) => f.lost + f.duplicated + f.misclassified + (f.leaks ?? 0) > 0);
	process.exit(bad || jest.status !== 0 ? 1 : 0);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
