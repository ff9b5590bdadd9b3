/** The settlement models of the issue: gross pays each side of a position separately, net offsets them. */
export type NettingModelKind = 'gross' | 'multilateral-net';

export interface NettingModel {
  kind: NettingModelKind;
  /** Participant that earns the fees (the platform's fee income account). */
  feeParticipant: string;
}

/** One participant's position in one currency for one window, all in minor units. */
export interface Position {
  participant: string;
  currency: string;
  paymentsIn: bigint;
  paymentsOut: bigint;
  refundsIn: bigint;
  refundsOut: bigint;
  feesIn: bigint;
  feesOut: bigint;
  /** paymentsIn + refundsIn + feesIn */
  received: bigint;
  /** paymentsOut + refundsOut + feesOut */
  sent: bigint;
  /** received - sent: positive means the participant is paid out, negative means it is collected from. */
  net: bigint;
  transferCount: number;
}

export interface CurrencyTotal {
  currency: string;
  transferCount: number;
  /** Sum of transfer amounts (payments and refunds), excluding fees. */
  volume: bigint;
  fees: bigint;
  received: bigint;
  sent: bigint;
  /** Sum of every participant's net: zero unless something is badly wrong; kept so reports can show it. */
  net: bigint;
}

export interface NettingResult {
  windowId: string;
  model: NettingModel;
  /** Sorted by participant then currency (code-unit order, so every path sorts alike). */
  positions: Position[];
  totals: CurrencyTotal[];
}

export function emptyPosition(participant: string, currency: string): Position {
  return {
    participant,
    currency,
    paymentsIn: 0n,
    paymentsOut: 0n,
    refundsIn: 0n,
    refundsOut: 0n,
    feesIn: 0n,
    feesOut: 0n,
    received: 0n,
    sent: 0n,
    net: 0n,
    transferCount: 0,
  };
}

/** Fills received/sent/net from the components. */
export function completePosition(p: Position): Position {
  p.received = p.paymentsIn + p.refundsIn + p.feesIn;
  p.sent = p.paymentsOut + p.refundsOut + p.feesOut;
  p.net = p.received - p.sent;
  return p;
}

export function comparePositions(a: Position, b: Position): number {
  if (a.participant !== b.participant) return a.participant < b.participant ? -1 : 1;
  if (a.currency !== b.currency) return a.currency < b.currency ? -1 : 1;
  return 0;
}

export function totalsOf(
  positions: readonly Position[],
  transferCounts: ReadonlyMap<string, number>,
): CurrencyTotal[] {
  const byCurrency = new Map<string, CurrencyTotal>();
  for (const p of positions) {
    let t = byCurrency.get(p.currency);
    if (!t) {
      t = {
        currency: p.currency,
        transferCount: transferCounts.get(p.currency) ?? 0,
        volume: 0n,
        fees: 0n,
        received: 0n,
        sent: 0n,
        net: 0n,
      };
      byCurrency.set(p.currency, t);
    }
    t.volume += p.paymentsIn + p.refundsIn;
    t.fees += p.feesOut;
    t.received += p.received;
    t.sent += p.sent;
    t.net += p.net;
  }
  return [...byCurrency.values()].sort((a, b) =>
    a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0,
  );
}
