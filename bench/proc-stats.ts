/**
 * What the machine and the processes under test did during a bench case, from Linux's /proc:
 * a process tree's CPU time (n8n and its task runner), its resident memory (VmRSS now, VmHWM the
 * kernel's own peak), the machine's busy CPU and load average. The figures that say what bounds a
 * run: n8n's CPU time against the wall clock, and how much of the machine others were using.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** Linux's USER_HZ (clock ticks per second in /proc/<pid>/stat); 100 on every common kernel. */
const TICKS_PER_SECOND = 100;

function read(path: string): string | undefined {
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return undefined;
	}
}

/** The fields of /proc/<pid>/stat after the command name (which may contain spaces). */
function statFields(pid: number): string[] | undefined {
	const stat = read(`/proc/${pid}/stat`);
	if (!stat) return undefined;
	return stat
		.slice(stat.lastIndexOf(')') + 2)
		.trim()
		.split(/\s+/);
}

/** `pid` and every process below it (n8n's task runner is its child). */
export function processTree(pid: number): number[] {
	const children = new Map<number, number[]>();
	let entries: string[] = [];
	try {
		entries = readdirSync('/proc');
	} catch {
		return [pid];
	}
	for (const entry of entries) {
		if (!/^\d+$/.test(entry)) continue;
		// After the name: state, ppid, ...
		const ppid = Number(statFields(Number(entry))?.[1]);
		if (!Number.isInteger(ppid)) continue;
		const list = children.get(ppid) ?? [];
		list.push(Number(entry));
		children.set(ppid, list);
	}
	const tree: number[] = [];
	const stack = [pid];
	while (stack.length > 0) {
		const next = stack.pop() as number;
		tree.push(next);
		stack.push(...(children.get(next) ?? []));
	}
	return tree;
}

/** User + system CPU seconds of one process (0 when it is gone). */
export function cpuSeconds(pid: number): number {
	const fields = statFields(pid);
	if (!fields) return 0;
	// utime and stime are fields 14 and 15 of the full line; here 11 and 12 (0-based).
	return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** CPU seconds of `pid` and its descendants now. */
export function treeCpuSeconds(pid: number): number {
	return processTree(pid).reduce((sum, p) => sum + cpuSeconds(p), 0);
}

/** VmRSS (now) and VmHWM (peak over the process's life) in bytes. */
export function memoryOf(pid: number): { rssBytes: number; hwmBytes: number } | undefined {
	const status = read(`/proc/${pid}/status`);
	if (!status) return undefined;
	const kb = (name: string) =>
		Number(new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1]);
	const rss = kb('VmRSS');
	const hwm = kb('VmHWM');
	if (!Number.isFinite(rss)) return undefined;
	return { rssBytes: rss * 1024, hwmBytes: (Number.isFinite(hwm) ? hwm : rss) * 1024 };
}

/**
 * Resets the kernel's peak-RSS mark (VmHWM) of `pid` to its current RSS (`5` to
 * /proc/<pid>/clear_refs), so that VmHWM afterwards is the peak since now; false where not allowed.
 */
