/**
 * The n8n 2.41.1 editor as a user drives it, by the data-test-id attributes n8n's own end-to-end
 * tests use. One helper per thing a user does; each waits for what the user would wait for and is
 * bounded (a step that never shows fails with Playwright's message naming the element).
 */
import { selectors, type Locator, type Page } from 'playwright-core';

import { OWNER } from '../../scripts/n8n/start';

// n8n marks its elements with data-test-id (Playwright's default is data-testid).
selectors.setTestIdAttribute('data-test-id');

/** A new workflow's canvas takes ~10 s to load, up to ~30 s on a loaded 2-core machine. */
const LOAD_MS = 90_000;

export class Editor {
	constructor(
		readonly page: Page,
		readonly baseUrl: string,
	) {}

	/** Reads `read()` until `done` holds (bounded); returns the last reading either way. */
	async until<T>(
		read: () => Promise<T>,
		done: (value: T) => boolean,
		timeoutMs = 15_000,
	): Promise<T> {
		const end = Date.now() + timeoutMs;
		let value = await read();
		while (!done(value) && Date.now() < end) {
			await this.page.waitForTimeout(250);
			value = await read();
		}
		return value;
	}

	byTestId(id: string): Locator {
		return this.page.getByTestId(id);
	}

	async signIn(): Promise<void> {
		await this.page.goto(`${this.baseUrl}/signin`);
		await this.page.locator('input[name="emailOrLdapLoginId"]').fill(OWNER.email);
		await this.page.locator('input[name="password"]').fill(OWNER.password);
		await this.byTestId('form-submit-button').click();
		await this.page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: LOAD_MS });
	}

	/** Opens a new, empty workflow and waits for its "Add first step" canvas. */
	async newWorkflow(): Promise<void> {
		await this.page.goto(`${this.baseUrl}/workflow/new`);
		await this.byTestId('canvas-plus-button').waitFor({ timeout: LOAD_MS });
	}

	// Node panel (node creator)

	/** The node panel's entries (name + description), as shown. */
	panelItems(): Locator {
		return this.byTestId('item-iterator-item');
	}

	async searchPanel(text: string): Promise<string[]> {
		const search = this.byTestId('node-creator-search-bar');
		await search.fill(text);
		// The list re-renders on input; wait until it reflects this query.
		await this.page.waitForTimeout(300);
		await this.panelItems().first().waitFor();
		return await this.panelItems().allInnerTexts();
	}

	/** Opens the node panel for the first step (triggers) and adds "Trigger manually". */
	async addManualTrigger(): Promise<void> {
		await this.byTestId('canvas-plus-button').click();
		await this.searchPanel('Manual Trigger');
		await this.panelItems().filter({ hasText: 'Manual Trigger' }).first().click();
		await this.byTestId('canvas-node').first().waitFor();
	}

	/** Opens the node panel from the last node's + handle (actions). */
	async openPanelAfterLastNode(): Promise<void> {
		await this.byTestId('canvas-handle-plus').last().click();
		await this.byTestId('node-creator-search-bar').waitFor();
	}

	async openPanelForFirstStep(): Promise<void> {
		await this.byTestId('canvas-plus-button').click();
		await this.byTestId('node-creator-search-bar').waitFor();
	}

	/** Clicks a panel entry (a node, or an action/trigger in a node's list). */
	async choosePanelItem(text: string | RegExp): Promise<void> {
		await this.panelItems().filter({ hasText: text }).first().click();
	}

	// Node details view (NDV)

	ndv(): Locator {
		return this.byTestId('ndv');
	}

	parameterInput(name: string): Locator {
		return this.byTestId(`parameter-input-${name}`);
	}

	/** The row of one parameter (label, Fixed/Expression toggle, input, hint). */
	parameterItem(name: string): Locator {
		return this.byTestId('parameter-item').filter({ has: this.parameterInput(name) });
	}

	async fillParameter(name: string, value: string): Promise<void> {
		await this.parameterInput(name).locator('input, textarea').first().fill(value);
	}

	/** Switches a parameter to Expression and types it (n8n closes the `{{ }}` itself). */
	async typeExpression(name: string, typed: string): Promise<void> {
		const item = this.parameterItem(name);
		await item.hover();
		await item.getByTestId('radio-button-expression').click();
		const editor = item.getByTestId('inline-expression-editor-input');
		await editor.click();
		await this.page.keyboard.type(typed);
	}

	/** The expression's evaluated preview under the field. */
	expressionPreview(name: string): Locator {
		return this.byTestId(`parameter-expression-preview-${name}`);
	}

	async closeNdv(): Promise<void> {
		await this.byTestId('ndv-close-button').click();
		await this.ndv().waitFor({ state: 'hidden' });
	}

	async openNode(name: string): Promise<void> {
		await this.byTestId('canvas-node').filter({ hasText: name }).dblclick();
		await this.ndv().waitFor();
	}

	// Credential dialog

	/** The credential the open node uses, as its Credential field shows it. */
	async selectedCredential(): Promise<string> {
		return await this.ndv().getByTestId('node-credentials-select').locator('input').inputValue();
	}

	credentialModal(): Locator {
		return this.byTestId('editCredential-modal');
	}

	/** Opens a dropdown and picks the option whose name (shown above its description) is `option`. */
	async chooseOption(parameter: Locator, option: string): Promise<void> {
		await parameter.click();
		const escaped = option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		await this.page
			.locator('.el-select-dropdown__item:visible')
			.filter({ hasText: new RegExp(`^\\s*${escaped}`) })
			.first()
			.click();
	}

	/** Toasts (n8n's notifications), newest last. */
	toasts(): Locator {
		return this.page.locator('.el-notification');
	}
}
