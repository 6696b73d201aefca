/**
 * A V8 CPU profile (the inspector's Profiler.stop / `--cpu-prof`) split into the buckets issue 22
 * asks about, per item. Each sample goes to exactly one bucket, decided from its whole stack:
 * logging wherever it is called from; credential handling including the expressions it evaluates
 * (n8n resolves the credential's header template per request) but not the HTTP call it makes;
 * otherwise the innermost frame that belongs to a known owner (our pacing, our validation, n8n's
 * expression engine, axios, ...). Node's own modules and unlisted packages (luxon, lodash) are
 * transparent: their time goes to the owner that called them; only stacks with no owner at all
 * count as Node's (or the other packages').
 */

export interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
	columnNumber?: number;
}

export interface CpuProfileNode {
	id: number;
	callFrame: CallFrame;
	children?: number[];
}

export interface CpuProfile {
	nodes: CpuProfileNode[];
	startTime: number;
	endTime: number;
	samples?: number[];
	timeDeltas?: number[];
}

export const BUCKETS = {
	expressions:
		'Parameter reads and expression evaluation (getNodeParameter, n8n-workflow Expression)',
	credentials:
		'Credential handling per request (httpRequestWithAuthentication pre-processing, getCredentials, authenticate: the header template resolved as an expression)',
	oursValidation: 'Our core: validation (dist/shared/validation, collector)',
	oursCore: 'Our core: client, retry, transport, errors (dist/shared, pacing and validation aside)',
	oursNode:
		'Our node glue: reading parameters into requests, output items, N8nTransport (dist/nodes)',
	oursPacing: 'Our governor and bulk runner (dist/shared/pacing): per-item promises, slots',
	httpHelper: "n8n's HTTP helper itself: @n8n/backend-network, axios, follow-redirects",
	httpNode: "The HTTP Request node's own code (n8n-nodes-base HttpRequest)",
	logging: "n8n's logging (winston, logform, @n8n/backend-common Logger)",
	database: 'Database (typeorm, sqlite3): credential reads, saving the execution',
	engine: "n8n's engine and server: running nodes, output handling, REST, task broker",
	nodeInternals:
		"Node's own modules with no package frame on the stack (sockets, HTTP parser, timers)",
	otherPackages: 'Other packages',
	gc: 'Garbage collection',
	program: 'V8/native work outside JavaScript ((program))',
} as const;

export type Bucket = keyof typeof BUCKETS | 'idle';

