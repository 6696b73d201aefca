/** The `--profile` report as Markdown: buckets side by side per case, then each case's functions. */
import type { ProfileReport } from './cpu-profile';
import { BUCKETS } from './profile-summary';

export function profileTables(report: ProfileReport, version: string): string {
	const { cases } = report;
	const ms = (v: number | undefined) => (v === undefined ? '' : v.toFixed(3));
	const out = [
		`CPU profiles of n8n ${version}'s main process (inspector, sampling every ${report.params.intervalUs} µs), ${report.params.n} items per case, one run each after a warm-up. ms per item; the task runner (Code node) is not in these profiles. Files: ${report.dir}`,
		'',
		`| Bucket | ${cases.map((c) => c.key).join(' | ')} |`,
		`|---|${cases.map(() => '---:').join('|')}|`,
	];
	for (const bucket of Object.keys(BUCKETS) as Array<keyof typeof BUCKETS>) {
		const cells = cases.map((c) => c.summary.buckets.find((b) => b.bucket === bucket)?.msPerItem);
		if (cells.every((v) => v === undefined)) continue;
		out.push(`| ${BUCKETS[bucket]} | ${cells.map(ms).join(' | ')} |`);
	}
	out.push(
		`| **Sampled busy time** | ${cases.map((c) => `**${ms(c.summary.busyMsPerItem)}**`).join(' | ')} |`,
	);
	out.push(
		`| n8n tree CPU from /proc (main + runner) | ${cases.map((c) => ms((c.run.cpuSeconds * 1000) / c.run.n)).join(' | ')} |`,
	);
	out.push(`| Load average (1 min) at the start | ${cases.map((c) => c.load1).join(' | ')} |`);
	for (const c of cases) {
		out.push('', `${c.key} (${c.title}): the largest self times per bucket, ms per item`, '');
		for (const b of c.summary.buckets) {
			if (b.msPerItem < 0.01) continue;
			const names = b.topSelf.map((f) => `${f.name} ${f.msPerItem.toFixed(3)}`).join('; ');
			out.push(`- ${b.bucket} ${b.msPerItem.toFixed(3)}: ${names}`);
		}
		out.push(
			'',
			`Inclusive (on the stack): ${c.summary.topInclusive.map((f) => `${f.name} ${f.msPerItem.toFixed(3)}`).join('; ')}`,
		);
	}
	return out.join('\n');
}
