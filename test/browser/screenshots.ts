/**
 * Screenshots the browser suite takes of what users see. They land in docs/images/ (tracked, shown
 * in the README) only when IP_SCREENSHOTS=1 (`npm run screenshots`); a normal run (CI, `./dev test`)
 * writes them to a temp folder instead, so it never rewrites tracked files.
 * IP_SCREENSHOTS_DIR overrides the folder (e.g. to keep a "before" set out of git).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Locator, Page } from 'playwright-core';

import { REPO_ROOT } from '../../scripts/n8n/start';

export const README_IMAGES = join(REPO_ROOT, 'docs', 'images');

let folder: string | undefined;

/** Where this run's screenshots go. */
export function screenshotDir(): string {
	if (!folder) {
		folder =
			process.env.IP_SCREENSHOTS_DIR ??
			(process.env.IP_SCREENSHOTS === '1'
				? README_IMAGES
				: mkdtempSync(join(tmpdir(), 'ip-browser-shots-')));
		mkdirSync(folder, { recursive: true });
	}
	return folder;
}

/**
 * Saves `<name>.png` of the page, or of one element when `target` is a locator. The page runs at
 * device scale 1 with a 1280×800 viewport, which keeps the PNGs small.
 */
export async function screenshot(target: Page | Locator, name: string): Promise<string> {
	const path = join(screenshotDir(), `${name}.png`);
	await target.screenshot({ path, animations: 'disabled', caret: 'hide' });
	return path;
}

/** Saves `<name>.png` of a canvas node with its name and subtitle, drawn below its box. */
export async function screenshotCanvasNode(node: Locator, name: string): Promise<string> {
	const box = await node.boundingBox();
	if (!box) throw new Error(`screenshot ${name}: the node is not on screen`);
	const path = join(screenshotDir(), `${name}.png`);
	await node.page().screenshot({
		path,
		animations: 'disabled',
		caret: 'hide',
		clip: { x: box.x - 90, y: box.y - 16, width: box.width + 180, height: box.height + 80 },
	});
	return path;
}
