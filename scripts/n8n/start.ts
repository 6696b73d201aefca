/**
 * Real-n8n harness: runs the pinned n8n (scripts/n8n/version, installed by scripts/n8n/install.sh)
 * on 127.0.0.1 with this repo's built package loaded as an installed community package, and
 * drives it over HTTP the way a user or a CI script would.
 *
 * Library (test/e2e, scripts/demo-n8n.ts):
 *
 *   const n8n = await startN8n({ packageDir: REPO_ROOT });      // free port, temp user folder
 *   await n8n.setupOwner();                                       // owner account + API key
 *   const cred = await n8n.createCredential({ name, type: 'intelliPortalApi', data });
 *   const wf = await n8n.importWorkflow(json, { credentials: { intelliPortalApi: cred } });
 *   const exec = await n8n.runManually(wf.id);                   // internal REST, then polls
 *   await n8n.activate(wf.id); await n8n.deactivate(wf.id);      // public API
 *   await n8n.stop();                                             // kills the process group
 *
 * CLI: `tsx scripts/n8n/start.ts [--port 5678] [--no-package] [--keep]` starts n8n with the
 * package and an owner account and prints the URL and login; Ctrl-C stops it.
 *
 * How the package gets in: `npm pack` of the repo (exactly the files a user would install from
 * npm: package.json `files`), unpacked into `<user folder>/.n8n/nodes/node_modules/<name>`, the
 * directory where n8n keeps installed community packages. n8n loads every `n8n-nodes-*` package
 * there at start, under the same node type names as for a user (`n8n-nodes-intelliportal.
 * intelliPortal`), and `require('n8n-workflow')` inside it resolves to n8n's own copy (n8n puts
 * its module paths on NODE_PATH), as in a real installation. (The alternative, N8N_CUSTOM_
 * EXTENSIONS / ~/.n8n/custom, loads loose *.node.js files as `CUSTOM.<name>` types, which would
 * make our example workflows unusable for real users.)
 *
 * Everything binds to / talks to 127.0.0.1 only; every wait is bounded.
 *
 * This file is the library's facade and the CLI. The modules, one concern each:
 *   target.ts   which n8n (version, install folder, Node) and its idempotent install
 *   package.ts  the packed package into n8n's community-package folder
 *   env.ts      the harness environment and the process role (main, worker, webhook)
 *   process.ts  spawn, logs, readiness wait, stop (process group), kill-on-exit
 *   client.ts   REST client (owner, credentials, workflows, activation, executions)
 *   launch.ts   startN8n: all of the above, giving an N8nInstance (client + process)
 */

export {
	REPO_ROOT,
	N8N_VERSION,
	n8nHome,
	isN8nInstalled,
	installN8n,
	resolveTarget,
} from './target';
export type { N8nTarget } from './target';
export { stagePackage } from './package';
export type { InstallMethod } from './package';
export { harnessEnv } from './env';
export type { N8nRole } from './env';
export { freePort } from './process';
export {
	OWNER,
	N8nActivationError,
	N8nHttpError,
	N8nClient,
	isTransientN8nFailure,
} from './client';
export type { WorkflowJson, Execution, NodeRun, PublicationStatus } from './client';
export { N8nInstance, startN8n } from './launch';
export type { StartOptions } from './launch';

import { OWNER } from './client';
import { startN8n } from './launch';
import { N8N_VERSION, REPO_ROOT } from './target';

// CLI
if (require.main === module) {
	const args = process.argv.slice(2);
	const flag = (name: string) => args.includes(name);
	const value = (name: string) => {
		const i = args.indexOf(name);
		return i >= 0 ? args[i + 1] : undefined;
	};
	if (flag('--help')) {
		console.log(
			'usage: tsx scripts/n8n/start.ts [--port 5678] [--no-package] [--keep] [--verbose]\n' +
				"Starts the pinned n8n on 127.0.0.1 with this repo's built package; Ctrl-C stops it.",
		);
		process.exit(0);
	}
	void (async () => {
		const started = Date.now();
		const n8n = await startN8n({
			port: Number(value('--port') ?? 0),
			packageDir: flag('--no-package') ? null : REPO_ROOT,
			keepUserFolder: flag('--keep'),
			onLog: flag('--verbose') ? (line) => console.error(`[n8n] ${line}`) : undefined,
		});
		await n8n.setupOwner();
		console.log(`n8n ${N8N_VERSION} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		console.log(`  URL:      ${n8n.url}`);
		console.log(`  login:    ${OWNER.email} / ${OWNER.password}`);
		console.log(`  folder:   ${n8n.userFolder}`);
		console.log('Ctrl-C stops it.');
		const shutdown = () => {
			void n8n.stop().then(() => process.exit(0));
		};
		process.once('SIGINT', shutdown);
		process.once('SIGTERM', shutdown);
	})().catch((error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	});
}
