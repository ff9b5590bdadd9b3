import { join } from 'node:path';
import { z } from 'zod';
import { BaseConfigSchema } from '@paylend/platform';

/** The wallet's own settings on top of every service's. */
export const WalletConfigSchema = BaseConfigSchema.extend({
  /** The KYC tier table (JSON); see apps/wallet/config/kyc-tiers.json. */
  WALLET_KYC_TIERS_FILE: z
    .string()
    .min(1)
    .default(join(__dirname, '..', '..', 'config', 'kyc-tiers.json')),
  /** How often due holds and withdrawals are expired. */
  WALLET_SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(1000),
  /** How long a withdrawal waits for the bank's answer before it is voided. */
  WALLET_WITHDRAWAL_TIMEOUT_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 86400)
    .default(86400),
});
export type WalletConfig = z.infer<typeof WalletConfigSchema>;
