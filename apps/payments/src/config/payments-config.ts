import { z } from 'zod';
import { BaseConfigSchema, configOf, type ServiceRuntime } from '@paylend/platform';

/**
 * The documented development secret, so that a new checkout runs with no set-up. With it, anyone who reads
 * this file can derive valid payment codes for any wallet they learn the id of: every real deployment sets
 * PAYMENT_CODE_SECRET, and the service logs a warning at start while it runs on this one.
 */
export const DEV_PAYMENT_CODE_SECRET = 'paylend-dev-payment-code-secret-change-me-0001';

/** The payments service's own settings, validated with the base ones at start-up. */
export const PaymentsConfigSchema = BaseConfigSchema.extend({
  /** Server secret payment codes are derived from (HMAC); rotate it and every shown code changes. */
  PAYMENT_CODE_SECRET: z
    .string()
    .min(32, 'at least 32 characters of secret')
    .default(DEV_PAYMENT_CODE_SECRET),
  /** How long payments waits for a wallet reply before it answers WALLET_UNAVAILABLE. */
  WALLET_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** How long a hold for an order may stay open before the wallet releases it on its own. */
  HOLD_TIMEOUT_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  /**
   * Batches of QR payments whose wallet half runs at once, per instance (the rest wait their turn in memory
   * and join the next batch). Two keeps one batch at the wallet while the other completes; more only makes
   * batches smaller (measured: 262/s at 2 against 222/s at 8, 96 clients).
   */
  PAYMENT_DRIVER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(2),
  /** Most QR payments in one batch: their holds, captures and completion go to the wallet and database together. */
  PAYMENT_DRIVER_BATCH: z.coerce.number().int().min(1).max(5000).default(200),
  /** How often PENDING orders whose capture went unanswered are resolved by asking the wallet about their hold. */
  PENDING_RECOVERY_MS: z.coerce.number().int().min(50).max(600_000).default(5000),
  ORDER_EXPIRY_SWEEP_MS: z.coerce.number().int().min(50).max(600_000).default(1000),
  WEBHOOK_POLL_MS: z.coerce.number().int().min(20).max(60_000).default(250),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(3_600_000),
  /** Attempts before a notification is given up (merchants then rely on order status queries). */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(20),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
});
export type PaymentsConfig = ReturnType<typeof configOf<typeof PaymentsConfigSchema>>;

export const PAYMENTS_CONFIG = Symbol('PAYMENTS_CONFIG');

export function paymentsConfig(runtime: ServiceRuntime): PaymentsConfig {
  return configOf<typeof PaymentsConfigSchema>(runtime);
}
