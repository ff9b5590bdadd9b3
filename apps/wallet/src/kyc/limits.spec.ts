import fc from 'fast-check';
import { checkBalanceCap, checkOutflow, utcDay } from './limits';
import type { TierLimits } from './kyc-tiers';

const tier0: TierLimits = {
  perTransaction: 20_000n,
  dailyOutflow: 50_000n,
  monthlyOutflow: 200_000n,
  balanceCap: 100_000n,
};

describe('outflow limits', () => {
  it('allows reaching each limit exactly and refuses one minor unit more, naming the limit', () => {
    expect(checkOutflow(tier0, { dailyMinor: 30_000n, monthlyMinor: 30_000n }, 20_000n)).toBeNull();
    expect(checkOutflow(tier0, { dailyMinor: 0n, monthlyMinor: 0n }, 20_001n)?.code).toBe(
      'LIMIT_PER_TRANSACTION',
    );
    expect(checkOutflow(tier0, { dailyMinor: 30_001n, monthlyMinor: 30_001n }, 20_000n)).toMatchObject({
      code: 'LIMIT_DAILY_OUTFLOW',
      limitMinor: 50_000n,
      wouldBeMinor: 50_001n,
    });
    expect(checkOutflow(tier0, { dailyMinor: 0n, monthlyMinor: 190_000n }, 10_001n)?.code).toBe(
      'LIMIT_MONTHLY_OUTFLOW',
    );
  });

  it('a sequence of sends accepted one by one never exceeds the daily or monthly limit (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 1n, max: 30_000n }), { maxLength: 60 }), (amounts) => {
        let daily = 0n;
        let monthly = 0n;
        for (const a of amounts) {
          const refusal = checkOutflow(tier0, { dailyMinor: daily, monthlyMinor: monthly }, a);
          if (refusal === null) {
            daily += a;
            monthly += a;
          } else {
            expect(refusal.wouldBeMinor > refusal.limitMinor).toBe(true);
          }
          expect(daily <= tier0.dailyOutflow && monthly <= tier0.monthlyOutflow).toBe(true);
        }
        // Greedy acceptance stops only when the next amount would not fit.
        if (amounts.every((a) => a <= tier0.perTransaction)) {
          const sum = amounts.reduce((s, a) => s + a, 0n);
          if (sum <= tier0.dailyOutflow) expect(daily).toBe(sum);
        }
      }),
    );
  });
});

describe('balance cap', () => {
  it('allows a credit up to the cap and refuses beyond it', () => {
    expect(checkBalanceCap(tier0, 90_000n, 10_000n)).toBeNull();
    expect(checkBalanceCap(tier0, 90_000n, 10_001n)).toMatchObject({
      code: 'LIMIT_BALANCE_CAP',
      wouldBeMinor: 100_001n,
    });
  });

  it("never refuses a wallet whose tier has no cap (a merchant's)", () => {
    const merchant: TierLimits = { ...tier0, balanceCap: null };
    expect(checkBalanceCap(merchant, 10n ** 15n, 10n ** 12n)).toBeNull();
  });

  it('uses the UTC day', () => {
    expect(utcDay(new Date('2026-11-28T23:59:59.999-02:00'))).toBe('2026-11-29');
  });
});
