// Function call rates: the VSQL `RATE … / LIMIT …` declarations of an application, enforced per call the
// way the reference's partition limiter (`appparts/internal/limiter` over `iratesce`) does. The HTTP layer
// asks before authentication, so a call that then fails still used its token; a refused call uses none.
import {
  type AppDef,
  filterMatches,
  type LimitDef,
  type Operation,
  type RateDef,
  recordKinds,
  type TypeKind,
} from '../../schema/index.js';
import { BucketTable } from './bucket-table.js';
import { type BucketState, TokenBucketRate } from './token-bucket.js';

/** Who makes the call, as far as rate scopes can tell before authentication. */
export interface RateLimitCaller {
  readonly appPartition: number;
  readonly wsid: number;
  /** The remote address; the bucket key of `PER IP` rates. */
  readonly ip: string;
  /** The login or token subject, when known; only `perUserBuckets` reads it. */
  readonly user?: string | undefined;
}

export interface FunctionRateLimiterOptions {
  /**
   * Gives `PER SUBJECT` rates a bucket per `caller.user`. Off by default: the reference parses the scope
   * but its limiter ignores it (such a rate is shared by every caller of the partition), and it checks
   * rates before authentication, when no user is known.
   */
  readonly perUserBuckets?: boolean;
  /** How often (ms) a check also drops the buckets that have refilled completely. Default one minute. */
  readonly sweepIntervalMs?: number;
  /**
   * The most buckets one LIMIT keeps (default 100 000). Past it the oldest bucket is forgotten, which
   * lets its key start full again: under a flood of distinct callers memory stays bounded and the limit
   * errs on the side of allowing.
   */
  readonly maxBucketsPerLimit?: number;
}

export const DEFAULT_RATE_SWEEP_INTERVAL_MS = 60_000;
export const DEFAULT_MAX_BUCKETS_PER_LIMIT = 100_000;

/** The kinds a LIMIT can apply to (the reference's `TypeKind_Limitables`). */
const limitableKinds: ReadonlySet<TypeKind> = new Set<TypeKind>([
  'Command',
  'Query',
  ...recordKinds,
  'ViewRecord',
]);

/** A LIMIT with its RATE, ready for the hot path; it owns the buckets of every caller it limits. */
class EnforcedLimit {
  readonly ops: ReadonlySet<Operation>;
  readonly retryAfterSeconds: number;
  readonly rate: TokenBucketRate;
  readonly buckets: BucketTable;
  private readonly perWorkspace: boolean;
  private readonly perIp: boolean;
  private readonly perUser: boolean;
  /** `ON ALL …` limits share one bucket among the functions they match; `ON EACH …` (and `ON COMMAND x`) do not. */
  private readonly perResource: boolean;

  constructor(limit: LimitDef, rate: RateDef, perUserBuckets: boolean, maxBuckets: number) {
    this.ops = new Set(limit.ops);
    this.rate = new TokenBucketRate(rate.count, rate.periodMs);
    this.retryAfterSeconds = retryAfterSeconds(rate.count, rate.periodMs);
    this.buckets = new BucketTable(maxBuckets);
    this.perWorkspace = rate.scopes.includes('Workspace');
    this.perIp = rate.scopes.includes('IP');
    this.perUser = perUserBuckets && rate.scopes.includes('User');
    this.perResource = limit.option === 'EACH';
  }

  /** The workspace part of the bucket key; 0 (no workspace has it) when the rate is not per workspace. */
  workspaceOf(c: RateLimitCaller): number {
    return this.perWorkspace ? c.wsid : 0;
  }

  /**
   * The rest of the bucket key. The partition is always part of it: the reference keeps one bucket set
   * per app partition, which is what the default `PER APP PARTITION` scope means. Free-form parts carry
   * their length so that no two callers share a key.
   */
  keyOf(resource: string, c: RateLimitCaller): string {
    let key = `${c.appPartition}`;
    if (this.perResource) key = `${key}|r${resource}`;
    if (this.perIp) key = `${key}|i${c.ip.length}:${c.ip}`;
    if (this.perUser) key = `${key}|u${c.user === undefined ? '' : `${c.user.length}:${c.user}`}`;
    return key;
  }
}

/**
 * `Retry-After` of a refused call: the time one token takes to come back, in whole seconds, at least 1
 * (the reference's `RetryAfterSecondsOnLimitExceeded`). A rate of 0 calls never refills; it answers
 * with its whole period.
 */
export function retryAfterSeconds(count: number, periodMs: number): number {
  const seconds = count > 0 ? Math.ceil(periodMs / 1000 / count) : Math.ceil(periodMs / 1000);
  return Math.max(seconds, 1);
}

export class FunctionRateLimiter {
  /** Per limited resource (function, table or view QName), the limits whose filter matches it, by name. */
  private readonly limitsByResource: ReadonlyMap<string, readonly EnforcedLimit[]>;
  private readonly limits: readonly EnforcedLimit[];
  private readonly sweepIntervalMs: number;
  private lastSweep = Number.NEGATIVE_INFINITY;
  // Scratch space of `checkCall`, reused so that a check allocates nothing but its keys.
  private readonly pendingLimits: EnforcedLimit[] = [];
  private readonly pendingWorkspaces: number[] = [];
  private readonly pendingKeys: string[] = [];
  private readonly pendingBuckets: (BucketState | undefined)[] = [];
  private readonly pendingTokens: number[] = [];

