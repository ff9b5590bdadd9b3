// String arithmetic for the posting hot path, where decimal.js per transfer costs more than the SQL.
// Both agree with Money.of(...).toMinor() / Money.fromMinor(...).amount (see minor-units.spec.ts).

const PLAIN = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Minor units of a plain decimal string at `exponent`, or null when malformed or too precise. */
export function parseMinor(decimal: string, exponent: number): bigint | null {
  const m = PLAIN.exec(decimal);
  if (!m) return null;
  let frac = m[3] ?? '';
  if (frac.length > exponent) {
    if (!/^0*$/.test(frac.slice(exponent))) return null;
    frac = frac.slice(0, exponent);
  }
  const v = BigInt(m[2]! + frac.padEnd(exponent, '0'));
  return m[1] === '-' ? -v : v;
}

/** The decimal string of `minor` units with exactly `exponent` decimals ("12.30", "-0.05", "500"). */
export function formatMinor(minor: bigint, exponent: number): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
  const int = digits.slice(0, digits.length - exponent);
  const body = exponent === 0 ? int : `${int}.${digits.slice(digits.length - exponent)}`;
  return negative ? `-${body}` : body;
}
