// Netting throughput: the columnar BigInt-free path against summing decimal.js Money one transfer at a time.
import { deepStrictEqual } from 'node:assert';
import { Money } from '@paylend/ledger';
import {
  KIND_PAYMENT,
  KIND_REFUND,
  NettingModel,
  NettingResult,
  Position,
  TransferColumns,
  TransferColumnsBuilder,
  comparePositions,
  completePosition,
  emptyPosition,
  netColumns,
  totalsOf,
} from '@paylend/settlement';
import type { BenchMetric } from '@paylend/testing';

export const MODEL: NettingModel = { kind: 'multilateral-net', feeParticipant: 'platform:fees' };

/** Deterministic PRNG (mulberry32) so every run nets the same window. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A window of `count` CNY transfers among `participants`: 95% payments with a 0.6% fee, 5% refunds; amounts
 * 0.01 .. 10,000.00. Returned in columns (ids interned to indexes, integer minor units).
 */
export function generateWindow(count: number, participants: number, seed = 42): TransferColumns {
  const rnd = prng(seed);
  const b = new TransferColumnsBuilder(count);
  for (let p = 0; p < participants; p++) b.participant(`p${String(p).padStart(5, '0')}`);
  const cny = b.currencyOf('CNY');
  for (let i = 0; i < count; i++) {
    const payer = Math.floor(rnd() * participants);
    let payee = Math.floor(rnd() * (participants - 1));
    if (payee >= payer) payee += 1;
    const amount = 1 + Math.floor(rnd() * 1_000_000);
    const refund = rnd() < 0.05;
    const fee = refund ? 0 : Math.floor((amount * 6) / 1000);
    b.addIndexed(payer, payee, amount, cny, refund ? KIND_REFUND : KIND_PAYMENT, fee);
  }
  return b.build();
}

interface MoneyTransfer {
  payer: string;
  payee: string;
  amount: Money;
  fee: Money;
  refund: boolean;
}

/** The same window as decimal.js Money objects, built before timing (the baseline is summing, not parsing). */
export function asMoneyTransfers(c: TransferColumns): MoneyTransfer[] {
  const out: MoneyTransfer[] = new Array(c.count);
  for (let i = 0; i < c.count; i++) {
    const currency = c.currencies[c.currency[i]];
    out[i] = {
      payer: c.participants[c.payer[i]],
      payee: c.participants[c.payee[i]],
      amount: Money.fromMinor(BigInt(c.amount[i]), currency),
      fee: Money.fromMinor(BigInt(c.fee ? c.fee[i] : 0), currency),
      refund: c.kind !== undefined && c.kind[i] === KIND_REFUND,
    };
  }
  return out;
}

interface MoneyCell {
  participant: string;
  currency: string;
  paymentsIn: Money;
  paymentsOut: Money;
  refundsIn: Money;
  refundsOut: Money;
  feesIn: Money;
  feesOut: Money;
  count: number;
}

/** Baseline: a Map of Money accumulators, one plus() per leg per transfer. */
export function netWithMoney(
  transfers: readonly MoneyTransfer[],
  model: NettingModel,
  windowId: string,
): NettingResult {
  const cells = new Map<string, MoneyCell>();
  const counts = new Map<string, number>();
  const cell = (participant: string, currency: string): MoneyCell => {
    const key = `${participant}\u0000${currency}`;
    let c = cells.get(key);
    if (!c) {
      const z = Money.zero(currency);
      c = {
        participant,
        currency,
        paymentsIn: z,
        paymentsOut: z,
        refundsIn: z,
        refundsOut: z,
        feesIn: z,
        feesOut: z,
        count: 0,
      };
      cells.set(key, c);
    }
    return c;
  };
  for (const t of transfers) {
    const currency = t.amount.currency.code;
    const payer = cell(t.payer, currency);
    const payee = cell(t.payee, currency);
    payer.count += 1;
    payee.count += 1;
    counts.set(currency, (counts.get(currency) ?? 0) + 1);
    if (t.refund) {
      payer.refundsOut = payer.refundsOut.plus(t.amount);
      payee.refundsIn = payee.refundsIn.plus(t.amount);
    } else {
      payer.paymentsOut = payer.paymentsOut.plus(t.amount);
      payee.paymentsIn = payee.paymentsIn.plus(t.amount);
    }
    if (!t.fee.isZero()) {
      const merchant = t.refund ? payer : payee;
      merchant.feesOut = merchant.feesOut.plus(t.fee);
      const fees = cell(model.feeParticipant, currency);
      fees.feesIn = fees.feesIn.plus(t.fee);
    }
  }
  const positions: Position[] = [...cells.values()]
    .map((c) => {
      const p = emptyPosition(c.participant, c.currency);
      p.paymentsIn = c.paymentsIn.toMinor();
      p.paymentsOut = c.paymentsOut.toMinor();
      p.refundsIn = c.refundsIn.toMinor();
      p.refundsOut = c.refundsOut.toMinor();
      p.feesIn = c.feesIn.toMinor();
      p.feesOut = c.feesOut.toMinor();
      p.transferCount = c.count;
      return completePosition(p);
    })
    .sort(comparePositions);
  return { windowId, model, positions, totals: totalsOf(positions, counts) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function measureNetting(
  count = 1_000_000,
  participants = 10_000,
): { metrics: Record<string, BenchMetric>; notes: string } {
  let t = performance.now();
  const columns = generateWindow(count, participants);
  const generateMs = performance.now() - t;

  let fast: NettingResult = netColumns(columns, MODEL, 'bench');
  const runs: number[] = [];
  for (let i = 0; i < 7; i++) {
    t = performance.now();
    fast = netColumns(columns, MODEL, 'bench');
    runs.push(performance.now() - t);
  }
  const fastMs = median(runs);

  t = performance.now();
  const moneyTransfers = asMoneyTransfers(columns);
  const buildMoneyMs = performance.now() - t;
  t = performance.now();
  const baseline = netWithMoney(moneyTransfers, MODEL, 'bench');
  const baselineMs = performance.now() - t;

  // Both must agree to the minor unit on every component of every position, and on the totals.
  deepStrictEqual(fast, baseline);
  const sumNet = fast.totals.reduce((s, x) => s + x.net, 0n);
  if (sumNet !== 0n) throw new Error(`net positions sum to ${sumNet}, not zero`);

  const fastRate = count / (fastMs / 1000);
  const baseRate = count / (baselineMs / 1000);
  return {
    metrics: {
      netting_transfers_per_s: { value: Math.round(fastRate), unit: 'transfers/s', target: 5_000_000 },
      baseline_netting_transfers_per_s: { value: Math.round(baseRate), unit: 'transfers/s' },
      speedup_netting: { value: fastRate / baseRate, unit: 'x' },
    },
    notes:
      `Netting ${count.toLocaleString('en')} transfers (95% payments with 0.6% fee, 5% refunds, CNY) among ${participants.toLocaleString('en')} participants, ` +
      `${fast.positions.length} positions. Fast path: netColumns over pre-interned typed arrays of integer minor units ` +
      `(exact while the window's grand total stays below 2^53, checked; BigInt re-run otherwise), median of 7 runs ` +
      `(${runs.map((r) => r.toFixed(1)).join('/')} ms). Baseline: decimal.js Money.plus per leg per transfer into a Map, ` +
      `one run of ${baselineMs.toFixed(0)} ms over Money objects built beforehand (${buildMoneyMs.toFixed(0)} ms, not timed). ` +
      `Both results asserted deep-equal (every component of every position, and totals). Generating and interning the window took ${generateMs.toFixed(0)} ms (not timed).`,
  };
}
