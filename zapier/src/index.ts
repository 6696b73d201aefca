import zapier from 'zapier-platform-core';

import packageJson from '../package.json';
import authentication from './authentication';
import onboardClient from './creates/onboardClient';
import sendMessage from './creates/sendMessage';
import sendTemplate from './creates/sendTemplate';
import findClient from './searches/findClient';
import listClients from './triggers/listClients';
import messageEvent from './triggers/messageEvent';
import newClient from './triggers/newClient';

/**
 * The IntelliPortal Zapier app. Every operation goes through the shared API core
 * (validation, HTTP, retry, errors), on a transport built on z.request.
 */
// Keys are spelled out (and must equal each action's `key`) so the app's type stays precise.
const app = {
	version: packageJson.version,
	platformVersion: zapier.version,

	authentication,

	triggers: {
		list_clients: listClients,
		new_client: newClient,
		message_event: messageEvent,
	},
	creates: {
		send_message: sendMessage,
		send_template: sendTemplate,
		onboard_client: onboardClient,
	},
	searches: {
		find_client: findClient,
	},
	searchOrCreates: {
		find_client: {
			key: findClient.key,
			display: {
				label: 'Find or Onboard Client',
				description:
					'Finds a client by business name or phone number ID, and onboards it if none is found.',
			},
			search: findClient.key,
			create: onboardClient.key,
		},
	},
};

export default app;
