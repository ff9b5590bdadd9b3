import { formatMinorUnits } from '../amount/minor-units';
import { ExponentOf, requireExponent } from '../currency/exponent';
import { isoExponent } from '../currency/iso-exponent';
import { NettingResult } from './position';

export interface PositionSummary {
  participant: string;
  currency: string;
  sent: string;
  received: string;
  net: string;
}

export interface TotalSummary {
  currency: string;
  transfers: number;
  sent: string;
  received: string;
  net: string;
}

/** The operator view of a netting: per participant and currency, and per currency; decimal strings. */
export function summarize(
  result: NettingResult,
  exponentOf: ExponentOf = isoExponent,
): { positions: PositionSummary[]; totals: TotalSummary[] } {
  const fmt = (minor: bigint, currency: string) =>
    formatMinorUnits(minor, requireExponent(exponentOf, currency));
  return {
    positions: result.positions.map((p) => ({
      participant: p.participant,
      currency: p.currency,
      sent: fmt(p.sent, p.currency),
      received: fmt(p.received, p.currency),
      net: fmt(p.net, p.currency),
    })),
    totals: result.totals.map((t) => ({
      currency: t.currency,
      transfers: t.transferCount,
      sent: fmt(t.sent, t.currency),
      received: fmt(t.received, t.currency),
      net: fmt(t.net, t.currency),
    })),
  };
}
