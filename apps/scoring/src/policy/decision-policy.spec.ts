import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Money } from '@paylend/ledger';
import { loadModel } from '@paylend/scorecard';
import { behaviourAdjustment, BEHAVIOUR_POLICY, type BehaviourFeatures } from './behaviour-policy';
import { decide, DECISION_POLICY, logit, type Decision } from './decision-policy';

const model = loadModel(
  readFileSync(join(__dirname, '../../../../libs/scorecard/models/german-credit.v1.json'), 'utf8'),
);
const NOW = new Date('2026-06-01T00:00:00.000Z');
const DAY = 86_400_000;
const requested = Money.of('1000.00', 'CNY');
const noHistory: BehaviourFeatures = {
  onTimeRepayments: 0,
  lateRepayments: 0,
  walletOpenedAt: null,
  inflows: Money.zero('CNY'),
};
const rank: Record<Decision, number> = { approve: 0, refer: 1, decline: 2 };

function decideFor(pd: number, features: BehaviourFeatures, amount = requested) {
  const adj = behaviourAdjustment(features, amount, NOW);
  return decide(model, {
    applicationLogOdds: logit(pd),
    behaviourLogOdds: adj.logOdds,
    lateRepayments: features.lateRepayments,
    requested: amount,
  });
}

const featuresArb = fc.record({
  onTimeRepayments: fc.integer({ min: 0, max: 50 }),
  lateRepayments: fc.integer({ min: 0, max: 10 }),
  walletOpenedAt: fc.option(fc.integer({ min: 0, max: 2000 }).map((d) => new Date(NOW.getTime() - d * DAY))),
  inflows: fc.integer({ min: 0, max: 10_000_000 }).map((minor) => Money.fromMinor(BigInt(minor), 'CNY')),
});
const pdArb = fc.double({ min: 0.001, max: 0.999, noNaN: true });

describe('behaviour policy', () => {
  it('is zero for a borrower the platform knows nothing about', () => {
    expect(behaviourAdjustment(noHistory, requested, NOW)).toEqual({
      logOdds: 0,
      effects: [],
      walletAgeDays: null,
    });
  });

  it('lowers the risk for on-time repayments, up to the cap, and raises it for late ones', () => {
    const onTime = (n: number) =>
      behaviourAdjustment({ ...noHistory, onTimeRepayments: n }, requested, NOW).logOdds;
    expect(onTime(1)).toBeCloseTo(BEHAVIOUR_POLICY.onTimePerRepayment);
    expect(onTime(100)).toBeCloseTo(BEHAVIOUR_POLICY.onTimeMaxCounted * BEHAVIOUR_POLICY.onTimePerRepayment);
    const late = behaviourAdjustment({ ...noHistory, lateRepayments: 2 }, requested, NOW);
    expect(late.logOdds).toBeCloseTo(2 * BEHAVIOUR_POLICY.latePerRepayment);
    expect(late.effects.map((e) => e.factor)).toEqual(['LATE_REPAYMENTS']);
  });

  it('treats a wallet younger than 30 days as riskier and one older than a year as safer', () => {
    const aged = (days: number) =>
      behaviourAdjustment(
        { ...noHistory, walletOpenedAt: new Date(NOW.getTime() - days * DAY) },
        requested,
        NOW,
      );
    expect(aged(5)).toMatchObject({ logOdds: BEHAVIOUR_POLICY.newWallet, walletAgeDays: 5 });
    expect(aged(100)).toMatchObject({ logOdds: 0, walletAgeDays: 100 });
    expect(aged(400)).toMatchObject({ logOdds: BEHAVIOUR_POLICY.establishedWallet, walletAgeDays: 400 });
  });

  it('counts inflows only from three times the requested amount, in the same currency', () => {
    const withInflows = (amount: string, currency = 'CNY') =>
      behaviourAdjustment({ ...noHistory, inflows: Money.of(amount, currency) }, requested, NOW).logOdds;
    expect(withInflows('2999.99')).toBe(0);
    expect(withInflows('3000.00')).toBeCloseTo(BEHAVIOUR_POLICY.strongInflows);
    expect(withInflows('9000.00', 'USD')).toBe(0);
  });

  it('stays within its bounds and is monotone in repayments (property)', () => {
    fc.assert(
      fc.property(featuresArb, fc.integer({ min: 1, max: 5 }), (f, extra) => {
        const base = behaviourAdjustment(f, requested, NOW).logOdds;
        expect(base).toBeGreaterThanOrEqual(BEHAVIOUR_POLICY.minTotal);
        expect(base).toBeLessThanOrEqual(BEHAVIOUR_POLICY.maxTotal);
        const moreLate = behaviourAdjustment(
          { ...f, lateRepayments: f.lateRepayments + extra },
          requested,
          NOW,
        );
        const moreOnTime = behaviourAdjustment(
          { ...f, onTimeRepayments: f.onTimeRepayments + extra },
          requested,
          NOW,
        );
        expect(moreLate.logOdds).toBeGreaterThanOrEqual(base);
        expect(moreOnTime.logOdds).toBeLessThanOrEqual(base);
      }),
    );
  });
});