  static forApp(app: AppDef, options: FunctionRateLimiterOptions = {}): FunctionRateLimiter {
    return new FunctionRateLimiter(app, options);
  }

  private constructor(app: AppDef, options: FunctionRateLimiterOptions) {
    this.sweepIntervalMs = options.sweepIntervalMs ?? DEFAULT_RATE_SWEEP_INTERVAL_MS;
    const maxBuckets = Math.max(1, options.maxBucketsPerLimit ?? DEFAULT_MAX_BUCKETS_PER_LIMIT);
    const perUser = options.perUserBuckets ?? false;
    const limitDefs = app
      .types()
      .filter((t): t is LimitDef => t.kind === 'Limit')
      // Checked in name order: the first exhausted limit sets Retry-After, as in the reference.
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const limits: { def: LimitDef; enforced: EnforcedLimit }[] = [];
    for (const def of limitDefs) {
      const rate = app.type(def.rate);
      if (rate?.kind !== 'Rate') throw new Error(`limit ${def.name}: rate ${def.rate} not found`);
      limits.push({ def, enforced: new EnforcedLimit(def, rate, perUser, maxBuckets) });
    }
    this.limits = limits.map((l) => l.enforced);
    // Matched once against every type of the app, as the reference does: a LIMIT's filter is not confined
    // to its workspace (`ON ALL COMMANDS` covers the app's commands, sys ones included).
    const byResource = new Map<string, EnforcedLimit[]>();
    if (limits.length > 0) {
      for (const t of app.types()) {
        if (!limitableKinds.has(t.kind)) continue;
        const matching = limits
          .filter((l) => filterMatches(l.def.filter, t))
          .map((l) => l.enforced);
        if (matching.length > 0) byResource.set(t.name, matching);
      }
    }
    this.limitsByResource = byResource;
  }

  /**
   * Counts one call of `resource` (a command or query QName; tables and views with their operation) and
   * says whether it may go on: `undefined` when it may (a token was taken from each applicable bucket),
   * else the seconds for `Retry-After` of the first limit that has no token left (then nothing is taken).
   */
  checkCall(
    resource: string,
    caller: RateLimitCaller,
    now: number = Date.now(),
    operation: Operation = 'Execute',
  ): number | undefined {
    const limits = this.limitsByResource.get(resource);
    if (limits === undefined) return undefined;
    if (now - this.lastSweep >= this.sweepIntervalMs) this.sweep(now);
    // Two passes make the take atomic: every bucket is checked before any is charged.
    let n = 0;
    for (const limit of limits) {
      if (!limit.ops.has(operation)) continue;
      const wsid = limit.workspaceOf(caller);
      const key = limit.keyOf(resource, caller);
      const bucket = limit.buckets.get(wsid, key);
      const tokens = bucket === undefined ? limit.rate.capacity : limit.rate.tokensAt(bucket, now);
      if (!limit.rate.canTake(tokens)) return limit.retryAfterSeconds;
      this.pendingLimits[n] = limit;
      this.pendingWorkspaces[n] = wsid;
      this.pendingKeys[n] = key;
      this.pendingBuckets[n] = bucket;
      this.pendingTokens[n] = tokens;
      n++;
    }
    for (let i = 0; i < n; i++) {
      const tokens = (this.pendingTokens[i] as number) - 1;
      const bucket = this.pendingBuckets[i];
      if (bucket === undefined) {
        const limit = this.pendingLimits[i] as EnforcedLimit;
        const key = this.pendingKeys[i] as string;
        limit.buckets.add(this.pendingWorkspaces[i] as number, key, { tokens, updatedAt: now });
      } else {
        bucket.tokens = tokens;
        // A clock that went back keeps the later time, so no span is refilled twice.
        if (now > bucket.updatedAt) bucket.updatedAt = now;
      }
    }
    return undefined;
  }

  /**
   * Refills the caller's buckets of `resource` (the reference's `ResetRateLimit`, which e.g. the email
   * verifier calls once a code was right, so that the caller is not held back by earlier attempts).
   */
  reset(resource: string, caller: RateLimitCaller, operation: Operation = 'Execute'): void {
    for (const limit of this.limitsByResource.get(resource) ?? []) {
      if (!limit.ops.has(operation)) continue;
      limit.buckets.delete(limit.workspaceOf(caller), limit.keyOf(resource, caller));
    }
  }

  /** True when some LIMIT applies to the resource (with any operation). */
  isLimited(resource: string): boolean {
    return this.limitsByResource.has(resource);
  }

  /** Drops the buckets that have refilled completely: a missing bucket is a full one. */
  sweep(now: number = Date.now()): void {
    this.lastSweep = now;
    for (const limit of this.limits) limit.buckets.deleteWhere((b) => limit.rate.isFull(b, now));
  }

  /** How many buckets are held (for metrics and tests). */
  get bucketCount(): number {
    let n = 0;
    for (const limit of this.limits) n += limit.buckets.size;
    return n;
  }
}
