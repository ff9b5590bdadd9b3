import { SettlementError } from '../errors/settlement-error';
import { TransferKind } from '../transfer/cleared-transfer';

export const KIND_PAYMENT = 0;
export const KIND_REFUND = 1;

/**
 * A window's transfers in columns: participant and currency ids interned to indexes, amounts as integer
 * minor units in Float64Array (each checked to be a safe integer, so every stored value is exact).
 */
export interface TransferColumns {
  count: number;
  participants: string[];
  currencies: string[];
  payer: Int32Array;
  payee: Int32Array;
  currency: Uint16Array;
  amount: Float64Array;
  /** Absent when no transfer has a fee, so the common case loops over less memory. */
  fee?: Float64Array;
  /** Absent when every transfer is a payment. */
  kind?: Uint8Array;
}

/** Builds TransferColumns row by row; grows its arrays geometrically. */
export class TransferColumnsBuilder {
  private count = 0;
  private readonly participantIndex = new Map<string, number>();
  private readonly currencyIndex = new Map<string, number>();
  private readonly participants: string[] = [];
  private readonly currencies: string[] = [];
  private payer: Int32Array;
  private payee: Int32Array;
  private currency: Uint16Array;
  private amount: Float64Array;
  private fee: Float64Array | undefined;
  private kind: Uint8Array | undefined;

  constructor(private capacity = 1024) {
    this.payer = new Int32Array(capacity);
    this.payee = new Int32Array(capacity);
    this.currency = new Uint16Array(capacity);
    this.amount = new Float64Array(capacity);
  }

  /** Index of a participant id, interning it on first sight. */
  participant(id: string): number {
    let i = this.participantIndex.get(id);
    if (i === undefined) {
      i = this.participants.length;
      this.participants.push(id);
      this.participantIndex.set(id, i);
    }
    return i;
  }

  currencyOf(code: string): number {
    let i = this.currencyIndex.get(code);
    if (i === undefined) {
      i = this.currencies.length;
      if (i > 0xffff)
        throw new SettlementError('CURRENCY_UNKNOWN', 'more than 65536 currencies in one window');
      this.currencies.push(code);
      this.currencyIndex.set(code, i);
    }
    return i;
  }

  add(
    payer: string,
    payee: string,
    amountMinor: bigint | number,
    currency: string,
    kind: TransferKind = 'payment',
    feeMinor: bigint | number = 0,
  ): void {
    if (payer === payee)
      throw new SettlementError(
        'SAME_PAYER_PAYEE',
        `transfer #${this.count + 1}: payer and payee are both ${payer}`,
      );
    this.addIndexed(
      this.participant(payer),
      this.participant(payee),
      safe(amountMinor, 'amount'),
      this.currencyOf(currency),
      kind === 'refund' ? KIND_REFUND : KIND_PAYMENT,
      safe(feeMinor, 'fee'),
    );
  }

  /** For loaders that intern ids themselves (e.g. straight from database columns). */
  addIndexed(
    payer: number,
    payee: number,
    amount: number,
    currency: number,
    kind = KIND_PAYMENT,
    fee = 0,
  ): void {
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    this.payer[i] = payer;
    this.payee[i] = payee;
    this.currency[i] = currency;
    this.amount[i] = amount;
    if (fee !== 0) {
      this.fee ??= new Float64Array(this.capacity);
      this.fee[i] = fee;
    }
    if (kind !== KIND_PAYMENT) {
      this.kind ??= new Uint8Array(this.capacity);
      this.kind[i] = kind;
    }
  }

  build(): TransferColumns {
    const n = this.count;
    const columns: TransferColumns = {
      count: n,
      participants: this.participants,
      currencies: this.currencies,
      payer: this.payer.subarray(0, n),
      payee: this.payee.subarray(0, n),
      currency: this.currency.subarray(0, n),
      amount: this.amount.subarray(0, n),
    };
    if (this.fee) columns.fee = this.fee.subarray(0, n);
    if (this.kind) columns.kind = this.kind.subarray(0, n);
    return columns;
  }

  private grow(): void {
    this.capacity *= 2;
    const grow = <T extends Int32Array | Uint16Array | Float64Array | Uint8Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(this.capacity);
      b.set(a);
      return b;
    };
    this.payer = grow(this.payer, (n) => new Int32Array(n));
    this.payee = grow(this.payee, (n) => new Int32Array(n));
    this.currency = grow(this.currency, (n) => new Uint16Array(n));
    this.amount = grow(this.amount, (n) => new Float64Array(n));
    if (this.fee) this.fee = grow(this.fee, (n) => new Float64Array(n));
    if (this.kind) this.kind = grow(this.kind, (n) => new Uint8Array(n));
  }
}

function safe(v: bigint | number, what: string): number {
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (!Number.isSafeInteger(n) || (typeof v === 'bigint' && BigInt(n) !== v)) {
    throw new SettlementError(
      'AMOUNT_OVERFLOW',
      `${what} ${String(v)} minor units is not a safe integer (|x| < 2^53)`,
    );
  }
  if (n < 0 || (what === 'amount' && n === 0)) {
    throw new SettlementError(
      'AMOUNT_NEGATIVE',
      `${what} must be ${what === 'amount' ? 'positive' : 'non-negative'}, got ${String(v)}`,
    );
  }
  return n;
}
