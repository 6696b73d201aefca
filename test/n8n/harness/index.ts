/**
 * A small harness that runs our n8n nodes inside n8n's real execution engine (n8n-core's
 * WorkflowExecute, ExecuteContext, LoadOptionsContext, HookContext, WebhookContext, RoutingNode),
 * modelled on n8n's own packages/core/nodes-testing NodeTestHarness and the CLI's
 * CredentialsHelper / CredentialsTester / WebhookService. Only the database-backed parts of the
 * n8n server are replaced: credentials come from an in-memory map, and generic credential
 * authentication is resolved through the workflow's expression engine exactly as the CLI does.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// n8n-core's InstanceSettings writes a settings file under the n8n user folder on first use;
// keep it inside a throwaway directory rather than the user's home.
process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(tmpdir(), 'ip-n8n-harness-'));

import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	HookContext,
	LoadOptionsContext,
	RoutingNode,
	WebhookContext,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	ICredentialsDecrypted,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialTestResult,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeListSearchResult,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers, Workflow, createRunExecutionData } from 'n8n-workflow';

export type CredentialMap = Record<string, ICredentialDataDecryptedObject>;

export class TestNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types[nodeType];
		if (!type) throw new Error(`Unknown node type ${nodeType}`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}

	/** The newest version of a node type: what n8n's editor gives a node added today. */
	newestVersion(nodeType: string): number {
		const type = this.getByName(nodeType);
		if ('nodeVersions' in type) return Math.max(...Object.keys(type.nodeVersions).map(Number));
		const { version } = type.description;
		return Array.isArray(version) ? Math.max(...version) : version;
	}
}

/**
 * Credentials from memory; `authenticate` follows packages/cli/src/credentials-helper.ts: a
 * function is called, a generic description has each key/value resolved as an expression with
 * `$credentials` and merged into the request.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	/** Every request options object that went through authenticate (for assertions). */
	readonly authenticated: IHttpRequestOptions[] = [];

	/** How many times a node read (decrypted) a credential. */
	decryptions = 0;

	constructor(
		private readonly credentialTypes: Record<string, ICredentialType>,
		public credentials: CredentialMap,
	) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incoming: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incoming as IHttpRequestOptions & Record<string, unknown>;
		const credentialType = this.credentialTypes[typeName];
		if (!credentialType) throw new Error(`Unknown credential type ${typeName}`);
		const { authenticate } = credentialType;
		if (typeof authenticate === 'function') {
			const authenticated = await authenticate(credentials, requestOptions);
			this.authenticated.push(authenticated);
			return authenticated;
		}
		if (authenticate && authenticate.type === 'generic') {
			if (!workflow || !node) throw new Error('Generic authentication needs the workflow and node');
			const resolve = (value: string): string => {
				if (typeof value !== 'string' || !value.startsWith('=')) return value;
				const resolved = workflow.expression.getSimpleParameterValue(
					node,
					value,
					'internal',
					{ $credentials: credentials },
					undefined,
					'',
				);
				return resolved ? String(resolved) : '';
			};
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				const target = (requestOptions[outerKey] ??= {}) as Record<string, unknown>;
				for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
					target[resolve(key)] = resolve(value);
				}
			}
		}
		this.authenticated.push(requestOptions);
		return requestOptions;
	}

	async preAuthentication(
		_helpers: IHttpRequestHelper,
		_credentials: ICredentialDataDecryptedObject,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('getCredentials is not used by these nodes');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.credentials[type];
		if (!data) throw new Error(`No credentials of type ${type} configured in the test`);
		this.decryptions++;
		return { ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.credentialTypes[type]?.properties ?? [];
	}
}

function unsupported(name: string) {
	return () => {
		throw new Error(`${name} is not available in the test harness`);
	};
}

export const WEBHOOK_BASE_URL = 'http://127.0.0.1:5678/webhook';

