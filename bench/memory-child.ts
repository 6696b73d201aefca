/**
 * One memory measurement in a fresh Node process (so that peaks of other variants don't count):
 * argv = [variant, baseUrl, expectedClients]. Prints one JSON line with the result.
 */
import { createCoreClient } from './core-client';
import { BENCH_API_KEY } from './cases';

async function main(): Promise<void> {
	const [variant, baseUrl, expectedRaw] = process.argv.slice(2);
	const expected = Number(expectedRaw);
	const client = createCoreClient({ apiKey: BENCH_API_KEY, baseUrl });
	// Warm up the code paths (one small page) so that idle RSS includes the loaded modules.
	await client.listClients({ limit: 1 });
	global.gc?.();
	const idleRssBytes = process.memoryUsage().rss;
	const idleHeapBytes = process.memoryUsage().heapUsed;
	// The result's own size in memory (JS objects, not JSON): heap still in use after a full GC
	// while the result is held, minus the idle heap. 0 for the streaming variant (nothing held).
	let retainedBytes = 0;
	const started = performance.now();
	let count = 0;
	let resultBytes = 0;
	if (variant === 'iterate') {
		// Streaming: each client is looked at and dropped (what a node emitting items page by page
		// can do); resultBytes is what passed through, not what was held.
		for await (const c of client.iterateClients({ pageSize: 100, max: expected })) {
			count++;
			resultBytes += Buffer.byteLength(JSON.stringify(c));
		}
	} else if (variant === 'listAll') {
		const all = await client.listAllClients({ pageSize: 100, max: expected });
		global.gc?.();
		retainedBytes = Math.max(0, process.memoryUsage().heapUsed - idleHeapBytes);
		count = all.length;
		resultBytes = Buffer.byteLength(JSON.stringify(all));
	} else {
		throw new Error(`unknown variant ${variant}`);
	}
	if (variant === 'iterate') {
		global.gc?.();
		retainedBytes = Math.max(0, process.memoryUsage().heapUsed - idleHeapBytes);
	}
	const wallMs = performance.now() - started;
	const peakRssBytes = process.resourceUsage().maxRSS * 1024;
	process.stdout.write(
		`${JSON.stringify({ variant, count, resultBytes, idleRssBytes, peakRssBytes, wallMs: Math.round(wallMs), retainedBytes })}\n`,
	);
}

main().catch((error: unknown) => {
	process.stderr.write(
		`memory child failed: ${error instanceof Error ? error.message : String(error)}\n`,
	);
	process.exit(1);
});
