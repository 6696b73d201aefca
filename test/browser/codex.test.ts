/**
 * The codex metadata n8n's editor reads (node panel categories, search aliases, Docs links):
 * every documentation link points at a README section that exists, and the search aliases
 * cover the channels users type.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const REPO_URL = 'https://github.com/intelliportal/n8n-nodes-intelliportal';

/** GitHub's anchor for a Markdown heading. */
function anchorOf(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

const readmeAnchors = new Set(
	readFileSync(join(ROOT, 'README.md'), 'utf8')
		.split('\n')
		.filter((line) => /^#{1,6}\s/.test(line))
		.map((line) => anchorOf(line.replace(/^#+\s/, ''))),
);

interface Codex {
	node: string;
	categories: string[];
	subcategories: Record<string, string[]>;
	alias: string[];
	resources: Record<string, Array<{ url: string }>>;
}

const codexFiles = {
	IntelliPortal: 'nodes/IntelliPortal/IntelliPortal.node.json',
	'IntelliPortal Trigger': 'nodes/IntelliPortalTrigger/IntelliPortalTrigger.node.json',
};

describe.each(Object.entries(codexFiles))('codex of %s', (_name, file) => {
	const codex = JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Codex;

	it('has categories with subcategories under each', () => {
		expect(codex.categories).toEqual(expect.arrayContaining(['Communication']));
		for (const category of codex.categories) {
			expect(codex.subcategories[category]?.length).toBeGreaterThan(0);
		}
	});

	it('is found by the channels users search for', () => {
		const aliases = codex.alias.map((a) => a.toLowerCase());
		for (const word of ['whatsapp', 'sms', 'instagram', 'messenger', 'email', 'omnichannel']) {
			expect(aliases).toContain(word);
		}
	});

	it('links its documentation to README sections that exist', () => {
		const urls = Object.values(codex.resources)
			.flat()
			.map((r) => r.url);
		expect(urls.length).toBeGreaterThan(0);
		for (const url of urls) {
			expect(url.startsWith(`${REPO_URL}#`)).toBe(true);
			expect(readmeAnchors).toContain(url.slice(REPO_URL.length + 1));
		}
	});
});

it("the credential's documentation link points at a README section that exists", () => {
	const source = readFileSync(join(ROOT, 'credentials', 'IntelliPortalApi.credentials.ts'), 'utf8');
	const url = /documentationUrl =\s*'([^']+)'/.exec(source)?.[1] ?? '';
	expect(url.startsWith(`${REPO_URL}#`)).toBe(true);
	expect(readmeAnchors).toContain(url.slice(REPO_URL.length + 1));
});