describe('decision policy', () => {
  const cutoff = model.artifact.decision.cutoffPd;

  it('approves below 10% PD, refers from 10% up to the cost-optimal cut-off, declines from it', () => {
    expect(decideFor(0.05, noHistory).decision).toBe('approve');
    expect(decideFor(0.0999, noHistory).decision).toBe('approve');
    expect(decideFor(0.1001, noHistory).decision).toBe('refer');
    expect(decideFor(cutoff - 0.001, noHistory).decision).toBe('refer');
    expect(decideFor(cutoff + 0.001, noHistory).decision).toBe('decline');
  });

  it('refers on any late repayment and declines from three, whatever the score', () => {
    const late = (n: number) => ({ ...noHistory, lateRepayments: n, onTimeRepayments: 50 });
    expect(decideFor(0.01, late(1)).decision).toBe('refer');
    expect(decideFor(0.01, late(2)).decision).toBe('refer');
    expect(decideFor(0.001, late(DECISION_POLICY.declineLateRepayments)).decision).toBe('decline');
  });

  it('lets a record of on-time repayments turn a referral into an approval', () => {
    const pd = 0.138;
    expect(decideFor(pd, noHistory).decision).toBe('refer');
    const history = decideFor(pd, { ...noHistory, onTimeRepayments: 8 });
    expect(history.decision).toBe('approve');
    expect(history.pd).toBeLessThan(pd);
  });

  it('grades the combined PD and sizes the maximum amount by grade, rounded down to the minor unit', () => {
    const a = decideFor(0.012, noHistory, Money.of('1000.01', 'CNY'));
    expect(a).toMatchObject({ grade: 'A', subGrade: 'A4', decision: 'approve' });
    expect(a.maxAmount.amount).toBe('1500.01'); // 1500.015 rounded down
    const jpy = decideFor(0.03, noHistory, Money.of('333', 'JPY'));
    expect(jpy.grade).toBe('B');
    expect(jpy.maxAmount.amount).toBe('416'); // 416.25 -> 416
    expect(decideFor(0.5, noHistory).maxAmount.amount).toBe('0.00');
  });

  it('is consistent for any PD and history (property)', () => {
    fc.assert(
      fc.property(pdArb, featuresArb, fc.integer({ min: 1, max: 100_000_000 }), (pd, f, minor) => {
        const amount = Money.fromMinor(BigInt(minor), 'CNY');
        const r = decideFor(pd, f, amount);
        expect(r.pd).toBeGreaterThanOrEqual(0);
        expect(r.pd).toBeLessThanOrEqual(1);
        expect(r.subGrade.startsWith(r.grade)).toBe(true);
        expect(r.score).toBeGreaterThanOrEqual(model.scaling.minScore);
        expect(r.score).toBeLessThanOrEqual(model.scaling.maxScore);
        // an approval is never below the requested amount, a decline is always zero, nothing above 1.5x
        if (r.decision === 'approve') expect(r.maxAmount.compare(amount)).toBeGreaterThanOrEqual(0);
        if (r.decision === 'decline') expect(r.maxAmount.isZero()).toBe(true);
        expect(r.maxAmount.compare(amount.times('1.5', 'DOWN'))).toBeLessThanOrEqual(0);
        if (r.decision === 'decline') expect(r.pd >= cutoff || f.lateRepayments >= 3).toBe(true);
        // a worse application PD never gets a better decision
        const worse = decideFor(Math.min(0.999, pd + 0.05), f, amount);
        expect(rank[worse.decision]).toBeGreaterThanOrEqual(rank[r.decision]);
        // one more late repayment never gets a better decision
        const later = decideFor(pd, { ...f, lateRepayments: f.lateRepayments + 1 }, amount);
        expect(rank[later.decision]).toBeGreaterThanOrEqual(rank[r.decision]);
      }),
    );
  });
});
