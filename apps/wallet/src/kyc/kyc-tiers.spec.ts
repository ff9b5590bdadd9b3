import { join } from 'node:path';
import { KycTiers, TierConfigError } from './kyc-tiers';

const file = join(__dirname, '..', '..', 'config', 'kyc-tiers.json');

describe('KYC tier configuration', () => {
  it('reads the shipped file: tier 0 caps CNY at 1,000 with a daily outflow of 500, higher tiers raise them', () => {
    const tiers = KycTiers.fromFile(file);
    expect(tiers.currencies.sort()).toEqual(['CNY', 'USD']);
    const t0 = tiers.limits(0, 'CNY')!;
    expect(t0.balanceCap).toBe(100_000n);
    expect(t0.dailyOutflow).toBe(50_000n);
    const t1 = tiers.limits(1, 'CNY')!;
    for (const k of ['perTransaction', 'dailyOutflow', 'monthlyOutflow', 'balanceCap'] as const) {
      expect(t1[k]! > t0[k]!).toBe(true);
    }
    expect(tiers.hasTier(7)).toBe(false);
    expect(tiers.limits(0, 'EUR')).toBeNull();
  });

  it("ships a merchant tier without a balance cap, with outflow limits well above a consumer's", () => {
    const tiers = KycTiers.fromFile(file);
    expect(tiers.merchantTier).toBe(5);
    for (const c of tiers.currencies) {
      const m = tiers.limits(5, c)!;
      const t0 = tiers.limits(0, c)!;
      expect(m.balanceCap).toBeNull();
      expect(m.dailyOutflow > t0.dailyOutflow && m.perTransaction > t0.perTransaction).toBe(true);
    }
  });

  it('allows one merchant tier, not tier 0, and no balance cap only on it', () => {
    const limits = { CNY: { perTransaction: '1', dailyOutflow: '2', monthlyOutflow: '3', balanceCap: null } };
    const t0 = base.tiers[0]!;
    const ok = KycTiers.parse({ tiers: [t0, { tier: 5, name: 'shop', kind: 'merchant', limits }] });
    expect(ok.merchantTier).toBe(5);
    expect(KycTiers.parse(base).merchantTier).toBeNull();
    expect(() => KycTiers.parse({ tiers: [{ ...t0, kind: 'merchant' }] })).toThrow(/tier 0/);
    expect(() =>
      KycTiers.parse({
        tiers: [
          t0,
          { tier: 5, name: 'a', kind: 'merchant', limits },
          { tier: 6, name: 'b', kind: 'merchant', limits },
        ],
      }),
    ).toThrow(/keep one/);
    expect(() => KycTiers.parse({ tiers: [t0, { tier: 5, name: 'a', limits }] })).toThrow(
      /only the merchant tier may have no balance cap/,
    );
  });

  const base = {
    tiers: [
      {
        tier: 0,
        name: 't0',
        limits: { CNY: { perTransaction: '1', dailyOutflow: '2', monthlyOutflow: '3', balanceCap: '4' } },
      },
    ],
  };

  it('refuses a table without tier 0, with a JS number, with too many decimals, or with daily above monthly', () => {
    expect(() => KycTiers.parse({ tiers: [{ ...base.tiers[0], tier: 1 }] })).toThrow(/tier 0/);
    const withNumber = structuredClone(base) as {
      tiers: Array<{ limits: { CNY: Record<string, unknown> } }>;
    };
    withNumber.tiers[0]!.limits.CNY['balanceCap'] = 4;
    expect(() => KycTiers.parse(withNumber)).toThrow(TierConfigError);
    const decimals = structuredClone(base);
    decimals.tiers[0]!.limits.CNY.perTransaction = '1.001';
    expect(() => KycTiers.parse(decimals)).toThrow(/decimal/);
    const inverted = structuredClone(base);
    inverted.tiers[0]!.limits.CNY.dailyOutflow = '5';
    expect(() => KycTiers.parse(inverted)).toThrow(/dailyOutflow must not exceed monthlyOutflow/);
  });

  it('refuses a higher tier that lacks a currency tier 0 offers, and names an unreadable file', () => {
    const missing = { tiers: [...base.tiers, { tier: 1, name: 't1', limits: {} }] };
    expect(() => KycTiers.parse(missing)).toThrow(/tier 1 has no limits for CNY/);
    expect(() => KycTiers.fromFile('/nonexistent/tiers.json')).toThrow(/WALLET_KYC_TIERS_FILE/);
  });
});
