import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Money } from '@paylend/ledger';

/** One currency's limits of one tier, in minor units. */
export interface TierLimits {
  perTransaction: bigint;
  dailyOutflow: bigint;
  monthlyOutflow: bigint;
  /** Null: no cap (a merchant's takings may pile up between settlements). */
  balanceCap: bigint | null;
}

/** `personal` tiers are the KYC ladder a consumer climbs; at most one `merchant` tier is for merchants' wallets. */
export type WalletKind = 'personal' | 'merchant';

const Amount = z
  .string()
  .regex(/^(0|[1-9][0-9]*)(\.[0-9]+)?$/, 'must be a non-negative decimal string such as "500.00"');
const LimitsSchema = z
  .object({
    perTransaction: Amount,
    dailyOutflow: Amount,
    monthlyOutflow: Amount,
    balanceCap: Amount.nullable(),
  })
  .strict();
const TierFileSchema = z
  .object({
    $comment: z.string().optional(),
    tiers: z
      .array(
        z
          .object({
            tier: z.number().int().min(0).max(9),
            name: z.string().min(1),
            kind: z.enum(['personal', 'merchant']).optional(),
            limits: z.record(z.string().regex(/^[A-Z]{3}$/), LimitsSchema),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export class TierConfigError extends Error {
  readonly code = 'TIER_CONFIG_INVALID';
}

/**
 * The KYC tier table, read from configuration: which currencies a wallet may be opened in (those of tier 0)
 * and each tier's per-transaction, daily, monthly and balance limits.
 */
export class KycTiers {
  private constructor(
    private readonly byTier: Map<number, { name: string; kind: WalletKind; limits: Map<string, TierLimits> }>,
  ) {}

  static parse(json: unknown, source = 'tier configuration'): KycTiers {
    const parsed = TierFileSchema.safeParse(json);
    if (!parsed.success) {
      throw new TierConfigError(
        `${source} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
      );
    }
    const byTier = new Map<number, { name: string; kind: WalletKind; limits: Map<string, TierLimits> }>();
    for (const t of parsed.data.tiers) {
      if (byTier.has(t.tier)) throw new TierConfigError(`${source}: tier ${t.tier} appears twice`);
      const limits = new Map<string, TierLimits>();
      for (const [currency, l] of Object.entries(t.limits)) {
        try {
          const minor = (v: string) => Money.of(v, currency).toMinor();
          const parsedLimits = {
            perTransaction: minor(l.perTransaction),
            dailyOutflow: minor(l.dailyOutflow),
            monthlyOutflow: minor(l.monthlyOutflow),
            balanceCap: l.balanceCap === null ? null : minor(l.balanceCap),
          };
          if (parsedLimits.dailyOutflow > parsedLimits.monthlyOutflow) {
            throw new Error('dailyOutflow must not exceed monthlyOutflow');
          }
          limits.set(currency, parsedLimits);
        } catch (err) {
          throw new TierConfigError(`${source}: tier ${t.tier} ${currency}: ${(err as Error).message}`);
        }
      }
      byTier.set(t.tier, { name: t.name, kind: t.kind ?? 'personal', limits });
    }
    if (!byTier.has(0)) throw new TierConfigError(`${source}: tier 0 (where new wallets start) is missing`);
    if (byTier.get(0)!.kind !== 'personal')
      throw new TierConfigError(
        `${source}: tier 0 is where every consumer starts; it cannot be a merchant tier`,
      );
    const merchantTiers = [...byTier].filter(([, t]) => t.kind === 'merchant').map(([n]) => n);
    if (merchantTiers.length > 1)
      throw new TierConfigError(
        `${source}: tiers ${merchantTiers.join(', ')} are all merchant tiers; keep one`,
      );
    for (const [tier, t] of byTier) {
      for (const [c, l] of t.limits) {
        if (l.balanceCap === null && t.kind !== 'merchant')
          throw new TierConfigError(
            `${source}: tier ${tier} ${c}: only the merchant tier may have no balance cap`,
          );
      }
    }
    const base = [...byTier.get(0)!.limits.keys()];
    for (const [tier, t] of byTier) {
      for (const c of base) {
        if (!t.limits.has(c))
          throw new TierConfigError(`${source}: tier ${tier} has no limits for ${c}, which tier 0 offers`);
      }
    }
    return new KycTiers(byTier);
  }

  static fromFile(path: string): KycTiers {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new TierConfigError(
        `cannot read the KYC tier file ${path} (WALLET_KYC_TIERS_FILE): ${(err as Error).message}`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new TierConfigError(`the KYC tier file ${path} is not JSON: ${(err as Error).message}`);
    }
    return KycTiers.parse(json, `the KYC tier file ${path}`);
  }

  /** Currencies a wallet may be opened in. */
  get currencies(): string[] {
    return [...this.byTier.get(0)!.limits.keys()];
  }

  /** The tier merchants' wallets are opened on, or null when the configuration has none. */
  get merchantTier(): number | null {
    for (const [tier, t] of this.byTier) if (t.kind === 'merchant') return tier;
    return null;
  }

  hasTier(tier: number): boolean {
    return this.byTier.has(tier);
  }

  limits(tier: number, currency: string): TierLimits | null {
    return this.byTier.get(tier)?.limits.get(currency) ?? null;
  }
}
