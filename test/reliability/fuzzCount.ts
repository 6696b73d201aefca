/**
 * Fuzz case counts for the reliability report: a fuzz suite calls recordFuzzCases once (e.g. in
 * afterAll) with the number of generated cases it actually ran; when IP_FUZZ_OUT names a file
 * (set by `npm run reliability`), one JSON line is appended to it. Without it, nothing happens.
 */
import { appendFileSync } from 'node:fs';

export interface FuzzCount {
	suite: string;
	cases: number;
}

export function recordFuzzCases(suite: string, cases: number): void {
	const out = process.env.IP_FUZZ_OUT;
	if (!out) return;
	appendFileSync(out, `${JSON.stringify({ suite, cases } satisfies FuzzCount)}\n`);
}
