import type { INodeProperties } from 'n8n-workflow';

/**
 * Version 2's display texts where the editor showed version 1's as missing or awkward (seen in
 * the browser suite, test/browser). Display only: names, types, defaults and displayOptions stay
 * as they are, so a workflow runs the same. Version 1 keeps its texts (its description is frozen).
 */

/** The canvas subtitle under the node's name, e.g. "Send: Message" (version 1: "send: message"). */
export const SUBTITLE =
	'={{ (({ send: "Send", sendTemplate: "Send Template", sendAndWait: "Send and Wait", onboard: "Onboard", getAll: "Get Many", get: "Get Configuration", update: "Update Configuration" })[$parameter["operation"]] ?? $parameter["operation"]) + ": " + (({ message: "Message", client: "Client", webhook: "Webhook" })[$parameter["resource"]] ?? $parameter["resource"]) }}';

const TEXTS: Record<string, Partial<INodeProperties>> = {
	retryNotice: {
		displayName:
			'This node retries rate limits and safe failures itself. Keep "Retry On Fail" in Settings off: it would send again messages that already went out.',
	},
	textBody: {
		placeholder: 'e.g. Your order has shipped and arrives tomorrow',
	},
	mediaCaption: {
		placeholder: 'e.g. Our spring catalogue',
	},
};

export function withVersion2Display(properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) =>
		TEXTS[property.name] ? { ...property, ...TEXTS[property.name] } : property,
	);
}