export function resetPeakRss(pid: number): boolean {
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

/** Busy and total jiffies of the whole machine (/proc/stat's first line). */
export function machineJiffies(): { busy: number; total: number } {
	const line = read('/proc/stat')?.split('\n')[0] ?? '';
	const values = line.trim().split(/\s+/).slice(1).map(Number);
	// user nice system idle iowait irq softirq steal ...
	const idle = (values[3] ?? 0) + (values[4] ?? 0);
	const total = values.slice(0, 8).reduce((sum, v) => sum + (Number.isFinite(v) ? v : 0), 0);
	return { busy: total - idle, total };
}

export interface WatchedProcess {
	/** What it is: "n8n main", "worker 1", "redis", ... */
	label: string;
	pid: number;
	/** Count the process alone, not its descendants (the bench itself, which spawns n8n). */
	alone?: boolean;
}

export interface ProcessUsage {
	label: string;
	pid: number;
	/** CPU seconds the process and its descendants used during the window. */
	cpuSeconds: number;
	/** cpuSeconds / wall seconds: 1.0 = one core busy the whole time. */
	coresUsed: number;
	rssBeforeBytes: number;
	/** Highest VmRSS sampled during the window. */
	rssPeakBytes: number;
	rssAfterBytes: number;
	/**
	 * The kernel's VmHWM at the end: the peak RSS since the window started (the mark is reset at
	 * its start), or over the process's whole life where the reset was not allowed.
	 */
	hwmBytes: number;
	hwmSinceStart: boolean;
}

export interface MachineUsage {
	wallSeconds: number;
	cores: number;
	/** Cores busy on average over the window (all processes on the machine). */
	machineCoresBusy: number;
	/** Busy cores not used by the watched processes (other developers' work, the bench itself). */
	othersCoresBusy: number;
	/** 1-minute load average: at the start, at the end, its highest sample and the samples' mean. */
	loadAverage: { start: number; end: number; max: number; mean: number };
	processes: ProcessUsage[];
}

/**
 * Watches `processes` (each with its descendants) from now until `stop()`: CPU time, RSS sampled
 * every `everyMs` (the peak) and the machine's load.
 */
export function watchUsage(
	processes: WatchedProcess[],
	cores: number,
	everyMs = 500,
): { stop(): MachineUsage } {
	const started = performance.now();
	const machineStart = machineJiffies();
	const cpuOf = (p: WatchedProcess) => (p.alone ? cpuSeconds(p.pid) : treeCpuSeconds(p.pid));
	const cpuStart = processes.map(cpuOf);
	const rssOf = (pid: number) => memoryOf(pid)?.rssBytes ?? Number.NaN;
	const rssStart = processes.map((p) => rssOf(p.pid));
	const hwmReset = processes.map((p) => resetPeakRss(p.pid));
	const rssPeak = [...rssStart];
	const loads: number[] = [loadavg()[0]];
	const timer = setInterval(() => {
		processes.forEach((p, i) => {
			const now = rssOf(p.pid);
			if (!(now <= rssPeak[i])) rssPeak[i] = now;
		});
		loads.push(loadavg()[0]);
	}, everyMs);
	return {
		stop() {
			clearInterval(timer);
			const wallSeconds = (performance.now() - started) / 1000;
			const machineEnd = machineJiffies();
			const busyShare =
				(machineEnd.busy - machineStart.busy) / Math.max(1, machineEnd.total - machineStart.total);
			const usage = processes.map((p, i): ProcessUsage => {
				const cpu = cpuOf(p) - cpuStart[i];
				const after = rssOf(p.pid);
				return {
					label: p.label,
					pid: p.pid,
					cpuSeconds: round(cpu, 1),
					coresUsed: round(cpu / wallSeconds, 2),
					rssBeforeBytes: rssStart[i],
					rssPeakBytes: Math.max(
						rssPeak[i],
						after,
						hwmReset[i] ? (memoryOf(p.pid)?.hwmBytes ?? 0) : 0,
					),
					rssAfterBytes: after,
					hwmBytes: memoryOf(p.pid)?.hwmBytes ?? Number.NaN,
					hwmSinceStart: hwmReset[i],
				};
			});
			loads.push(loadavg()[0]);
			const machineCoresBusy = busyShare * cores;
			const watchedCores = usage.reduce((sum, u) => sum + u.coresUsed, 0);
			return {
				wallSeconds: round(wallSeconds, 1),
				cores,
				machineCoresBusy: round(machineCoresBusy, 2),
				othersCoresBusy: round(Math.max(0, machineCoresBusy - watchedCores), 2),
				loadAverage: {
					start: round(loads[0], 2),
					end: round(loads[loads.length - 1], 2),
					max: round(Math.max(...loads), 2),
					mean: round(loads.reduce((a, b) => a + b, 0) / loads.length, 2),
				},
				processes: usage,
			};
		},
	};
}

function round(value: number, digits: number): number {
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}
