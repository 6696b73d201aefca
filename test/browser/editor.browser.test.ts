/**
 * The nodes as users see them: the pinned real n8n (with this package packed and installed as a
 * user would) in Debian's chromium, driven through playwright-core against the sandbox emulator.
 * One n8n, one browser and one page for the whole file; the tests run in order and build on each
 * other as one user's session does (sign in → workflow → credential → Send → trigger → dark mode).
 *
 * Chromium comes from scripts/browser/install-chromium.sh (apt-get when missing), n8n from
 * scripts/n8n/install.sh; nothing is downloaded by the browser library. Set IP_SKIP_E2E=1 to skip
 * the suite on a machine without the n8n install. `npm run screenshots` runs it with
 * IP_SCREENSHOTS=1, which writes the README's pictures into docs/images/.
 */
import type { BrowserContext } from 'playwright-core';

import { isN8nInstalled } from '../../scripts/n8n/start';
import { Editor } from './editor';
import { iconLook } from './iconLook';
import { screenshot, screenshotCanvasNode } from './screenshots';
import { API_KEY, CLIENTS, setForeignWebhook, startStack, type Stack } from './stack';

const skip = process.env.IP_SKIP_E2E === '1' && !isN8nInstalled();
const describeBrowser = skip ? describe.skip : describe;

// Well-formed (the credential sends it) but refused by the emulator: its 401 message shows.
const WRONG_KEY = 'ik_test_wrong';
const FOREIGN_WEBHOOK = 'https://crm.example.com/intelliportal-hook';
// Bounds per step and per browser action, generous for a loaded 2-core CI machine.
const STEP_MS = 180_000;

