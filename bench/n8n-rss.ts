/**
 * Samples a process's resident set size (Linux /proc/<pid>/status VmRSS) while a bench case
 * runs: the n8n process's RSS before the run, its peak during it, and after it.
 */
import { readFileSync } from 'node:fs';

export function rssBytes(pid: number): number | undefined {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
		return match ? Number(match[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

export interface RssSample {
	beforeBytes: number;
	peakBytes: number;
	afterBytes: number;
}

/** Runs `work` while sampling `pid`'s RSS every `everyMs`. */
export async function withRssSampling<T>(
	pid: number,
	work: () => Promise<T>,
	everyMs = 250,
): Promise<{ result: T; rss: RssSample }> {
	const before = rssBytes(pid) ?? Number.NaN;
	let peak = before;
	const timer = setInterval(() => {
		const now = rssBytes(pid);
		if (now !== undefined && !(now <= peak)) peak = now;
	}, everyMs);
	try {
		const result = await work();
		const after = rssBytes(pid) ?? Number.NaN;
		return {
			result,
			rss: { beforeBytes: before, peakBytes: Math.max(peak, after), afterBytes: after },
		};
	} finally {
		clearInterval(timer);
	}
}
