/**
 * Public entry of the IntelliPortal API core (dist/shared/index.js). Hosts import only from here
 * (the standalone axios transport lives in ./transports/axios).
 */
export { IntelliPortalClient, DEFAULT_TIMEOUT_MS } from './apiClient';
export type { IntelliPortalClientOptions } from './apiClient';
export { compose, exchange } from './send';
export type { Answer, Layer, Send } from './send';
export { findClients, rankClient } from './clientSearch';
export { MAX_PROBED_POSITION, NEWEST_CLIENTS_PER_POLL, readNewestClients } from './newestClients';
export type { ClientPageReader, NewestClientsOptions } from './newestClients';
export type { ClientSearch } from './clientSearch';
export * from './errors';
export * from './transport';
export * from './types';
export {
	BASE_URLS,
	ENVIRONMENTS,
	keyEnvironment,
	PRODUCTION_BASE_URL,
	PRODUCTION_KEY_PREFIX,
	SANDBOX_BASE_URL,
	SANDBOX_KEY_PREFIX,
	normaliseBaseUrl,
	resolveEnvironment,
} from './environment';
export type { Environment, EnvironmentOptions, ResolvedEnvironment } from './environment';
export {
	CLIENTS_DEFAULT_PAGE_SIZE,
	CLIENTS_MAX_PAGE_SIZE,
	DEFAULT_LIST_ALL_MAX,
	LIMITS,
	validateClientSignup,
	validateListAll,
	validateListClients,
	validateSendMessage,
	validateSendTemplate,
	validateWebhookUpdate,
	webhookUrlProblem,
} from './validation';
export {
	DEFAULT_RETRY_POLICY,
	PACED_THROTTLE_BUDGET_MS,
	backoffDelay,
	decideRetry,
	resolveRetryPolicy,
	withRetry,
} from './retry';
export type { RetryDecision, RetryInput, RetryOptions, RetryPolicy } from './retry';
export { REDACTED, redact, redactValue } from './redact';
export { headerValue, hasHeader, normaliseHeaders, parseResponseBody } from './http';
export type { ResponseHeaders } from './http';
export {
	expandEventSelection,
	parseWebhookEvent,
	receivedEventTypes,
	tryParseWebhookEvent,
	verifyDelivery,
} from './webhooks';
export type { DeliveryVerdict } from './webhooks';
export { REGISTRATION_PARAMS, appendSecret, webhookConfigForDisplay } from './webhookUrl';
export { activateWebhook, deactivateWebhook, isWebhookRegistered } from './webhookOwnership';
export type { RecordProblem, RefusalReason, WebhookHolder } from './webhookOwnershipPlan';
export type { WebhookRegistration } from './webhookRecord';
export { RecentEventIds } from './eventDedupe';
export {
	AdaptiveRateGovernor,
	GovernorRegistry,
	RunControl,
	accountKey,
	bulkLayers,
	runBulk,
	sharedGovernors,
	withPacing,
	withRunControl,
} from './pacing';
export type {
	AbortSignalLike,
	GovernorRegistryOptions,
	RunControlOptions,
	RunStop,
	AdaptiveRateGovernorOptions,
	BulkResult,
	HostClock,
	ObservableRateGovernor,
	RateGovernor,
	RateGovernorOutcome,
	RateGovernorStatus,
	RunBulkOptions,
} from './pacing';
