// ESLint config for the repository's tooling (emulator, tests, Zapier app sources, benchmarks,
// scripts). These legitimately use Node built-ins, timers and console, so n8n's strict community
// node rules (eslint.config.mjs, applied by `npm run lint` to the published sources only) do not
// fit them. typescript-eslint is taken from @n8n/node-cli's own dependency tree so that both
// lint passes use the same parser version.
import { createRequire } from 'node:module';

import js from '@eslint/js';
import globals from 'globals';

const requireFromNodeCli = createRequire(
	createRequire(import.meta.url).resolve('@n8n/node-cli/eslint'),
);
const tseslint = requireFromNodeCli('typescript-eslint');

export default tseslint.config(
	{
		ignores: [
			'**/node_modules/**',
			'**/dist/**',
			'zapier/lib/**',
			'zapier/build/**',
			'.lint-pack/**',
			'.e2e/**',
		],
	},
	{
		files: ['**/*.ts', '**/*.mts', '**/*.cts'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
		languageOptions: {
			globals: { ...globals.node, ...globals.jest },
		},
		rules: {
			'no-console': 'off',
			// Conventional escape hatch for intentionally unused parameters (interface signatures).
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
			],
		},
	},
	{
		files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
		extends: [js.configs.recommended],
		languageOptions: {
			globals: { ...globals.node },
		},
		rules: {
			'no-console': 'off',
		},
	},
);
