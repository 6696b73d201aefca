/**
 * REST client for a running n8n: the public API (/api/v1, API key) and the internal REST API
 * (/rest, the owner's session) for what the public one lacks. Speaks n8n 1.x where it differs.
 */
import { randomUUID } from 'node:crypto';

import { sleep } from './process';
import { n8nMajor, N8N_VERSION } from './target';

/** Login of the owner account the harness creates (a throwaway local instance). */
export const OWNER = {
	email: 'owner@example.com',
	password: 'IntelliPortal-demo-1',
	firstName: 'Demo',
	lastName: 'Owner',
} as const;

export interface WorkflowJson {
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		credentials?: Record<string, { id: string; name: string }>;
		[key: string]: unknown;
	}>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface Execution {
	id: string;
	finished: boolean;
	mode: string;
	status: string;
	workflowId: string;
	startedAt: string;
	stoppedAt?: string | null;
	data?: {
		resultData: {
			runData: Record<string, Array<NodeRun>>;
			error?: { message: string; [key: string]: unknown };
			lastNodeExecuted?: string;
		};
	};
	[key: string]: unknown;
}

export interface NodeRun {
	executionStatus?: string;
	error?: { message: string; description?: string; [key: string]: unknown };
	data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> };
	[key: string]: unknown;
}

export interface PublicationStatus {
	status: 'in_progress' | 'not_published' | 'published' | 'partial' | 'failed';
	liveVersionId: string | null;
	pendingVersionId: string | null;
	triggers: Array<{ nodeId: string; status: string; errorMessage?: string | null }>;
}

/** What n8n 1.x's synchronous activate/deactivate leaves (it has no publication status). */
function settled1x(id: string, status: 'published' | 'not_published'): PublicationStatus {
	return {
		status,
		liveVersionId: status === 'published' ? id : null,
		pendingVersionId: null,
		triggers: [],
	};
}

export class N8nActivationError extends Error {
	constructor(
		readonly workflowId: string,
		readonly publication: PublicationStatus,
		readonly reasons: string[],
	) {
		super(
			`workflow ${workflowId} could not be activated (${publication.status}): ${reasons.join('; ') || 'no reason given'}`,
		);
		this.name = 'N8nActivationError';
	}
}

export class N8nHttpError extends Error {
	constructor(
		readonly method: string,
		readonly path: string,
		readonly status: number,
		readonly body: string,
	) {
		super(`n8n ${method} ${path} → ${status}: ${body.slice(0, 500)}`);
		this.name = 'N8nHttpError';
	}
}

/**
 * An answer a busy n8n gives for a while and then stops giving: 502/503/504 (e.g. 503 "Database
 * is not ready!" while a large execution is being saved), 429, a request that timed out or a
 * connection that broke. Pollers wait these out (within their own deadline) instead of failing.
 */
export function isTransientN8nFailure(error: unknown): boolean {
	if (error instanceof N8nHttpError) return [429, 502, 503, 504].includes(error.status);
	const name = (error as { name?: unknown } | null)?.name;
	if (name === 'TimeoutError' || name === 'AbortError') return true;
	// fetch's network failures: TypeError('fetch failed') with a socket error as its cause.
	return error instanceof TypeError && /fetch failed/i.test(error.message);
}

/** Drives one n8n over HTTP as a user or a CI script would. */
export class N8nClient {
	private cookie: string | undefined;
	private apiKey: string | undefined;
	private readonly browserId = randomUUID();
	/** n8n 1.x: synchronous activation, and its manual run takes the workflow. */
	protected readonly isN8n1: boolean;

	constructor(
		readonly url: string,
		readonly version: string = N8N_VERSION,
	) {
		this.isN8n1 = n8nMajor(version) < 2;
	}

	/**
	 * One HTTP call to n8n. `auth`: 'cookie' for the internal REST API (/rest, session of the
	 * owner), 'apiKey' for the public API (/api/v1), 'none' for unauthenticated routes.
	 */
	async request<T = unknown>(
		method: string,
		path: string,
		options: { body?: unknown; auth?: 'cookie' | 'apiKey' | 'none'; timeoutMs?: number } = {},
	): Promise<T> {
		const headers: Record<string, string> = {
			accept: 'application/json',
			'browser-id': this.browserId,
		};
		const auth = options.auth ?? (path.startsWith('/api/') ? 'apiKey' : 'cookie');
		if (auth === 'cookie') {
			if (!this.cookie) throw new Error('n8n harness: no session; call setupOwner() first');
			headers.cookie = this.cookie;
		} else if (auth === 'apiKey') {
			if (!this.apiKey) throw new Error('n8n harness: no API key; call setupOwner() first');
			headers['x-n8n-api-key'] = this.apiKey;
		}
		if (options.body !== undefined) headers['content-type'] = 'application/json';
		const res = await fetch(`${this.url}${path}`, {
			method,
			headers,
			body: options.body === undefined ? undefined : JSON.stringify(options.body),
			signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
		});
		const text = await res.text();
		if (!res.ok) throw new N8nHttpError(method, path, res.status, text);
		const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (setCookie) this.cookie = setCookie.split(';')[0];
		if (text === '') return undefined as T;
		const parsed = JSON.parse(text) as unknown;
		// The internal REST API wraps results in { data }; the public API does not.
		if (path.startsWith('/rest/') && parsed && typeof parsed === 'object' && 'data' in parsed) {
			return (parsed as { data: T }).data;
		}
		return parsed as T;
	}

