/**
 * Per-user token buckets: `burst` requests at once, refilled at `perMinute`. In memory per gateway
 * instance, so N instances allow up to N times the rate; a shared store would be the next step.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token for `who`; returns 0 when allowed, else the milliseconds until one is available. */
  take(who: string): number {
    const t = this.now();
    const rate = this.perMinute / 60_000;
    const b = this.buckets.get(who) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + (t - b.at) * rate);
    b.at = t;
    this.buckets.set(who, b);
    if (this.buckets.size > 100_000) this.evictFull(t);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / rate);
  }

  private evictFull(t: number): void {
    const rate = this.perMinute / 60_000;
    for (const [k, b] of this.buckets) if (b.tokens + (t - b.at) * rate >= this.burst) this.buckets.delete(k);
  }
}
