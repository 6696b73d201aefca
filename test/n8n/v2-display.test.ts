/**
 * Version 2's display texts (nodes/IntelliPortal/v2/display.ts, from what the browser suite showed
 * in the editor) change only what users read: every parameter they touch keeps its name, type,
 * default and displayOptions, so a workflow runs the same on either version. The editor itself is
 * checked in test/browser/editor.browser.test.ts.
 */
import type { INodeProperties } from 'n8n-workflow';

import { SUBTITLE, withVersion2Display } from '../../nodes/IntelliPortal/v2/display';
import { IntelliPortalV2 } from '../../nodes/IntelliPortal/v2/IntelliPortalV2';
import { properties as v1 } from '../../nodes/IntelliPortal/v1/properties';

const base = { displayName: 'IntelliPortal', name: 'intelliPortal', group: [], description: '' };
const v2 = new IntelliPortalV2(base).description;

function behaviour(property: INodeProperties) {
	const { name, type, default: value, displayOptions, required, typeOptions } = property;
	return { name, type, value, displayOptions, required, typeOptions };
}

describe("version 2's display texts", () => {
	test('change no name, type, default, requirement or displayOptions of the parameters they touch', () => {
		const touched = withVersion2Display(v1);
		expect(touched.map(behaviour)).toEqual(v1.map(behaviour));
		expect(touched.filter((p, i) => p !== v1[i]).map((p) => p.name)).toEqual([
			'retryNotice',
			'textBody',
			'mediaCaption',
		]);
	});

	test('Text and Caption show an example; the retry notice says what to do first', () => {
		const byName = (name: string) => v2.properties.find((p) => p.name === name);
		expect(byName('textBody')?.placeholder).toMatch(/^e\.g\. /);
		expect(byName('mediaCaption')?.placeholder).toMatch(/^e\.g\. /);
		expect(byName('retryNotice')?.displayName).toMatch(
			/^This node retries .* Keep "Retry On Fail"/,
		);
	});

	test('the canvas subtitle names the operation and resource as the dropdowns do', () => {
		expect(v2.subtitle).toBe(SUBTITLE);
		const subtitle = (operation: string, resource: string) =>
			// The expression's body, evaluated as n8n would with these parameters.
			new Function('$parameter', `return ${SUBTITLE.slice(3, -2)}`)({
				operation,
				resource,
			}) as string;
		expect(subtitle('send', 'message')).toBe('Send: Message');
		expect(subtitle('sendAndWait', 'message')).toBe('Send and Wait: Message');
		expect(subtitle('getAll', 'client')).toBe('Get Many: Client');
		expect(subtitle('update', 'webhook')).toBe('Update Configuration: Webhook');
		expect(subtitle('somethingNew', 'message')).toBe('somethingNew: Message');
	});
});
