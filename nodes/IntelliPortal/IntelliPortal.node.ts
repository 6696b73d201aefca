import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { IntelliPortalV1 } from './v1/IntelliPortalV1';
import { IntelliPortalV2 } from './v2/IntelliPortalV2';

/**
 * The IntelliPortal action node. Only declares: each version (v1/ frozen, v2/ the default) has
 * its parameters and the map of operations (actions/<resource>/<operation>.ts) the router runs.
 */
export class IntelliPortal extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'IntelliPortal',
			name: 'intelliPortal',
			icon: {
				light: 'file:../../icons/intelliPortal.svg',
				dark: 'file:../../icons/intelliPortal.dark.svg',
			},
			group: ['output'],
			subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
			description:
				'Send WhatsApp, Instagram, Messenger, email and SMS messages, onboard clients and manage webhooks with IntelliPortal',
			defaultVersion: 2,
		};

		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new IntelliPortalV1(baseDescription),
			2: new IntelliPortalV2(baseDescription),
		};

		super(nodeVersions, baseDescription);
	}
}