export function makeAdditionalData(
	credentialsHelper: ICredentialsHelper,
	extra: Partial<IWorkflowExecuteAdditionalData> = {},
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper,
		executeWorkflow: unsupported('executeWorkflow'),
		getRunExecutionData: unsupported('getRunExecutionData'),
		getRuntimeCredential: unsupported('getRuntimeCredential'),
		startRunnerTask: unsupported('startRunnerTask'),
		logAiEvent: () => {},
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: WEBHOOK_BASE_URL,
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		variables: {},
		executionId: '1',
		...extra,
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface HarnessOptions {
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	credentialTypes: Record<string, ICredentialType>;
	credentials: CredentialMap;
}

export interface NodeRunResult {
	run: IRun;
	/** Output items of the node under test (main output 0), undefined if it failed. */
	items: INodeExecutionData[] | undefined;
	/** The error the node threw (the run's error), if any. */
	error: (Error & Record<string, unknown>) | undefined;
}

export class N8nHarness {
	readonly nodeTypes: TestNodeTypes;

	readonly credentialsHelper: TestCredentialsHelper;

	constructor(private readonly options: HarnessOptions) {
		this.nodeTypes = new TestNodeTypes(options.nodeTypes);
		this.credentialsHelper = new TestCredentialsHelper(
			options.credentialTypes,
			options.credentials,
		);
	}

	setCredentials(credentials: CredentialMap): void {
		this.credentialsHelper.credentials = credentials;
	}

	/** A node of `type` at its newest version unless `extra.typeVersion` says otherwise. */
	makeNode(type: string, parameters: INode['parameters'], extra: Partial<INode> = {}): INode {
		const credentialName = Object.keys(this.options.credentialTypes)[0];
		return {
			id: `node-${type}`,
			name: 'IntelliPortal',
			type,
			typeVersion: this.nodeTypes.newestVersion(type),
			position: [0, 0],
			parameters,
			credentials: { [credentialName]: { id: 'cred-1', name: 'IntelliPortal account' } },
			...extra,
		};
	}

	makeWorkflow(node: INode, staticData?: IDataObject): Workflow {
		return new Workflow({
			id: 'wf-1',
			name: 'Harness workflow',
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: this.nodeTypes,
			staticData,
		});
	}

	/**
	 * Executes a one-node workflow through WorkflowExecute, feeding `input` into the node the
	 * way the NodeTestHarness starts a run, and waits for the workflowExecuteAfter hook.
	 */
	async runNode(node: INode, input: IDataObject[]): Promise<NodeRunResult> {
		const workflow = this.makeWorkflow(node);
		const workflowData: IWorkflowBase = {
			id: 'wf-1',
			name: 'Harness workflow',
			active: false,
			activeVersionId: null,
			isArchived: false,
			nodes: [node],
			connections: {},
			createdAt: new Date(),
			updatedAt: new Date(),
		} as unknown as IWorkflowBase;
		const hooks = new ExecutionLifecycleHooks('manual', '1', workflowData);
		let resolveRun!: (run: IRun) => void;
		const done = new Promise<IRun>((resolve) => (resolveRun = resolve));
		hooks.addHandler('workflowExecuteAfter', (fullRunData) => resolveRun(fullRunData));
		const additionalData = makeAdditionalData(this.credentialsHelper, { hooks });

		const runExecutionData: IRunExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [
					{
						node,
						data: { main: [input.map((json) => ({ json }))] },
						source: null,
					},
				],
			},
		});
		const workflowExecute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
		await workflowExecute.processRunExecutionData(workflow);
		const run = await done;
		const taskData = run.data.resultData.runData[node.name]?.[0];
		const error = (run.data.resultData.error ?? taskData?.error) as NodeRunResult['error'];
		return { run, items: taskData?.data?.main?.[0] ?? undefined, error };
	}

	/** Calls a listSearch method the way the editor's resource-locator search does. */
	async listSearch(
		node: INode,
		method: string,
		filter?: string,
		paginationToken?: string,
	): Promise<INodeListSearchResult> {
		const workflow = this.makeWorkflow(node);
		const additionalData = makeAdditionalData(this.credentialsHelper, {
			currentNodeParameters: node.parameters,
		});
		const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters.clientRef');
		const nodeType = this.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const fn = nodeType.methods?.listSearch?.[method];
		if (!fn) throw new Error(`No listSearch method ${method}`);
		return await fn.call(context, filter, paginationToken);
	}

	webhookData(node: INode, workflow: Workflow): IWebhookData {
		const nodeType = this.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const description = nodeType.description.webhooks?.[0];
		if (!description) throw new Error('Node has no webhook');
		return {
			httpMethod: 'POST',
			node: node.name,
			path: `${node.webhookId}/webhook`,
			webhookDescription: description,
			workflowId: workflow.id,
			webhookId: node.webhookId,
			isTest: false,
			workflowExecuteAdditionalData: makeAdditionalData(this.credentialsHelper),
		} as IWebhookData;
	}

	/** Runs webhookMethods.default[method] through n8n-core's HookContext (activation). */
	async runWebhookMethod(
		node: INode,
		staticData: IDataObject,
		method: 'checkExists' | 'create' | 'delete',
		activation: WorkflowActivateMode = 'activate',
	): Promise<boolean | undefined> {
		const workflow = this.makeWorkflow(node, staticData);
		const webhookData = this.webhookData(node, workflow);
		const additionalData = makeAdditionalData(this.credentialsHelper);
		const context = new HookContext(
			workflow,
			node,
			additionalData,
			'trigger',
			activation,
			webhookData,
		);
		const nodeType = this.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		const fn = nodeType.webhookMethods?.default?.[method];
		if (!fn) throw new Error(`No webhook method ${method}`);
		const result = await fn.call(context);
		// n8n persists static data after activation; hand the mutated object back to the test.
		Object.assign(staticData, workflow.staticData);
		return result;
	}

	/** The URL n8n would register for the trigger's webhook. */
	webhookUrl(node: INode): string {
		return NodeHelpers.getNodeWebhookUrl(WEBHOOK_BASE_URL, 'wf-1', node, 'webhook');
	}

	/** Runs the trigger's webhook() through n8n-core's WebhookContext with a fake HTTP exchange. */
	async runWebhook(
		node: INode,
		request: {
			body: unknown;
			rawBody?: string;
			headers?: Record<string, string>;
			query?: Record<string, string>;
		},
		staticData?: IDataObject,
		/** Receives what the node logs through n8n's logger (e.g. to show the user what to do). */
		log?: { warn(message: string): void },
	): Promise<{ result: IWebhookResponseData; response: FakeResponse; workflow: Workflow }> {
		const workflow = this.makeWorkflow(node, staticData);
		const webhookData = this.webhookData(node, workflow);
		const response = new FakeResponse();
		const req = {
			body: request.body,
			rawBody:
				request.rawBody !== undefined
					? Buffer.from(request.rawBody)
					: Buffer.from(JSON.stringify(request.body ?? null)),
			headers: request.headers ?? { 'content-type': 'application/json' },
			query: request.query ?? {},
			params: {},
			method: 'POST',
		};
		const additionalData = makeAdditionalData(this.credentialsHelper, {
			httpRequest: req as never,
			httpResponse: response as never,
		});
		const context = new WebhookContext(
			workflow,
			node,
			additionalData,
			'webhook',
			webhookData,
			[],
			null,
		);
		const warn = log
			? jest.spyOn(context.logger, 'warn').mockImplementation((message) => log.warn(message))
			: undefined;
		try {
			const nodeType = this.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
			if (!nodeType.webhook) throw new Error('Node has no webhook()');
			const result = await nodeType.webhook.call(context);
			// workflow.staticData: what n8n saves after the webhook when its __dataChanged is set
			return { result, response, workflow };
		} finally {
			warn?.mockRestore();
		}
	}

	/**
	 * The credential test as n8n's CredentialsTester runs it: the credential's `test.request`
	 * becomes the routing of a temporary node executed by RoutingNode; an HTTP error is matched
	 * against the test rules (responseCode) and otherwise reported with its status.
	 */
	async testCredential(
		typeName: string,
		data: ICredentialDataDecryptedObject,
	): Promise<INodeCredentialTestResult> {
		const credentialType = this.options.credentialTypes[typeName];
		const testRequest = credentialType.test;
		if (!testRequest)
			return { status: 'Error', message: 'No testing function found for this credential.' };
		const nodeType: INodeType = {
			description: {
				displayName: 'Temp',
				name: 'n8n-nodes-base.noOp',
				group: ['transform'],
				version: 1,
				description: '',
				defaults: {},
				inputs: [],
				outputs: [],
				credentials: [{ name: typeName, required: true }],
				properties: [
					{
						displayName: 'Temp',
						name: 'temp',
						type: 'string',
						routing: { request: testRequest.request },
						default: '',
					},
				],
			},
		};
		const node: INode = {
			id: 'temp',
			name: 'Temp-Node',
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
			credentials: { [typeName]: { id: 'cred-test', name: 'test' } },
		};
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: new TestNodeTypes({ 'n8n-nodes-base.noOp': nodeType }),
		});
		const previous = this.credentialsHelper.credentials;
		this.credentialsHelper.credentials = { ...previous, [typeName]: data };
		const additionalData = makeAdditionalData(this.credentialsHelper);
		const runExecutionData = createRunExecutionData({});
		const context = new ExecuteContext(
			workflow,
			node,
			additionalData,
			'internal',
			runExecutionData,
			0,
			[],
			{ main: [[{ json: {} }]] },
			{ node, data: {}, source: null },
			[],
		);
		const credentialsDecrypted: ICredentialsDecrypted = {
			id: 'cred-test',
			name: 'test',
			type: typeName,
			data,
		};
		const routingNode = new RoutingNode(context, nodeType, credentialsDecrypted);
		try {
			await routingNode.runNode();
		} catch (error) {
			const cause = (
				error as { cause?: { response?: { status?: number; statusText?: string }; code?: string } }
			).cause;
			if (cause?.response) {
				const statusCode = cause.response.status ?? 0;
				for (const rule of testRequest.rules ?? []) {
					if (rule.type === 'responseCode' && rule.properties.value === statusCode) {
						return { status: 'Error', message: rule.properties.message };
					}
				}
				return {
					status: 'Error',
					message: cause.response.statusText || `Received HTTP status code: ${statusCode}`,
				};
			}
			if (cause?.code) return { status: 'Error', message: cause.code };
			return { status: 'Error', message: (error as Error).message };
		} finally {
			this.credentialsHelper.credentials = previous;
		}
		return { status: 'OK', message: 'Connection successful!' };
	}
}

/** Records what a node writes to the Express response (status, JSON body, end). */
export class FakeResponse {
	statusCode = 200;

	body: unknown = undefined;

	ended = false;

	readonly headers: Record<string, string> = {};

	status(code: number): this {
		this.statusCode = code;
		return this;
	}

	json(body: unknown): this {
		this.body = body;
		this.ended = true;
		return this;
	}

	send(body: unknown): this {
		this.body = body;
		this.ended = true;
		return this;
	}

	setHeader(name: string, value: string): this {
		this.headers[name.toLowerCase()] = value;
		return this;
	}

	end(): this {
		this.ended = true;
		return this;
	}
}