	/**
	 * Creates the owner account (first start of an instance) or logs in (already set up), then
	 * creates a public-API key for the harness.
	 */
	async setupOwner(): Promise<void> {
		try {
			await this.request('POST', '/rest/owner/setup', { body: OWNER, auth: 'none' });
		} catch (error) {
			if (!(error instanceof N8nHttpError) || error.status !== 400) throw error;
			await this.request('POST', '/rest/login', {
				body: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
				auth: 'none',
			});
		}
		const scopes = await this.request<string[]>('GET', '/rest/api-keys/scopes');
		const created = await this.request<{ rawApiKey: string }>('POST', '/rest/api-keys', {
			body: { label: `harness-${randomUUID().slice(0, 8)}`, expiresAt: null, scopes },
		});
		this.apiKey = created.rawApiKey;
	}

	/** Creates a credential (public API). */
	async createCredential(input: {
		name: string;
		type: string;
		data: Record<string, unknown>;
	}): Promise<{ id: string; name: string; type: string }> {
		// n8n 1.x adds "Allowed HTTP Request Domains" to every credential and its public API
		// requires a value (the editor fills in its default, All).
		const data = this.isN8n1 ? { allowedHttpRequestDomains: 'all', ...input.data } : input.data;
		return await this.request('POST', '/api/v1/credentials', { body: { ...input, data } });
	}

	/**
	 * Imports a workflow (public API). `credentials` maps a credential type to the credential the
	 * nodes using that type should use (the ids inside exported workflow JSON are instance-local).
	 */
	async importWorkflow(
		workflow: WorkflowJson,
		options: { credentials?: Record<string, { id: string; name: string }>; name?: string } = {},
	): Promise<{ id: string; name: string; nodes: WorkflowJson['nodes'] }> {
		const nodes = workflow.nodes.map((node) => {
			if (!node.credentials || !options.credentials) return node;
			const credentials = { ...node.credentials };
			for (const type of Object.keys(credentials)) {
				const replacement = options.credentials[type];
				if (replacement) credentials[type] = { id: replacement.id, name: replacement.name };
			}
			return { ...node, credentials };
		});
		// The public API accepts exactly these fields.
		const body = {
			name: options.name ?? workflow.name,
			nodes,
			connections: workflow.connections,
			settings: workflow.settings ?? { executionOrder: 'v1' },
			...(workflow.staticData ? { staticData: workflow.staticData } : {}),
		};
		return await this.request('POST', '/api/v1/workflows', { body });
	}

	async getWorkflow(id: string): Promise<WorkflowJson & { id: string; active: boolean }> {
		return await this.request('GET', `/api/v1/workflows/${id}`);
	}

	/**
	 * Publication state of a workflow (internal REST). n8n 2.41 publishes asynchronously through an
	 * outbox: the activate/deactivate call returns before the triggers are set up or torn down.
	 */
	async publicationStatus(id: string): Promise<PublicationStatus> {
		return await this.request('GET', `/rest/workflows/${id}/publication-status`);
	}

	/**
	 * Activates (publishes) a workflow and waits until n8n has set up its triggers (for our
	 * trigger: registered the webhook at the API). Throws with n8n's message when a trigger failed.
	 */
	async activate(id: string, timeoutMs = 30_000): Promise<PublicationStatus> {
		await this.request('POST', `/api/v1/workflows/${id}/activate`);
		// n8n 1.x activates before answering (a failing trigger fails the call itself).
		if (this.isN8n1) return settled1x(id, 'published');
		const status = await this.waitForPublication(id, (s) => s.status !== 'in_progress', timeoutMs);
		if (status.status !== 'published') {
			const reasons = status.triggers
				.filter((t) => t.status === 'failed')
				.map((t) => t.errorMessage ?? 'unknown error');
			throw new N8nActivationError(id, status, reasons);
		}
		return status;
	}

