/** @type {import('jest').Config} */
module.exports = {
	// Node's environment, and a file fails if it leaves timers, servers or children running.
	testEnvironment: '<rootDir>/test/support/no-leaks-environment.ts',
	// dist/ and the Zapier upload, built once before any file runs (only those the run reads).
	globalSetup: '<rootDir>/test/support/global-setup.ts',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.dev.json' }],
	},
	// Sources are TypeScript: never let a stray compiled .js beside a .ts shadow it.
	moduleFileExtensions: ['ts', 'js', 'json'],
	testTimeout: 30000,
	// Integration suites start servers on random loopback ports; two workers fit the 2-core machine.
	maxWorkers: 2,
};
