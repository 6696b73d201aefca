/**
 * Memory case: Return All over many clients. Each variant runs in a fresh Node process; its peak
 * RSS (maxRSS) is compared with its idle RSS and with the size of the result.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface MemoryVariantResult {
	variant: string;
	title: string;
	count: number;
	resultBytes: number;
	idleRssBytes: number;
	peakRssBytes: number;
	/** Heap the result itself occupies (after a full GC, result held) above the idle heap. */
	retainedBytes: number;
	wallMs: number;
}

export interface MemoryResult {
	clients: number;
	variants: MemoryVariantResult[];
}

const VARIANTS: Array<{ variant: string; title: string }> = [
	{ variant: 'iterate', title: 'iterateClients (stream page by page, nothing kept)' },
	{ variant: 'listAll', title: 'listAllClients (Return All, whole array kept)' },
];

export async function runMemoryCase(baseUrl: string, clients: number): Promise<MemoryResult> {
	const variants: MemoryVariantResult[] = [];
	for (const { variant, title } of VARIANTS) {
		process.stderr.write(`  memory: ${variant} ...\n`);
		const { stdout } = await run(
			process.execPath,
			[
				'--import',
				'tsx',
				'--expose-gc',
				join(__dirname, 'memory-child.ts'),
				variant,
				baseUrl,
				String(clients),
			],
			{ maxBuffer: 1024 * 1024 },
		);
		const line = stdout.trim().split('\n').pop() ?? '{}';
		variants.push({ ...(JSON.parse(line) as Omit<MemoryVariantResult, 'title'>), title });
	}
	return { clients, variants };
}
