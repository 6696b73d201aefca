import type { INode, INodeType } from 'n8n-workflow';

import { IntelliPortalApi } from '../../credentials/IntelliPortalApi.credentials';
import { startEmulator } from '../../emulator';
import type { EmulatorOptions, RunningEmulator } from '../../emulator';
import { IntelliPortal } from '../../nodes/IntelliPortal/IntelliPortal.node';
import { IntelliPortalTrigger } from '../../nodes/IntelliPortalTrigger/IntelliPortalTrigger.node';
import { N8nHarness } from './harness';

/** A valid sandbox key; tests assert it never shows up in errors or output. */
export const API_KEY = 'ik_test_Zq8SECRETkey4n8nHarness';

export const ACTION_TYPE = 'n8n-nodes-intelliportal.intelliPortal';
export const TRIGGER_TYPE = 'n8n-nodes-intelliportal.intelliPortalTrigger';

export interface TestEnv {
	emulator: RunningEmulator;
	harness: N8nHarness;
	actionNode(parameters: INode['parameters'], extra?: Partial<INode>): INode;
	triggerNode(parameters: INode['parameters'], webhookId?: string): INode;
	stop(): Promise<void>;
}

export async function startEnv(options: EmulatorOptions = {}): Promise<TestEnv> {
	const emulator = await startEmulator({ statusStepMs: 0, ...options });
	const harness = new N8nHarness({
		nodeTypes: {
			[ACTION_TYPE]: new IntelliPortal(),
			[TRIGGER_TYPE]: new IntelliPortalTrigger() as INodeType,
		},
		credentialTypes: { intelliPortalApi: new IntelliPortalApi() },
		credentials: {
			intelliPortalApi: { apiKey: API_KEY, environment: 'custom', baseUrl: emulator.baseUrl },
		},
	});
	return {
		emulator,
		harness,
		actionNode: (parameters, extra) => harness.makeNode(ACTION_TYPE, parameters, extra),
		triggerNode: (parameters, webhookId = 'b3c1d2e4-0000-4000-8000-000000000001') =>
			harness.makeNode(TRIGGER_TYPE, parameters, { name: 'IntelliPortal Trigger', webhookId }),
		stop: async () => await emulator.stop(),
	};
}

/** Contract requests the emulator answered (admin routes excluded), in completion order. */
export function contractRequests(emulator: RunningEmulator) {
	return emulator.admin.requests().filter((entry) => entry.path.startsWith('/v1/'));
}
