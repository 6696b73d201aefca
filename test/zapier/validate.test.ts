/**
 * Zapier's structural validation, offline:
 *  1. in-process, the same routine `zapier-platform validate` runs (the app handler's `validate`
 *     command → zapier-platform-schema), on the TypeScript app; it must also catch a broken copy;
 *  2. the real CLI on the app jest's global set-up built (`npm run build:zapier`):
 *     `zapier-platform validate --without-style --skip-build` from zapier/ (no Zapier server:
 *     --without-style skips the online style checks; analytics and the update check are disabled).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import zapier from 'zapier-platform-core';

import { startEmulator } from '../../emulator';
import App from '../../zapier/src';
import { builtZapier } from '../support/builtTrees';
import { API_KEY, createAppHandler } from './helpers';

const ROOT = join(__dirname, '..', '..');
const ZAPIER_DIR = join(ROOT, 'zapier');

async function schemaErrors(app: object): Promise<Array<Record<string, unknown>>> {
	const handler = createAppHandler(app);
	const response = await handler({ command: 'validate', bundle: {} });
	return response.results as Array<Record<string, unknown>>;
}

describe('zapier validate (offline)', () => {
	it('the app definition has no structural errors', async () => {
		expect(await schemaErrors(App)).toEqual([]);
	});

	it('the same check reports a broken definition (so the test above can fail)', async () => {
		const broken: Record<string, unknown> = {
			...App,
			searchOrCreates: {},
			creates: {
				...App.creates,
				// a key with spaces, no label, and a perform that is neither a function nor a request
				send_message: {
					key: 'send message!',
					noun: 'Message',
					display: {},
					operation: { perform: { url: 1 } },
				},
			},
		};
		const errors = await schemaErrors(broken);
		expect(errors.length).toBeGreaterThan(0);
	});

	it('every action has a sample and output fields; every input field has a label and help text', () => {
		const groups = [App.triggers, App.creates, App.searches] as Array<
			Record<string, { operation: Record<string, unknown> }>
		>;
		for (const group of groups) {
			for (const [key, action] of Object.entries(group)) {
				expect({ key, sample: action.operation.sample !== undefined }).toEqual({
					key,
					sample: true,
				});
				expect({ key, outputFields: Array.isArray(action.operation.outputFields) }).toEqual({
					key,
					outputFields: true,
				});
				for (const field of (action.operation.inputFields ?? []) as Array<
					Record<string, unknown>
				>) {
					expect({ key, field: field.key, label: typeof field.label }).toEqual({
						key,
						field: field.key,
						label: 'string',
					});
					expect({
						key,
						field: field.key,
						helpText: String(field.helpText ?? '').length > 10,
					}).toEqual({
						key,
						field: field.key,
						helpText: true,
					});
				}
			}
		}
		for (const field of App.authentication.fields as Array<Record<string, unknown>>) {
			expect(String(field.helpText ?? '').length).toBeGreaterThan(10);
		}
	});

	it('pins zapier-platform-core to exactly the version zapier-platform-cli expects', () => {
		const app = JSON.parse(readFileSync(join(ZAPIER_DIR, 'package.json'), 'utf8')) as {
			main: string;
			dependencies: Record<string, string>;
		};
		const cli = JSON.parse(
			readFileSync(join(ROOT, 'node_modules/zapier-platform-cli/package.json'), 'utf8'),
		) as {
			version: string;
		};
		// the CLI requires an exact core version and warns when it differs from its own
		expect(app.dependencies['zapier-platform-core']).toBe(cli.version);
		expect(app.main).toBe('index.js');
	});

	it('the built app passes `zapier-platform validate --without-style` run from zapier/', () => {
		const { appDir } = builtZapier();
		expect(existsSync(join(appDir, 'lib/zapier/src/index.js'))).toBe(true);
		const run = spawnSync(
			process.execPath,
			[
				join(ROOT, 'node_modules/zapier-platform-cli/src/bin/run'),
				'validate',
				'--without-style',
				'--skip-build',
			],
			{
				cwd: appDir,
				encoding: 'utf8',
				timeout: 90_000,
				env: { ...process.env, DISABLE_ZAPIER_ANALYTICS: '1', NO_UPDATE_NOTIFIER: '1', CI: 'true' },
			},
		);
		const output = `${run.stdout}\n${run.stderr}`;
		expect({ status: run.status, output }).toEqual({
			status: 0,
			output: expect.stringContaining('structurally sound'),
		});
	}, 120_000);

	it('the built entry point (zapier/index.js → lib) is the same app and works against the emulator', async () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const built = require(join(builtZapier().appDir, 'index.js')) as typeof App;
		expect(Object.keys(built.triggers)).toEqual(Object.keys(App.triggers));
		expect(Object.keys(built.creates)).toEqual(Object.keys(App.creates));
		expect(Object.keys(built.searches)).toEqual(Object.keys(App.searches));
		expect(built.version).toBe(App.version);
		const emu = await startEmulator({ seedClients: 3 });
		try {
			const result = (await zapier.createAppTester(built)(
				built.triggers.list_clients.operation.perform,
				{
					authData: { apiKey: API_KEY, environment: 'custom', baseUrl: emu.baseUrl },
					meta: { page: 0 },
				},
			)) as unknown as Array<{ id: string }>;
			expect(result.map((c) => c.id)).toEqual(emu.admin.clients().map((c) => c.id));
		} finally {
			await emu.stop();
		}
	});
});
