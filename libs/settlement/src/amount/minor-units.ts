import { SettlementError } from '../errors/settlement-error';

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal string into integer minor units for a currency with `exponent` decimals.
 * More decimals than the currency allows is an error rather than a rounding: a settlement file that
 * says 1.005 CNY is wrong, and silently rounding it would hide that.
 */
export function parseMinorUnits(text: string, exponent: number, line?: number): bigint {
  const m = DECIMAL.exec(text.trim());
  if (!m) {
    throw new SettlementError(
      'AMOUNT_MALFORMED',
      `amount "${text}" is not a decimal number like 12.34`,
      line,
    );
  }
  const [, sign, whole, frac = ''] = m;
  let digits = frac;
  if (digits.length > exponent) {
    // Trailing zeros beyond the exponent carry no value (banks write 10.00 for JPY 10 sometimes).
    const extra = digits.slice(exponent);
    if (/[^0]/.test(extra)) {
      throw new SettlementError(
        'AMOUNT_TOO_PRECISE',
        `amount "${text}" has ${frac.length} decimals but the currency allows ${exponent}`,
        line,
      );
    }
    digits = digits.slice(0, exponent);
  }
  const minor = BigInt(whole + digits.padEnd(exponent, '0'));
  return sign ? -minor : minor;
}

/** Formats integer minor units as a decimal string with exactly `exponent` decimals. */
export function formatMinorUnits(minor: bigint, exponent: number): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString();
  if (exponent === 0) return (negative ? '-' : '') + digits;
  const padded = digits.padStart(exponent + 1, '0');
  const whole = padded.slice(0, padded.length - exponent);
  const frac = padded.slice(padded.length - exponent);
  return `${negative ? '-' : ''}${whole}.${frac}`;
}