describeBrowser('the n8n editor in a real browser (n8n 2.41.1, Debian chromium)', () => {
	let stack: Stack;
	let context: BrowserContext;
	let editor: Editor;
	const started = Date.now();

	beforeAll(async () => {
		stack = await startStack();
		context = await stack.browser.newContext({
			viewport: { width: 1280, height: 800 },
			deviceScaleFactor: 1,
			colorScheme: 'light',
		});
		context.setDefaultTimeout(45_000);
		editor = new Editor(await context.newPage(), stack.n8n.url);
		// Installing n8n (~7 min) or chromium happens here the first time on a machine.
	}, 20 * 60_000);

	afterAll(async () => {
		await context?.close().catch(() => undefined);
		await stack?.stop();
		console.log(`browser suite: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	}, 60_000);

	test(
		'a new user signs in and opens an empty workflow',
		async () => {
			await editor.signIn();
			await editor.newWorkflow();
			await expectVisible(editor.page.getByText('Add first step'));
		},
		STEP_MS,
	);

	test(
		'the node panel finds IntelliPortal by its name and by the words users type (whatsapp, sms, message)',
		async () => {
			await editor.addManualTrigger();
			await editor.openPanelAfterLastNode();
			for (const query of ['IntelliPortal', 'whatsapp', 'sms', 'message']) {
				const items = await editor.searchPanel(query);
				expect({ query, found: items.some((item) => item.startsWith('IntelliPortal\n')) }).toEqual({
					query,
					found: true,
				});
			}
			const entry = (await editor.searchPanel('IntelliPortal')).find((item) =>
				item.startsWith('IntelliPortal\n'),
			);
			// One entry for the node and its trigger (n8n shows the trigger's description there): it
			// says what the node does, not only what the trigger does.
			expect(entry).toContain('Send WhatsApp, Instagram, Messenger, email and SMS messages');
			await editor.choosePanelItem('IntelliPortal');
			const actions = await editor.panelItems().allInnerTexts();
			expect(actions).toEqual(
				expect.arrayContaining(['Send a message', 'Send a template message', 'Onboard a client']),
			);
			await screenshot(editor.page, 'n8n-node-panel');
		},
		STEP_MS,
	);

	test(
		'Message > Send opens with its fields in order: Credential, Resource, Operation, Client, To, Message Type, Text',
		async () => {
			await editor.choosePanelItem('Send a message');
			await editor.ndv().waitFor();
			const ndv = editor.ndv();
			await expectVisible(ndv.getByText('Connect to IntelliPortal'));
			const order = await ndv
				.getByTestId('node-parameters')
				.locator('[data-test-id^="parameter-input-"]:not([data-test-id$="-field"])')
				.evaluateAll((inputs) => inputs.map((el) => el.getAttribute('data-test-id')));
			expect(order.map((id) => id?.replace('parameter-input-', ''))).toEqual(
				expect.arrayContaining([
					'resource',
					'operation',
					'clientRef',
					'to',
					'messageType',
					'textBody',
				]),
			);
			const positions = ['resource', 'operation', 'clientRef', 'to', 'messageType', 'textBody'].map(
				(name) => order.indexOf(`parameter-input-${name}`),
			);
			expect(positions).toEqual([...positions].sort((a, b) => a - b));
			await expect(editor.parameterInput('operation').locator('input').inputValue()).resolves.toBe(
				'Send',
			);
			// Version 2's display texts: an example in Text, a notice that says what to do first.
			await expect(
				editor.parameterInput('textBody').locator('textarea').getAttribute('placeholder'),
			).resolves.toMatch(/^e\.g\. /);
			await expectVisible(
				ndv.getByText(/^This node retries .* Keep "Retry On Fail" in Settings off/),
			);
		},
		STEP_MS,
	);

	test(
		'the credential dialog: a wrong key shows our message, a good key passes Test',
		async () => {
			await editor.page.getByText('Connect to IntelliPortal').click();
			const modal = editor.credentialModal();
			await modal.waitFor();
			await modal.getByTestId('parameter-input-apiKey').locator('input').fill(WRONG_KEY);
			await editor.chooseOption(modal.getByTestId('parameter-input-environment'), 'Custom');
			await modal
				.getByTestId('parameter-input-baseUrl')
				.locator('input')
				.fill(`${stack.emulator.url}/v1`);
			await modal.getByTestId('credential-save-button').click();
			await modal.getByText('Couldn’t connect with these settings').waitFor();
			await modal.getByText('More details').click();
			await expectVisible(modal.getByText('IntelliPortal rejected the API key (401).'));
			await screenshot(modal, 'n8n-credential-wrong-key');

			await modal.getByTestId('parameter-input-apiKey').locator('input').fill(API_KEY);
			// "Retry" is the dialog's Test button: it tests what the form holds now.
			await modal.getByRole('button', { name: 'Retry' }).click();
			await modal.getByText('Connection tested successfully').waitFor();
			const saved = editor.page.waitForResponse(
				(res) =>
					/\/rest\/credentials\/[^/]+$/.test(res.url()) && res.request().method() === 'PATCH',
			);
			await modal.getByTestId('credential-save-button').click();
			expect((await saved).ok()).toBe(true);
			await modal.locator('.el-dialog__headerbtn').click();
			// A "Close without saving?" box here would mean the good key was not saved.
			await modal.waitFor({ state: 'hidden' });
			await expect(editor.selectedCredential()).resolves.toBe('IntelliPortal account');
		},
		STEP_MS,
	);

	test(
		'the client picker lists clients From List through the API, searches them and picks one',
		async () => {
			await editor.byTestId('rlc-input').click();
			await editor.byTestId('rlc-item').first().waitFor();
			const listed = await editor.byTestId('rlc-item').allInnerTexts();
			for (const name of CLIENTS) expect(listed.join('\n')).toContain(name);

			await editor.byTestId('rlc-search').fill('harbor');
			const found = await editor.until(
				() => editor.byTestId('rlc-item').allInnerTexts(),
				(items) => items.length === 1,
			);
			expect(found).toEqual([expect.stringContaining('Blue Harbor Dental')]);
			await screenshot(editor.ndv(), 'n8n-client-picker');
			await editor.byTestId('rlc-item').filter({ hasText: 'Blue Harbor Dental' }).click();
			await expect(
				editor.byTestId('resource-locator-clientRef').locator('input').last().inputValue(),
			).resolves.toContain('Blue Harbor Dental');
		},
		STEP_MS,
	);

	test(
		'To and Text (an expression) run: Execute step sends the message and the output shows its id',
		async () => {
			await editor.fillParameter('to', '+14155550123');
			await editor.typeExpression('textBody', 'Your code is {{ 1000 + 234 ');
			// The preview shows spaces as no-break spaces.
			const preview = await editor.until(
				async () =>
					(await editor.expressionPreview('textBody').innerText()).replace(/\s+/g, ' ').trim(),
				(text) => text === 'Your code is 1234',
			);
			expect(preview).toBe('Your code is 1234');
			await editor.page.keyboard.press('Tab');
			await screenshot(editor.ndv(), 'n8n-send-form');

			await editor.byTestId('node-execute-button').click();
			const output = editor.byTestId('output-panel');
			await output.getByText(/^msg_/).first().waitFor({ timeout: 60_000 });

			const sent = stack.emulator.admin.messages();
			expect(sent).toHaveLength(1);
			const client = stack.emulator.admin
				.clients()
				.find((c) => c.business_name === 'Blue Harbor Dental');
			expect(sent[0]).toMatchObject({
				client_ref: client?.id,
				to: '+14155550123',
				body: { text: { body: 'Your code is 1234' } },
			});
			await expectVisible(output.getByText(sent[0].id));
			await screenshot(editor.ndv(), 'n8n-send-output');
			await editor.closeNdv();
			const node = editor.byTestId('canvas-node').filter({ hasText: 'Send a message' });
			await expectVisible(node.getByText('Send: Message', { exact: true }));
			await screenshotCanvasNode(node, 'n8n-canvas-send-node');
		},
		STEP_MS,
	);

	test(
		'activating the trigger while another webhook is set: the editor shows our refusal',
		async () => {
			await setForeignWebhook(stack.emulator.url, FOREIGN_WEBHOOK);
			await editor.newWorkflow();
			await editor.openPanelForFirstStep();
			await editor.searchPanel('IntelliPortal');
			await editor.choosePanelItem('IntelliPortal');
			await editor.choosePanelItem('On message received');
			await editor.ndv().waitFor();
			await expect(editor.selectedCredential()).resolves.toBe('IntelliPortal account');
			await editor.closeNdv();

			await editor.byTestId('workflow-open-publish-modal-button').click();
			await editor.byTestId('workflow-publish-button').click();
			const toast = editor.toasts().filter({ hasText: 'could not be published' });
			await toast.waitFor({ timeout: 90_000 });
			const refusal = await toast.innerText();
			expect(refusal).toContain("The IntelliPortal account's webhook is in use by");
			// The other receiver by scheme and host only: its path may itself be its credential.
			expect(refusal).toContain('https://crm.example.com');
			expect(refusal).not.toContain('intelliportal-hook');
			// What to do about it, in the toast itself (n8n shows no error description there).
			expect(refusal).toContain('turn on "Replace Existing Webhook"');
			await screenshot(editor.page, 'n8n-trigger-refusal');
			// The foreign configuration is untouched.
			expect(stack.emulator.admin.webhookConfig()).toMatchObject({ url: FOREIGN_WEBHOOK });
		},
		STEP_MS,
	);

	test(
		'in dark mode the node icon loads and stands out from the node background',
		async () => {
			await editor.page.goto(`${stack.n8n.url}/settings/personal`);
			await editor.chooseOption(editor.byTestId('theme-select'), 'Dark theme');
			await editor.byTestId('save-settings-button').click();
			await editor.page.waitForFunction("document.body.getAttribute('data-theme') === 'dark'");
			await editor.page.goBack();
			const node = editor.byTestId('canvas-node').filter({ hasText: 'IntelliPortal' }).first();
			await node.waitFor({ timeout: 90_000 });
			const icon = node.locator('img').first();
			await expect(icon.getAttribute('src')).resolves.toMatch(/intelliPortal\.dark\.svg$/);
			const look = await icon.evaluate(iconLook);
			expect(look.width).toBeGreaterThan(0);
			expect(look.opaquePixels).toBeGreaterThan(100);
			// WCAG's minimum for graphics against their background.
			expect(look.contrast).toBeGreaterThanOrEqual(3);
			await screenshotCanvasNode(node, 'n8n-dark-mode-node');
		},
		STEP_MS,
	);
});

async function expectVisible(locator: import('playwright-core').Locator): Promise<void> {
	await locator.first().waitFor({ state: 'visible' });
}
