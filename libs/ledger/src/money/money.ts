import { allocateMinor, ratiosToWeights } from './allocation';
import { Currency, currencyOf } from './currency';
import { MoneyError } from './money-error';
import { Dec, decimalRounding, RoundingMode } from './rounding';

const AMOUNT = /^-?\d+(\.\d+)?$/;

export interface FormatOptions {
  /** Thousands separator; default ",". Use "" for none. */
  grouping?: string;
  /** Where the currency code goes; default "prefix" ("CNY 1,234.50"). */
  code?: 'prefix' | 'suffix' | 'none';
}

/**
 * An immutable amount of one currency, always holding a whole number of the currency's minor units.
 * Built only from decimal strings or BigInt minor units: a JS number is rejected, because it may already
 * have lost precision before it reached us. Operations that can produce sub-minor digits take a named
 * rounding mode; plus/minus/negate are exact.
 */
export class Money {
  private constructor(
    private readonly value: Dec,
    readonly currency: Currency,
  ) {}

  /**
   * Parses a plain decimal string ("12.30", "-5", "0.125"). More decimals than the currency allows are an
   * error (TOO_MANY_DECIMALS) unless `rounding` names how to round them away.
   */
  static of(amount: string, currencyCode: string, rounding?: RoundingMode): Money {
    const currency = currencyOf(currencyCode);
    if (typeof amount !== 'string') {
      throw new MoneyError(
        'AMOUNT_NOT_A_STRING',
        `amount must be a decimal string such as "12.30", not a ${typeof amount}; JS numbers lose precision`,
      );
    }
    if (!AMOUNT.test(amount)) {
      throw new MoneyError(
        'AMOUNT_MALFORMED',
        `amount "${amount}" is not a plain decimal such as "12.30" or "-5"`,
      );
    }
    const d = new Dec(amount);
    if (d.decimalPlaces() > currency.exponent) {
      if (rounding === undefined) {
        throw new MoneyError(
          'TOO_MANY_DECIMALS',
          `amount "${amount}" has more than ${currency.exponent} decimal places allowed for ${currency.code}; ` +
            'pass a rounding mode to round it',
        );
      }
      return new Money(d.toDecimalPlaces(currency.exponent, decimalRounding(rounding)), currency);
    }
    return new Money(d, currency);
  }

  static fromMinor(minor: bigint, currencyCode: string): Money {
    if (typeof minor !== 'bigint') {
      throw new MoneyError('AMOUNT_NOT_A_STRING', `minor units must be a BigInt, not a ${typeof minor}`);
    }
    const currency = currencyOf(currencyCode);
    return new Money(new Dec(minor.toString()).div(new Dec(10).pow(currency.exponent)), currency);
  }

  static zero(currencyCode: string): Money {
    return Money.fromMinor(0n, currencyCode);
  }

  /** The amount as a decimal string with exactly the currency's number of decimals ("12.30", "500" for JPY). */
  get amount(): string {
    return this.value.toFixed(this.currency.exponent);
  }

  toMinor(): bigint {
    return BigInt(this.value.times(new Dec(10).pow(this.currency.exponent)).toFixed(0));
  }

  plus(other: Money): Money {
    this.sameCurrency(other, 'add');
    return new Money(this.value.plus(other.value), this.currency);
  }

  minus(other: Money): Money {
    this.sameCurrency(other, 'subtract');
    return new Money(this.value.minus(other.value), this.currency);
  }

  negated(): Money {
    return new Money(this.value.negated(), this.currency);
  }

  abs(): Money {
    return new Money(this.value.abs(), this.currency);
  }

  /** Multiplies by a decimal-string factor (a rate, a percentage as "0.015"), rounding with `rounding`. */
  times(factor: string, rounding: RoundingMode): Money {
    return this.round(this.value.times(parseFactor(factor)), rounding);
  }

  dividedBy(divisor: string, rounding: RoundingMode): Money {
    const d = parseFactor(divisor);
    if (d.isZero()) throw new MoneyError('DIVISION_BY_ZERO', 'cannot divide money by zero');
    return this.round(this.value.div(d), rounding);
  }

  compare(other: Money): -1 | 0 | 1 {
    this.sameCurrency(other, 'compare');
    return this.value.comparedTo(other.value) as -1 | 0 | 1;
  }

  equals(other: Money): boolean {
    return this.currency.code === other.currency.code && this.value.equals(other.value);
  }

  greaterThan(other: Money): boolean {
    return this.compare(other) > 0;
  }

  lessThan(other: Money): boolean {
    return this.compare(other) < 0;
  }

  isZero(): boolean {
    return this.value.isZero();
  }

  isPositive(): boolean {
    return this.value.greaterThan(0);
  }

  isNegative(): boolean {
    return this.value.lessThan(0);
  }

  /**
   * Splits by decimal-string ratios ("70", "30" or "0.7", "0.3") with the largest-remainder method; the
   * parts always add up to this amount exactly.
   */
  allocate(ratios: readonly string[]): Money[] {
    return allocateMinor(this.toMinor(), ratiosToWeights(ratios)).map((m) =>
      Money.fromMinor(m, this.currency.code),
    );
  }

  /** Splits into `parts` amounts differing by at most one minor unit, larger ones first. */
  split(parts: number): Money[] {
    if (!Number.isInteger(parts) || parts < 1) {
      throw new MoneyError('RATIOS_INVALID', `cannot split into ${parts} parts; use a positive integer`);
    }
    return allocateMinor(
      this.toMinor(),
      Array.from({ length: parts }, () => 1n),
    ).map((m) => Money.fromMinor(m, this.currency.code));
  }

  /** Human-readable: "CNY 1,234.50", "-JPY 500" style; never parsed back (use `amount` for that). */
  format(options: FormatOptions = {}): string {
    const grouping = options.grouping ?? ',';
    const [int, frac] = this.value.abs().toFixed(this.currency.exponent).split('.');
    const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, grouping);
    const number = (this.isNegative() ? '-' : '') + grouped + (frac ? `.${frac}` : '');
    switch (options.code ?? 'prefix') {
      case 'prefix':
        return `${this.currency.code} ${number}`;
      case 'suffix':
        return `${number} ${this.currency.code}`;
      case 'none':
        return number;
    }
  }

  toString(): string {
    return `${this.amount} ${this.currency.code}`;
  }

  toJSON(): { amount: string; currency: string } {
    return { amount: this.amount, currency: this.currency.code };
  }

  private round(v: Dec, rounding: RoundingMode): Money {
    return new Money(v.toDecimalPlaces(this.currency.exponent, decimalRounding(rounding)), this.currency);
  }

  private sameCurrency(other: Money, what: string): void {
    if (other.currency.code !== this.currency.code) {
      throw new MoneyError(
        'CURRENCY_MISMATCH',
        `cannot ${what} ${other.currency.code} and ${this.currency.code}; convert first`,
      );
    }
  }
}

function parseFactor(f: string): Dec {
  if (typeof f !== 'string' || !AMOUNT.test(f)) {
    throw new MoneyError(
      'AMOUNT_MALFORMED',
      `factor "${String(f)}" is not a plain decimal string such as "0.015"`,
    );
  }
  return new Dec(f);
}
