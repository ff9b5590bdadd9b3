import {
  NettingModel,
  NettingResult,
  Position,
  comparePositions,
  completePosition,
  emptyPosition,
  totalsOf,
} from './position';
import { KIND_PAYMENT, TransferColumns } from './transfer-columns';

const COMPONENTS = 6;
const PAY_IN = 0;
const PAY_OUT = 1;
const REF_IN = 2;
const REF_OUT = 3;
const FEE_IN = 4;
const FEE_OUT = 5;

/**
 * The fast netting path: one pass over typed arrays summing integer-valued doubles.
 *
 * Why it is exact: every input is a non-negative safe integer, so every per-participant partial sum is at
 * most the grand total of all amounts and fees. While that grand total stays <= 2^53 - 1 each addition is
 * exact. The grand total is summed in the same pass; if it ever exceeds 2^53 - 1 (doubles are monotone, so
 * it is then still seen as too large) the result is thrown away and the window is netted again in BigInt.
 */
export function netColumns(columns: TransferColumns, model: NettingModel, windowId: string): NettingResult {
  const nC = columns.currencies.length;
  const feeIndex = columns.participants.indexOf(model.feeParticipant);
  const participants =
    feeIndex >= 0 || !columns.fee ? columns.participants : [...columns.participants, model.feeParticipant];
  const feeP = feeIndex >= 0 ? feeIndex : columns.participants.length;
  const cells = participants.length * nC;
  const sums = new Float64Array(cells * COMPONENTS);
  const touched = new Uint32Array(cells);
  const grand = accumulateNumbers(columns, sums, touched, nC, feeP);
  if (grand > Number.MAX_SAFE_INTEGER) {
    return fromBig(columns, participants, accumulateBig(columns, nC, feeP, cells), touched, model, windowId);
  }
  const positions: Position[] = [];
  for (let cell = 0; cell < cells; cell++) {
    // Only the fee participant can hold a position without taking part in a transfer.
    if (touched[cell] === 0 && sums[cell * COMPONENTS + FEE_IN] === 0) continue;
    const p = emptyPosition(participants[Math.floor(cell / nC)], columns.currencies[cell % nC]);
    const o = cell * COMPONENTS;
    p.paymentsIn = BigInt(sums[o + PAY_IN]);
    p.paymentsOut = BigInt(sums[o + PAY_OUT]);
    p.refundsIn = BigInt(sums[o + REF_IN]);
    p.refundsOut = BigInt(sums[o + REF_OUT]);
    p.feesIn = BigInt(sums[o + FEE_IN]);
    p.feesOut = BigInt(sums[o + FEE_OUT]);
    p.transferCount = touched[cell];
    positions.push(completePosition(p));
  }
  positions.sort(comparePositions);
  return { windowId, model, positions, totals: totalsOf(positions, currencyCounts(columns)) };
}

function accumulateNumbers(
  c: TransferColumns,
  sums: Float64Array,
  touched: Uint32Array,
  nC: number,
  feeP: number,
): number {
  const { payer, payee, currency, amount, count, fee, kind } = c;
  let grand = 0;
  if (!fee && !kind) {
    // The common window: payments only, no fees. Kept branch-free for speed.
    for (let i = 0; i < count; i++) {
      const cur = currency[i];
      const a = amount[i];
      const from = payer[i] * nC + cur;
      const to = payee[i] * nC + cur;
      sums[from * COMPONENTS + PAY_OUT] += a;
      sums[to * COMPONENTS + PAY_IN] += a;
      touched[from] += 1;
      touched[to] += 1;
      grand += a;
    }
    return grand;
  }
  for (let i = 0; i < count; i++) {
    const cur = currency[i];
    const a = amount[i];
    const f = fee ? fee[i] : 0;
    const from = payer[i] * nC + cur;
    const to = payee[i] * nC + cur;
    touched[from] += 1;
    touched[to] += 1;
    let merchant: number;
    if (!kind || kind[i] === KIND_PAYMENT) {
      sums[from * COMPONENTS + PAY_OUT] += a;
      sums[to * COMPONENTS + PAY_IN] += a;
      merchant = to;
    } else {
      sums[from * COMPONENTS + REF_OUT] += a;
      sums[to * COMPONENTS + REF_IN] += a;
      merchant = from;
    }
    if (f !== 0) {
      sums[merchant * COMPONENTS + FEE_OUT] += f;
      sums[(feeP * nC + cur) * COMPONENTS + FEE_IN] += f;
    }
    grand += a + f;
  }
  return grand;
}

function accumulateBig(c: TransferColumns, nC: number, feeP: number, cells: number): bigint[] {
  const sums = new Array<bigint>(cells * COMPONENTS).fill(0n);
  for (let i = 0; i < c.count; i++) {
    const cur = c.currency[i];
    const a = BigInt(c.amount[i]);
    const f = c.fee ? BigInt(c.fee[i]) : 0n;
    const from = c.payer[i] * nC + cur;
    const to = c.payee[i] * nC + cur;
    let merchant: number;
    if (!c.kind || c.kind[i] === KIND_PAYMENT) {
      sums[from * COMPONENTS + PAY_OUT] += a;
      sums[to * COMPONENTS + PAY_IN] += a;
      merchant = to;
    } else {
      sums[from * COMPONENTS + REF_OUT] += a;
      sums[to * COMPONENTS + REF_IN] += a;
      merchant = from;
    }
    if (f !== 0n) {
      sums[merchant * COMPONENTS + FEE_OUT] += f;
      sums[(feeP * nC + cur) * COMPONENTS + FEE_IN] += f;
    }
  }
  return sums;
}

function fromBig(
  c: TransferColumns,
  participants: string[],
  sums: bigint[],
  touched: Uint32Array,
  model: NettingModel,
  windowId: string,
): NettingResult {
  const nC = c.currencies.length;
  const positions: Position[] = [];
  for (let cell = 0; cell < touched.length; cell++) {
    const o = cell * COMPONENTS;
    if (touched[cell] === 0 && sums[o + FEE_IN] === 0n) continue;
    const p = emptyPosition(participants[Math.floor(cell / nC)], c.currencies[cell % nC]);
    p.paymentsIn = sums[o + PAY_IN];
    p.paymentsOut = sums[o + PAY_OUT];
    p.refundsIn = sums[o + REF_IN];
    p.refundsOut = sums[o + REF_OUT];
    p.feesIn = sums[o + FEE_IN];
    p.feesOut = sums[o + FEE_OUT];
    p.transferCount = touched[cell];
    positions.push(completePosition(p));
  }
  positions.sort(comparePositions);
  return { windowId, model, positions, totals: totalsOf(positions, currencyCounts(c)) };
}

function currencyCounts(c: TransferColumns): Map<string, number> {
  const perCurrency = new Uint32Array(c.currencies.length);
  for (let i = 0; i < c.count; i++) perCurrency[c.currency[i]] += 1;
  return new Map(c.currencies.map((code, i) => [code, perCurrency[i]]));
}
