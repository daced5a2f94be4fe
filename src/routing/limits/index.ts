// Rate limits (VSQL RATE / LIMIT, answered with 429) and load shedding (per-workspace query cap,
// answered with 503) for the HTTP layer.
export {
  DEFAULT_MAX_QUERIES_PER_WS,
  QUERY_CAP_RETRY_AFTER_SECONDS,
  WorkspaceQueryCap,
  type WorkspaceQueryCapOptions,
} from './query-cap.js';
export {
  DEFAULT_MAX_BUCKETS_PER_LIMIT,
  DEFAULT_RATE_SWEEP_INTERVAL_MS,
  FunctionRateLimiter,
  type FunctionRateLimiterOptions,
  type RateLimitCaller,
  retryAfterSeconds,
} from './rate-limiter.js';
