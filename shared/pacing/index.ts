/**
 * Pacing for bulk work against a rate-limited API, by concern:
 * - governor.ts: the shared adaptive rate governor around every HTTP attempt;
 * - registry.ts: one governor per account (credential + base URL) in a process;
 * - run.ts: one run's wait budget and Stop;
 * - bulk.ts: the bulk runner (bounded concurrency, results in input order).
 */
export * from './governor';
export * from './registry';
export * from './run';
export * from './bulk';
export * from './pace';
export * from './bulkLayers';
