import { formatMinorUnits } from '../amount/minor-units';
import { ExponentOf, requireExponent } from '../currency/exponent';
import { isoExponent } from '../currency/iso-exponent';
import { csvLine } from '../csv/csv';
import { SettlementInstruction } from '../instruction/settlement-instruction';
import { NettingModelKind, NettingResult } from '../netting/position';
import { SettlementWindow, WindowStatus } from '../window/settlement-window';

/** One participant and currency; amounts are decimal strings. net = gross_in - gross_out - refunds - fees. */
export interface ReportRow {
  participant: string;
  currency: string;
  transferCount: number;
  grossIn: string;
  grossOut: string;
  /** Refunds paid minus refunds received. */
  refunds: string;
  /** Fees paid minus fees earned (negative for the fee account). */
  fees: string;
  net: string;
  payoutReference: string;
  payoutAmount: string;
  collectionReference: string;
  collectionAmount: string;
  bankAccount: string;
  executionDate: string;
}

export interface ReportTotal {
  currency: string;
  transferCount: number;
  volume: string;
  fees: string;
  payouts: string;
  collections: string;
  /** Sum of all nets: "0" (with the currency's decimals) when the window balances. */
  net: string;
}

export interface SettlementReport {
  windowId: string;
  scheme: string;
  status: WindowStatus;
  model: NettingModelKind;
  openedAt: string;
  closedAt: string | null;
  rows: ReportRow[];
  totals: ReportTotal[];
}

export function report(
  window: SettlementWindow,
  result: NettingResult,
  instructions: readonly SettlementInstruction[],
  exponentOf: ExponentOf = isoExponent,
): SettlementReport {
  const byKey = new Map<string, SettlementInstruction[]>();
  for (const i of instructions) {
    const key = `${i.participant}\u0000${i.currency}`;
    byKey.set(key, [...(byKey.get(key) ?? []), i]);
  }
  const fmt = (minor: bigint, currency: string) =>
    formatMinorUnits(minor, requireExponent(exponentOf, currency));
  const rows = result.positions.map((p): ReportRow => {
    const mine = byKey.get(`${p.participant}\u0000${p.currency}`) ?? [];
    const payout = mine.find((i) => i.direction === 'payout');
    const collection = mine.find((i) => i.direction === 'collection');
    return {
      participant: p.participant,
      currency: p.currency,
      transferCount: p.transferCount,
      grossIn: fmt(p.paymentsIn, p.currency),
      grossOut: fmt(p.paymentsOut, p.currency),
      refunds: fmt(p.refundsOut - p.refundsIn, p.currency),
      fees: fmt(p.feesOut - p.feesIn, p.currency),
      net: fmt(p.net, p.currency),
      payoutReference: payout?.reference ?? '',
      payoutAmount: payout?.amount ?? '',
      collectionReference: collection?.reference ?? '',
      collectionAmount: collection?.amount ?? '',
      bankAccount: (payout ?? collection)?.bankAccount ?? '',
      executionDate: (payout ?? collection)?.executionDate ?? '',
    };
  });
  const totals = result.totals.map((t): ReportTotal => {
    const sum = (d: 'payout' | 'collection') =>
      instructions
        .filter((i) => i.currency === t.currency && i.direction === d)
        .reduce((s, i) => s + i.amountMinor, 0n);
    return {
      currency: t.currency,
      transferCount: t.transferCount,
      volume: fmt(t.volume, t.currency),
      fees: fmt(t.fees, t.currency),
      payouts: fmt(sum('payout'), t.currency),
      collections: fmt(sum('collection'), t.currency),
      net: fmt(t.net, t.currency),
    };
  });
  return {
    windowId: window.id,
    scheme: window.scheme,
    status: window.status,
    model: result.model.kind,
    openedAt: window.openedAt,
    closedAt: window.closedAt ?? null,
    rows,
    totals,
  };
}

export const REPORT_CSV_COLUMNS = [
  'window_id',
  'participant',
  'currency',
  'transfer_count',
  'gross_in',
  'gross_out',
  'refunds',
  'fees',
  'net',
  'payout_reference',
  'payout_amount',
  'collection_reference',
  'collection_amount',
  'bank_account',
  'execution_date',
] as const;

/** One header line and one line per row; totals are derivable and left to the JSON form. */
export function toCsv(r: SettlementReport): string {
  const lines = [csvLine(REPORT_CSV_COLUMNS)];
  for (const row of r.rows) {
    lines.push(
      csvLine([
        r.windowId,
        row.participant,
        row.currency,
        String(row.transferCount),
        row.grossIn,
        row.grossOut,
        row.refunds,
        row.fees,
        row.net,
        row.payoutReference,
        row.payoutAmount,
        row.collectionReference,
        row.collectionAmount,
        row.bankAccount,
        row.executionDate,
      ]),
    );
  }
  return lines.join('\n') + '\n';
}

export function toJson(r: SettlementReport): string {
  return JSON.stringify(r, null, 2) + '\n';
}
