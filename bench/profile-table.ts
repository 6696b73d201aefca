/**
 * The `--profile` report as Markdown: buckets side by side per case, then each case's functions.
 * The profiler samples the main thread by the wall clock, so on a loaded machine a sample also
 * covers time the thread waited for a CPU: figures are shown as each bucket's share of the
 * sampled time applied to the run's CPU time from /proc (main + task runner).
 */
import type { ProfileReport, ProfiledCase } from './cpu-profile';
import { BUCKETS } from './profile-summary';

/** /proc CPU ms per item over sampled busy ms per item: what turns sampled ms into CPU ms. */
export function cpuScale(c: ProfiledCase): number {
	const cpuMsPerItem = (c.run.cpuSeconds * 1000) / c.run.n;
	return c.summary.busyMsPerItem > 0 ? cpuMsPerItem / c.summary.busyMsPerItem : Number.NaN;
}

export function profileTables(report: ProfileReport, version: string): string {
	const { cases } = report;
	const scales = cases.map(cpuScale);
	const out = [
		`CPU profiles of n8n ${version}'s main process (inspector, sampling every ${report.params.intervalUs} µs), ${report.params.n} items per case, one run each after a warm-up. Each cell: the bucket's share of the sampled time × the run's CPU per item from /proc (n8n main + task runner), in ms per item, and the share. Files: ${report.dir}`,
		'',
		`| Bucket | ${cases.map((c) => c.key).join(' | ')} |`,
		`|---|${cases.map(() => '---:').join('|')}|`,
	];
	for (const bucket of Object.keys(BUCKETS) as Array<keyof typeof BUCKETS>) {
		const cells = cases.map((c, i) => {
			const b = c.summary.buckets.find((x) => x.bucket === bucket);
			if (!b) return '';
			const share = (100 * b.msPerItem) / c.summary.busyMsPerItem;
			return `${(b.msPerItem * scales[i]).toFixed(3)} (${share.toFixed(0)}%)`;
		});
		if (cells.every((v) => v === '')) continue;
		out.push(`| ${BUCKETS[bucket]} | ${cells.join(' | ')} |`);
	}
	out.push(
		`| **n8n CPU per item from /proc (main + runner)** | ${cases.map((c) => `**${((c.run.cpuSeconds * 1000) / c.run.n).toFixed(3)}**`).join(' | ')} |`,
		`| Sampled busy ms per item (wall-clock sampling) | ${cases.map((c) => c.summary.busyMsPerItem.toFixed(3)).join(' | ')} |`,
		`| Load average (1 min) at the start | ${cases.map((c) => c.load1).join(' | ')} |`,
	);
	cases.forEach((c, i) => {
		const ms = (v: number) => (v * scales[i]).toFixed(3);
		out.push('', `${c.key} (${c.title}): the largest self times per bucket, ms per item`, '');
		for (const b of c.summary.buckets) {
			if (b.msPerItem * scales[i] < 0.01) continue;
			const names = b.topSelf.map((f) => `${f.name} ${ms(f.msPerItem)}`).join('; ');
			out.push(`- ${b.bucket} ${ms(b.msPerItem)}: ${names}`);
		}
		out.push(
			'',
			`Inclusive (on the stack): ${c.summary.topInclusive.map((f) => `${f.name} ${ms(f.msPerItem)}`).join('; ')}`,
		);
	});
	return out.join('\n');
}
