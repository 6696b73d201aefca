/**
 * Version 2 against version 1: every parameter version 1 has is in version 2, in the same order,
 * with the same name, type, default, requirement and conditions (Send and Wait only adds itself
 * where it shows too), so a workflow runs the same on either version; what differs otherwise is
 * words. The editor itself is checked in test/browser/editor.browser.test.ts.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { IntelliPortal } from '../../nodes/IntelliPortal/IntelliPortal.node';

const node = new IntelliPortal();
const v1 = node.nodeVersions[1].description;
const v2 = node.nodeVersions[2].description;

const SEND_AND_WAIT = 'sendAndWait';

/** Version 2's parameters without those only Send and Wait shows. */
const v2Shared = v2.properties.filter(
	(p) => String(p.displayOptions?.show?.operation) !== SEND_AND_WAIT,
);

function withoutSendAndWait(property: INodeProperties): INodeProperties['displayOptions'] {
	const show = property.displayOptions?.show;
	if (!show?.operation) return property.displayOptions;
	return { show: { ...show, operation: show.operation.filter((o) => o !== SEND_AND_WAIT) } };
}

function behaviour(property: INodeProperties) {
	const { name, type, default: value, required, typeOptions, noDataExpression } = property;
	const choices = ((property.options ?? []) as Array<INodePropertyOptions | INodeProperties>).map(
		(option) => ('value' in option ? option.value : option.name),
	);
	return {
		name,
		type,
		value,
		required,
		typeOptions,
		noDataExpression,
		displayOptions: withoutSendAndWait(property),
		choices,
	};
}

/** What version 2 adds to a dropdown or collection of version 1, by resource and parameter. */
const ADDED_CHOICES: Record<string, unknown[]> = {
	'message.operation': [SEND_AND_WAIT],
	'message.options': ['waitBudgetMinutes'],
};

describe('version 2 against version 1', () => {
	test('has every version 1 parameter in the same order, behaving the same', () => {
		expect(v2Shared.map((p) => p.name)).toEqual(v1.properties.map((p) => p.name));
		v1.properties.forEach((old, i) => {
			const now = behaviour(v2Shared[i]);
			const added = now.choices.filter((choice) => !behaviour(old).choices.includes(choice));
			const resource = String(old.displayOptions?.show?.resource?.[0]);
			expect(added).toEqual(ADDED_CHOICES[`${resource}.${old.name}`] ?? []);
			expect({ ...now, choices: now.choices.filter((c) => !added.includes(c)) }).toEqual(
				behaviour(old),
			);
		});
	});

	test('shows Send and Wait the retry notice, Client and To, and nothing else of the sends', () => {
		const shownForSendAndWait = v2Shared
			.filter((p) => p.displayOptions?.show?.operation?.includes(SEND_AND_WAIT))
			.map((p) => p.name);
		expect(shownForSendAndWait).toEqual(['retryNotice', 'clientRef', 'to']);
	});

	test('changes only these words: the retry notice, the examples in Text and Caption', () => {
		const changed: string[] = [];
		v1.properties.forEach((old, i) => {
			const now = v2Shared[i] as unknown as Record<string, unknown>;
			const before = old as unknown as Record<string, unknown>;
			for (const key of new Set([...Object.keys(before), ...Object.keys(now)])) {
				if (['displayOptions', 'options'].includes(key)) continue;
				if (JSON.stringify(before[key]) !== JSON.stringify(now[key])) {
					changed.push(`${old.name}.${key}`);
				}
			}
		});
		expect(changed).toEqual([
			'retryNotice.displayName',
			'textBody.placeholder',
			'mediaCaption.placeholder',
		]);
		const byName = (name: string) => v2.properties.find((p) => p.name === name);
		expect(byName('textBody')?.placeholder).toMatch(/^e\.g\. /);
		expect(byName('mediaCaption')?.placeholder).toMatch(/^e\.g\. /);
		expect(byName('retryNotice')?.displayName).toMatch(
			/^This node retries .* Keep "Retry On Fail"/,
		);
	});

	test('the canvas subtitle names the operation and resource as the dropdowns do (Send and Wait shortened)', () => {
		const expression = String(v2.subtitle);
		expect(expression).toMatch(/^=\{\{[\s\S]*\}\}$/);
		const subtitle = (operation: string, resource: string) =>
			// The expression's body, evaluated as n8n would with these parameters.
			new Function('$parameter', `return ${expression.slice(3, -2)}`)({
				operation,
				resource,
			}) as string;
		// Every resource/operation pair the dropdowns offer, with the names they show.
		type Option = { name: string; value: string };
		const resources = (v2.properties.find((p) => p.name === 'resource')?.options ?? []) as Option[];
		const pairs = resources.flatMap((resource) =>
			v2.properties
				.filter(
					(p) =>
						p.name === 'operation' &&
						(p.displayOptions?.show?.resource as string[] | undefined)?.includes(resource.value),
				)
				.flatMap((p) => (p.options ?? []) as Option[])
				.map((operation) => ({ operation, resource })),
		);
		expect(pairs.length).toBeGreaterThanOrEqual(7);
		// The canvas is narrow: Send and Wait for Response is shortened there (the only exception).
		const short: Record<string, string> = { 'Send and Wait for Response': 'Send and Wait' };
		expect(
			pairs.map(({ operation, resource }) => subtitle(operation.value, resource.value)),
		).toEqual(
			pairs.map(
				({ operation, resource }) => `${short[operation.name] ?? operation.name}: ${resource.name}`,
			),
		);
		expect(subtitle('somethingNew', 'message')).toBe('somethingNew: Message');
		expect(v1.subtitle).toBe('={{$parameter["operation"] + ": " + $parameter["resource"]}}');
	});
});
