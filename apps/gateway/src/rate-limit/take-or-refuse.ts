import { ApiError } from '../http/api-error';
import type { RateLimiter } from './token-bucket';

/** Takes a token from `who`'s bucket, or refuses the request: 429 RATE_LIMITED with when to retry. */
export function takeOrRefuse(limiter: RateLimiter, who: string): void {
  const waitMs = limiter.take(who);
  if (waitMs > 0) {
    throw new ApiError(429, 'RATE_LIMITED', `too many requests; retry in ${Math.ceil(waitMs / 1000)} s`, {
      retryAfterMs: waitMs,
    });
  }
}
