import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from '../../shared/types';
import { expandEventSelection, receivedEventTypes } from '../../shared/webhooks';

describe('event selections: the one place that expands "all events"', () => {
	test('ALL_EVENTS becomes every event type, in the core order, without duplicates', () => {
		expect(expandEventSelection([ALL_EVENTS])).toEqual([...WEBHOOK_EVENT_TYPES]);
		expect(expandEventSelection(['message.read', ALL_EVENTS, 'message.read'])).toEqual([
			'message.read',
			...WEBHOOK_EVENT_TYPES.filter((type) => type !== 'message.read'),
		]);
	});

	test('other entries stay as given so that validation can name them', () => {
		expect(expandEventSelection(['message.sent', 'message.bogus', 3, 'message.sent'])).toEqual([
			'message.sent',
			'message.bogus',
			3,
		]);
		expect(expandEventSelection([])).toEqual([]);
	});

	test('receivedEventTypes keeps the known names and falls back to every event', () => {
		expect(receivedEventTypes(['message.failed', 'nope'])).toEqual(['message.failed']);
		expect(receivedEventTypes(['nope'])).toEqual([...WEBHOOK_EVENT_TYPES]);
		expect(receivedEventTypes([])).toEqual([...WEBHOOK_EVENT_TYPES]);
		expect(receivedEventTypes([ALL_EVENTS])).toEqual([...WEBHOOK_EVENT_TYPES]);
	});
});
