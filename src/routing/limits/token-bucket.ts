// The reference's token bucket (`iratesce`, after golang.org/x/time/rate): it holds at most `capacity`
// tokens, starts full, refills continuously at `capacity` tokens per period, and a call takes one token.
// A refused call takes nothing.

/** One bucket's state; `tokens` is as of `updatedAt` (ms), refill since then is computed when read. */
export interface BucketState {
  tokens: number;
  updatedAt: number;
}

/**
 * The refill arithmetic of one RATE. Tokens are kept as floats like the reference; refill is computed as
 * `elapsed * count / period`, one rounding, so whole periods (and multiples of period/count) give exact
 * whole tokens.
 */
export class TokenBucketRate {
  readonly capacity: number;
  readonly periodMs: number;
  /** How long one token takes to come back. */
  private readonly msPerToken: number;

  constructor(count: number, periodMs: number) {
    this.capacity = count;
    this.periodMs = periodMs;
    this.msPerToken = periodMs / count;
  }

  /** The tokens the bucket holds at `now`; a clock that went back refills nothing. */
  tokensAt(b: BucketState, now: number): number {
    const elapsed = now - b.updatedAt;
    if (elapsed <= 0) return b.tokens;
    const tokens = b.tokens + (elapsed * this.capacity) / this.periodMs;
    return Math.min(tokens, this.capacity);
  }

  /**
   * Whether a bucket holding `tokens` can give one. The reference allows a call when the wait for the
   * missing fraction of a token truncates to 0 ns; the same tolerance here absorbs float rounding.
   */
  canTake(tokens: number): boolean {
    return tokens >= 1 || (1 - tokens) * this.msPerToken < 1e-6;
  }

  isFull(b: BucketState, now: number): boolean {
    return this.tokensAt(b, now) >= this.capacity;
  }
}
