/**
 * Public entry of the API core (dist/shared/index.js): what the hosts (nodes, credentials, the
 * Zapier app, scripts, bench) use. Tests import the modules themselves.
 */
export { DEFAULT_TIMEOUT_MS, IntelliPortalClient } from './apiClient';
export type { Layer } from './send';
export { withRetry } from './retry';
export { failureOf, TransportFailure } from './transport';
export type { Transport, TransportRequest, TransportResponse } from './transport';
export {
	AuthenticationError,
	ConfigurationError,
	ConflictError,
	IntelliPortalError,
	NetworkError,
	NotFoundError,
	RateLimitError,
	ServerError,
	ValidationError,
} from './errors';
export type { ErrorKind } from './errors';
export { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from './types';
export type {
	Client,
	ClientSignupInput,
	MessageResponse,
	SendMessageInput,
	SendTemplateInput,
	WebhookConfig,
	WebhookEvent,
	WebhookEventType,
} from './types';
export {
	ENVIRONMENTS,
	keyEnvironment,
	PRODUCTION_KEY_PREFIX,
	resolveEnvironment,
	SANDBOX_KEY_PREFIX,
} from './environment';
export type { Environment } from './environment';
export { LIMITS, validateWebhookUpdate } from './validation';
export { hasHeader, normaliseHeaders, parseResponseBody } from './http';
export { redact } from './redact';
export { findClients, rankClient } from './clientSearch';
export { readNewestClients } from './newestClients';
export {
	expandEventSelection,
	parseWebhookEvent,
	receivedEventTypes,
	tryParseWebhookEvent,
	verifyDelivery,
} from './webhooks';
export type { DeliveryVerdict } from './webhooks';
export { appendSecret, REGISTRATION_PARAMS, webhookConfigForDisplay } from './webhookUrl';
export type { WebhookRegistration } from './webhookRecord';
export { activateWebhook, deactivateWebhook, isWebhookRegistered } from './webhookOwnership';
export type { RecordProblem, RefusalReason, WebhookHolder } from './webhookOwnershipPlan';
export { RecentEventIds } from './eventDedupe';
export { AdaptiveRateGovernor } from './pacing/governor';
export type { ObservableRateGovernor } from './pacing/governor';
export type { RateGovernor } from './pacing/pace';
export { sharedGovernors } from './pacing/registry';
export { RunControl } from './pacing/run';
export type { AbortSignalLike } from './pacing/run';
export { runBulk } from './pacing/bulk';
export { bulkLayers } from './pacing/bulkLayers';