/** The path from `node_modules/` on (the last one), or the URL as it is. */
export function shortUrl(url: string): string {
	const path = url.replace(/^file:\/\//, '');
	const at = path.lastIndexOf('node_modules/');
	return at >= 0 ? path.slice(at + 'node_modules/'.length) : path;
}

const EXPRESSION_FUNCTIONS =
	/^(_?getNodeParameter|getParameterValue|resolveSimpleParameterValue|getSimpleParameterValue|validateValueAgainstSchema)$/;

/** Which owner one frame belongs to; undefined for frames that are transparent (natives). */
export function ownerOf(frame: CallFrame): Exclude<Bucket, 'idle' | 'gc' | 'program'> | undefined {
	const url = shortUrl(frame.url);
	if (url === '') return undefined;
	if (url.startsWith('node:')) return 'nodeInternals';
	if (url.startsWith('n8n-nodes-intelliportal/')) {
		if (url.includes('/dist/shared/pacing/')) return 'oursPacing';
		if (/\/dist\/shared\/(validation|collector)\.js/.test(url)) return 'oursValidation';
		if (url.includes('/dist/shared/')) return 'oursCore';
		return 'oursNode';
	}
	if (/^(winston|logform|winston-transport|triple-beam|@colors\/colors)\//.test(url))
		return 'logging';
	if (url.startsWith('@n8n/backend-common/dist/logging/')) return 'logging';
	if (
		/^n8n\/dist\/(credentials-helper|credential-types)\.js/.test(url) ||
		/^n8n-core\/dist\/(credentials\.js|encryption\/)/.test(url) ||
		url.includes('request-helpers/authentication.js') ||
		(url.includes('request-helpers/factory.js') &&
			/^(httpRequestWithAuthentication|requestWithAuthentication)$/.test(frame.functionName))
	)
		return 'credentials';
	if (EXPRESSION_FUNCTIONS.test(frame.functionName)) return 'expressions';
	if (
		/^n8n-workflow\/dist\/.*(expression|workflow-data-proxy|extensions\/|node-parameters)/.test(url)
	)
		return 'expressions';
	if (
		/^@n8n\/(tournament|expression-runtime)\//.test(url) ||
		url.startsWith('esprima-next/') ||
		url.startsWith('n8n/dist/expression-observability/')
	)
		return 'expressions';
	if (
		/^(axios|follow-redirects|proxy-from-env|form-data|agent-base|http-proxy-agent|https-proxy-agent)\//.test(
			url,
		) ||
		url.startsWith('@n8n/backend-network/') ||
		url.includes('request-helpers/legacy-request-adapter')
	)
		return 'httpHelper';
	if (url.startsWith('n8n-nodes-base/dist/nodes/HttpRequest/')) return 'httpNode';
	if (/^(typeorm|sqlite3|flatted|@n8n\/typeorm|@n8n\/db)\//.test(url)) return 'database';
	if (/^(n8n|n8n-core|n8n-workflow|n8n-nodes-base|@n8n\/[^/]+)\//.test(url)) return 'engine';
	return 'otherPackages';
}

/** The bucket of one sample from its stack, leaf first. */
export function classify(stack: CallFrame[]): Bucket {
	const leaf = stack[0]?.functionName ?? '';
	if (leaf === '(idle)') return 'idle';
	if (leaf === '(garbage collector)') return 'gc';
	if (leaf === '(program)' || leaf === '(root)') return 'program';
	const owners = stack.map(ownerOf);
	if (owners.includes('logging')) return 'logging';
	const transparent = new Set([undefined, 'nodeInternals', 'otherPackages']);
	const innermost = owners.find((o) => !transparent.has(o));
	if (owners.includes('credentials') && innermost !== 'httpHelper') return 'credentials';
	if (innermost) return innermost;
	if (owners.includes('otherPackages')) return 'otherPackages';
	return owners.includes('nodeInternals') ? 'nodeInternals' : 'program';
}

export interface FunctionCost {
	name: string;
	/** Milliseconds per item. */
	msPerItem: number;
}

export interface BucketCost {
	bucket: Exclude<Bucket, 'idle'>;
	label: string;
	msPerItem: number;
	/** The frames whose own (self) time in this bucket is largest. */
	topSelf: FunctionCost[];
}

export interface ProfileSummary {
	items: number;
	/** Sampled time minus idle, per item. */
	busyMsPerItem: number;
	idleMs: number;
	buckets: BucketCost[];
	/** Package functions by inclusive time (on the stack, once per sample), busy samples only. */
	topInclusive: FunctionCost[];
}

function frameName(frame: CallFrame): string {
	const url = shortUrl(frame.url);
	const name = frame.functionName || '(anonymous)';
	return url ? `${name} ${url}:${frame.lineNumber + 1}` : name;
}

/** Sample durations in µs: each sample lasts until the next one (the last one: the mean). */
function sampleDurations(profile: CpuProfile): number[] {
	const deltas = profile.timeDeltas ?? [];
	const count = profile.samples?.length ?? 0;
	const durations: number[] = [];
	for (let i = 0; i < count; i++) {
		const next = deltas[i + 1];
		durations.push(next !== undefined ? Math.max(0, next) : 0);
	}
	if (count > 1) {
		const mean = durations.slice(0, -1).reduce((a, b) => a + b, 0) / (count - 1);
		durations[count - 1] = mean;
	}
	return durations;
}

/** Splits `profile` into buckets, in ms per item for `items` items. */
export function summariseProfile(profile: CpuProfile, items: number, top = 5): ProfileSummary {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parentOf = new Map<number, number>();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parentOf.set(child, node.id);
	const stackCache = new Map<number, CallFrame[]>();
	const stackOf = (id: number): CallFrame[] => {
		const cached = stackCache.get(id);
		if (cached) return cached;
		const stack: CallFrame[] = [];
		for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
			const node = byId.get(at);
			if (node) stack.push(node.callFrame);
		}
		stackCache.set(id, stack);
		return stack;
	};
	const bucketUs = new Map<Bucket, number>();
	const selfUs = new Map<Bucket, Map<string, number>>();
	const inclusiveUs = new Map<string, number>();
	const durations = sampleDurations(profile);
	(profile.samples ?? []).forEach((id, i) => {
		const us = durations[i];
		const stack = stackOf(id);
		const bucket = classify(stack);
		bucketUs.set(bucket, (bucketUs.get(bucket) ?? 0) + us);
		if (bucket === 'idle') return;
		const self = selfUs.get(bucket) ?? new Map<string, number>();
		const leafName = stack[0] ? frameName(stack[0]) : '(unknown)';
		self.set(leafName, (self.get(leafName) ?? 0) + us);
		selfUs.set(bucket, self);
		const packageFrames = stack.filter((f) => f.url !== '' && !f.url.startsWith('node:'));
		for (const name of new Set(packageFrames.map(frameName))) {
			inclusiveUs.set(name, (inclusiveUs.get(name) ?? 0) + us);
		}
	});
	const perItem = (us: number) => Number((us / 1000 / items).toFixed(4));
	const topOf = (entries: Map<string, number>, count = top): FunctionCost[] =>
		[...entries.entries()]
			.sort((a, b) => b[1] - a[1])
			.slice(0, count)
			.map(([name, us]) => ({ name, msPerItem: perItem(us) }));
	const buckets = (Object.keys(BUCKETS) as Array<keyof typeof BUCKETS>)
		.map((bucket) => ({
			bucket,
			label: BUCKETS[bucket],
			msPerItem: perItem(bucketUs.get(bucket) ?? 0),
			topSelf: topOf(selfUs.get(bucket) ?? new Map()),
		}))
		.filter((b) => b.msPerItem > 0)
		.sort((a, b) => b.msPerItem - a.msPerItem);
	const busyUs = [...bucketUs.entries()]
		.filter(([bucket]) => bucket !== 'idle')
		.reduce((sum, [, us]) => sum + us, 0);
	return {
		items,
		busyMsPerItem: perItem(busyUs),
		idleMs: Math.round((bucketUs.get('idle') ?? 0) / 1000),
		buckets,
		topInclusive: topOf(inclusiveUs, top * 3),
	};
}