	/** Deactivates (unpublishes) a workflow and waits until n8n has removed its triggers. */
	async deactivate(id: string, timeoutMs = 30_000): Promise<PublicationStatus> {
		await this.request('POST', `/api/v1/workflows/${id}/deactivate`);
		if (this.isN8n1) return settled1x(id, 'not_published');
		return await this.waitForPublication(id, (s) => s.status === 'not_published', timeoutMs);
	}

	private async waitForPublication(
		id: string,
		done: (status: PublicationStatus) => boolean,
		timeoutMs: number,
	): Promise<PublicationStatus> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const status = await this.publicationStatus(id);
			if (done(status)) return status;
			if (Date.now() > deadline) {
				throw new Error(
					`workflow ${id}: publication did not settle within ${timeoutMs} ms (last: ${JSON.stringify(status)})`,
				);
			}
			await sleep(100);
		}
	}

	/**
	 * Runs a saved workflow as the editor's "Execute workflow" button does (internal REST), from
	 * the given trigger node (default: the first manual trigger), and waits for the execution.
	 */
	async runManually(
		workflowId: string,
		options: { triggerName?: string; timeoutMs?: number } = {},
	): Promise<Execution> {
		let triggerName = options.triggerName;
		// n8n 1.x's run endpoint takes the whole workflow as the editor has it.
		const workflow = !triggerName || this.isN8n1 ? await this.getWorkflow(workflowId) : undefined;
		if (!triggerName) {
			triggerName = workflow!.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger')?.name;
			if (!triggerName) throw new Error(`workflow ${workflowId} has no Manual Trigger node`);
		}
		const started = await this.request<{ executionId?: string; waitingForWebhook?: boolean }>(
			'POST',
			`/rest/workflows/${workflowId}/run`,
			{
				body: {
					triggerToStartFrom: { name: triggerName },
					...(this.isN8n1 ? { workflowData: workflow } : {}),
				},
			},
		);
		if (!started?.executionId) {
			throw new Error(`n8n did not start an execution: ${JSON.stringify(started)}`);
		}
		return await this.waitForExecution(started.executionId, options.timeoutMs);
	}

	/** Polls an execution (public API, with its data) until it is no longer running. */
	async waitForExecution(id: string, timeoutMs = 60_000): Promise<Execution> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			try {
				const execution = await this.request<Execution>(
					'GET',
					`/api/v1/executions/${id}?includeData=true`,
				);
				if (!['new', 'running', 'waiting'].includes(execution.status)) return execution;
			} catch (error) {
				const notYet = error instanceof N8nHttpError && error.status === 404;
				if (!notYet && !isTransientN8nFailure(error)) throw error;
			}
			if (Date.now() > deadline) {
				throw new Error(`execution ${id} did not finish within ${timeoutMs} ms`);
			}
			await sleep(200);
		}
	}

	/**
	 * Starts a saved workflow manually without waiting for it (see runManually); returns the
	 * execution id.
	 */
	async startManually(workflowId: string, triggerName: string): Promise<string> {
		// n8n 1.x's run endpoint takes the whole workflow as the editor has it.
		const workflowData = this.isN8n1 ? await this.getWorkflow(workflowId) : undefined;
		const started = await this.request<{ executionId?: string }>(
			'POST',
			`/rest/workflows/${workflowId}/run`,
			{
				body: { triggerToStartFrom: { name: triggerName }, ...(workflowData && { workflowData }) },
			},
		);
		if (!started?.executionId) {
			throw new Error(`n8n did not start an execution: ${JSON.stringify(started)}`);
		}
		return started.executionId;
	}

	/** Presses Stop on a running execution, as the editor does (internal REST). */
	async stopExecution(id: string): Promise<void> {
		await this.request('POST', `/rest/executions/${id}/stop`);
	}

	/** Executions of a workflow, newest first (public API, with data). */
	async listExecutions(workflowId: string, limit = 20): Promise<Execution[]> {
		const page = await this.request<{ data: Execution[] }>(
			'GET',
			`/api/v1/executions?workflowId=${encodeURIComponent(workflowId)}&includeData=true&limit=${limit}`,
		);
		return page.data;
	}

	/** Waits until `predicate` holds for the workflow's executions (bounded). */
	async waitForExecutions(
		workflowId: string,
		predicate: (executions: Execution[]) => boolean,
		timeoutMs = 30_000,
	): Promise<Execution[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const listed = await this.listExecutions(workflowId, 100).catch((error: unknown) => {
				if (isTransientN8nFailure(error)) return undefined;
				throw error;
			});
			const executions = (listed ?? []).filter(
				(e) => !['new', 'running', 'waiting'].includes(e.status),
			);
			if (listed && predicate(executions)) return executions;
			if (Date.now() > deadline) {
				throw new Error(
					`workflow ${workflowId}: expected executions did not appear within ${timeoutMs} ms (have ${executions.length})`,
				);
			}
			await sleep(250);
		}
	}
}
