// Runs inside the unzipped build.zip, under Node 22, the way Zapier runs the app: everything
// (the app, zapier-platform-core and its tester) is loaded from the zip's own files.
//   node driver.cjs <unzipped dir> <emulator base URL> <api key> <hook receiver URL>
// Prints one JSON line: the result (or error) of each step, for test/zapier-zip/zip.test.ts.
'use strict';
const path = require('node:path');
const { createRequire } = require('node:module');

async function main() {
	const [dir, baseUrl, apiKey, receiverUrl] = process.argv.slice(2);
	const fromZip = createRequire(path.join(dir, 'index.js'));
	const zapier = fromZip('zapier-platform-core');
	const App = fromZip('./index.js');
	const tester = zapier.createAppTester(App);
	const authData = { apiKey, environment: 'custom', baseUrl };
	const steps = {};
	const step = async (name, fn) => {
		try {
			steps[name] = { ok: true, result: await fn() };
		} catch (error) {
			steps[name] = { ok: false, error: String(error && error.message) };
		}
	};
	steps.loadedFrom = {
		core: require.resolve === undefined ? null : fromZip.resolve('zapier-platform-core'),
		node: process.version,
	};

	await step('authTest', () => tester(App.authentication.test, { authData }));
	await step('connectionLabel', () => tester(App.authentication.connectionLabel, { authData }));
	await step('onboard_client', () =>
		tester(App.creates.onboard_client.operation.perform, {
			authData,
			inputData: { business_name: 'Zip Test Ltd', phone_number_id: '5550009999' },
		}),
	);
	const clientRef = steps.onboard_client.ok ? steps.onboard_client.result.id : 'missing';
	await step('find_client', () =>
		tester(App.searches.find_client.operation.perform, {
			authData,
			inputData: { business_name: 'Zip Test' },
		}),
	);
	await step('list_clients', () =>
		tester(App.triggers.list_clients.operation.perform, { authData, meta: { page: 0 } }),
	);
	await step('new_client', () => tester(App.triggers.new_client.operation.perform, { authData }));
	await step('subscribe', () =>
		tester(App.triggers.message_event.operation.performSubscribe, {
			authData,
			targetUrl: receiverUrl,
			inputData: { events: ['message.queued'] },
		}),
	);
	await step('send_message', () =>
		tester(App.creates.send_message.operation.perform, {
			authData,
			inputData: {
				client_ref: clientRef,
				to: '+15551234567',
				type: 'text',
				text: 'Hello from the zip',
			},
		}),
	);
	await step('send_template', () =>
		tester(App.creates.send_template.operation.perform, {
			authData,
			inputData: {
				client_ref: clientRef,
				to: '+15551234567',
				template_name: 'order_update',
				parameters: ['A-1001', 'shipped'],
			},
		}),
	);
	// The test delivers the webhook the emulator sent to the receiver back through perform.
	report({ phase: 'subscribed', steps });
	const delivered = JSON.parse(await readLine());
	await step('perform', () =>
		tester(App.triggers.message_event.operation.perform, {
			authData,
			inputData: { events: ['message.queued'] },
			subscribeData: steps.subscribe.result,
			rawRequest: { method: 'POST', querystring: delivered.querystring },
			cleanedRequest: delivered.body,
		}),
	);
	await step('performList', () =>
		tester(App.triggers.message_event.operation.performList, {
			authData,
			inputData: { events: ['message.queued'] },
		}),
	);
	await step('unsubscribe', () =>
		tester(App.triggers.message_event.operation.performUnsubscribe, {
			authData,
			targetUrl: receiverUrl,
			subscribeData: steps.subscribe.result,
		}),
	);
	report({ phase: 'done', steps });
}

// zapier-platform-core prints its own lines (e.g. 'ZID: …') to stdout: ours carry a marker.
const MARKER = '@@ip-zip-driver ';
function report(message) {
	process.stdout.write(MARKER + JSON.stringify(message) + '\n');
}

function readLine() {
	return new Promise((resolve) => {
		let buffer = '';
		process.stdin.setEncoding('utf8');
		process.stdin.on('data', (chunk) => {
			buffer += chunk;
			const end = buffer.indexOf('\n');
			if (end >= 0) {
				process.stdin.pause();
				resolve(buffer.slice(0, end));
			}
		});
	});
}

main().catch((error) => {
	report({ phase: 'crashed', error: String(error && error.stack) });
	process.exitCode = 1;
});
