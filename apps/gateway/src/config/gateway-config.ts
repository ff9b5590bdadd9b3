import { z } from 'zod';
import { BaseConfigSchema } from '@paylend/platform';

/**
 * The development JWT secret (HS256), documented so the demo, tests and benchmarks can mint tokens.
 * Any real deployment sets GATEWAY_JWT_SECRET; the gateway logs a warning while it runs on this one.
 */
export const DEV_JWT_SECRET = 'paylend-development-secret-do-not-use-in-production';

const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');

export const GatewayConfigSchema = BaseConfigSchema.extend({
  GATEWAY_JWT_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters (HS256 key)')
    .default(DEV_JWT_SECRET),
  GATEWAY_JWT_ISSUER: z.string().min(1).default('paylend-dev'),
  GATEWAY_JWT_AUDIENCE: z.string().min(1).default('paylend-api'),
  /** Enables POST /v1/dev/tokens, which mints tokens for any subject: demo and tests only. */
  GATEWAY_DEV_TOKENS: flag,
  /** Requests per user per minute (token bucket refill) and the bucket size (burst). */
  GATEWAY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(600),
  GATEWAY_RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /** How long the gateway waits for the wallet's reply. */
  GATEWAY_WALLET_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(8000),
  /** While a request with an Idempotency-Key is in flight, others with the key get 409 for at most this long. */
  GATEWAY_IDEMPOTENCY_LOCK_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
});
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
