/**
 * Zapier's style check (the part of `zapier-platform validate` and `zapier push` that asks
 * zapier.com) cannot run offline. These are its published rules that can be checked from the
 * app definition alone, so a style regression fails here instead of at upload time.
 */
import App from '../../zapier/src';

type Field = { key: string; label?: string; helpText?: string; dynamic?: string };
type Action = {
	key: string;
	noun: string;
	display: { label: string; description: string; hidden?: boolean };
	operation: {
		type?: string;
		sample?: Record<string, unknown>;
		outputFields?: Array<{ key: string; label?: string }>;
		inputFields?: Field[];
	};
};

const group = (g: unknown): Action[] => Object.values(g as Record<string, Action>);
const triggers = group(App.triggers);
const creates = group(App.creates);
const searches = group(App.searches);
const visible = (actions: Action[]): Action[] => actions.filter((a) => !a.display.hidden);
const all = [...triggers, ...creates, ...searches];

const SMALL_WORDS = new Set([
	'a',
	'an',
	'and',
	'as',
	'at',
	'by',
	'for',
	'in',
	'of',
	'on',
	'or',
	'the',
	'to',
]);
function isTitleCase(text: string): boolean {
	return text
		.split(/\s+/)
		.every((word, i) => (i > 0 && SMALL_WORDS.has(word)) || /^[A-Z0-9]/.test(word));
}

describe.each(all.map((a) => [a.key, a] as const))('%s', (_key, action) => {
	it('has a Title Case label without the app name', () => {
		expect(isTitleCase(action.display.label)).toBe(true);
		expect(action.display.label).not.toMatch(/intelliportal/i);
		expect(action.display.label.length).toBeLessThanOrEqual(40);
	});

	it('has a singular Title Case noun', () => {
		expect(action.noun.trim()).not.toBe('');
		expect(isTitleCase(action.noun)).toBe(true);
		expect(action.noun).not.toMatch(/s$/);
	});

	it('has a description that is one sentence ending with a period', () => {
		expect(action.display.description.length).toBeGreaterThanOrEqual(20);
		expect(action.display.description).toMatch(/^[A-Z].*\.$/);
	});

	it('has a sample with every top-level output field, and labelled output fields', () => {
		const sample = action.operation.sample ?? {};
		const fields = action.operation.outputFields ?? [];
		expect(fields.length).toBeGreaterThan(0);
		for (const field of fields) {
			expect({ field: field.key, label: typeof field.label }).toEqual({
				field: field.key,
				label: 'string',
			});
			expect({ field: field.key, inSample: field.key.split('__')[0] in sample }).toEqual({
				field: field.key,
				inSample: true,
			});
		}
	});

	it('has unique snake_case input keys, each labelled with help text', () => {
		const keys = (action.operation.inputFields ?? []).map((f) => f.key);
		expect(new Set(keys).size).toBe(keys.length);
		for (const key of keys) expect(key).toMatch(/^[a-z][a-z0-9_]*$/);
	});

	it('points every dynamic dropdown at an existing trigger and fields its sample has', () => {
		for (const field of action.operation.inputFields ?? []) {
			if (!field.dynamic) continue;
			const [triggerKey, valueKey, labelKey] = field.dynamic.split('.');
			const source = triggers.find((t) => t.key === triggerKey);
			expect(source).toBeDefined();
			expect(source!.operation.sample).toHaveProperty(valueKey);
			expect(source!.operation.sample).toHaveProperty(labelKey);
		}
	});
});

describe('descriptions start the way Zapier asks', () => {
	it.each(visible(triggers).map((a) => [a.key, a.display.description]))(
		'trigger %s: "Triggers when…"',
		(_key, description) => expect(description).toMatch(/^Triggers (instantly )?when /),
	);
	it.each(visible(searches).map((a) => [a.key, a.display.description]))(
		'search %s: "Finds…"',
		(_key, description) => expect(description).toMatch(/^Finds /),
	);
	it.each(visible(creates).map((a) => [a.key, a.display.description]))(
		'create %s: a verb in the present tense ("Sends…", "Creates…")',
		(_key, description) => expect(description).toMatch(/^[A-Z][a-z]+s /),
	);
});

describe('app level', () => {
	it('polling triggers return items with an id (Zapier deduplicates on it)', () => {
		for (const trigger of triggers) expect(trigger.operation.sample).toHaveProperty('id');
	});

	it('the authentication has a test and a connection label', () => {
		expect(typeof App.authentication.test).toBe('function');
		expect(App.authentication.connectionLabel).toBeDefined();
	});

	it('every search-or-create pairs an existing search and create and is labelled "Find or …"', () => {
		for (const pair of Object.values(App.searchOrCreates ?? {}) as Array<{
			search: string;
			create: string;
			display: { label: string };
		}>) {
			expect(searches.map((s) => s.key)).toContain(pair.search);
			expect(creates.map((c) => c.key)).toContain(pair.create);
			expect(pair.display.label).toMatch(/^Find or [A-Z]/);
		}
	});
});

describe('labels', () => {
	it('an input key has one label in every create and search', () => {
		const labels = new Map<string, Set<string | undefined>>();
		for (const action of [...creates, ...searches]) {
			for (const field of action.operation.inputFields ?? []) {
				labels.set(field.key, (labels.get(field.key) ?? new Set()).add(field.label));
			}
		}
		for (const [key, seen] of labels)
			expect({ key, labels: [...seen] }).toEqual({ key, labels: [...seen].slice(0, 1) });
	});

	it('a client field is labelled alike as input (Onboard Client, Find Client) and as output', () => {
		const client = [App.creates.onboard_client, App.searches.find_client] as unknown as Action[];
		for (const action of client) {
			const outputs = new Map((action.operation.outputFields ?? []).map((f) => [f.key, f.label]));
			for (const field of action.operation.inputFields ?? []) {
				expect({ key: field.key, label: field.label }).toEqual({
					key: field.key,
					label: outputs.get(field.key),
				});
			}
		}
	});
});
