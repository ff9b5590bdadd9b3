import { formatMinorUnits } from '../amount/minor-units';
import { ExponentOf, requireExponent } from '../currency/exponent';
import { isoExponent } from '../currency/iso-exponent';
import { ReconciliationResult } from './reconciliation-types';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** The result with every minor-unit BigInt as a decimal string in its currency (keys ending Minor lose it). */
export function reconciliationToJson(
  result: ReconciliationResult,
  exponentOf: ExponentOf = isoExponent,
): Json {
  const convert = (value: unknown, currency: string | undefined): Json => {
    if (Array.isArray(value)) return value.map((v) => convert(v, currency));
    if (value !== null && typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      const ccy = typeof obj['currency'] === 'string' ? obj['currency'] : currency;
      const out: { [k: string]: Json } = {};
      for (const [k, v] of Object.entries(obj)) {
        if (v === undefined) continue;
        if (typeof v === 'bigint') {
          if (ccy === undefined) throw new Error(`no currency for ${k}`);
          out[k.endsWith('Minor') ? k.slice(0, -5) : k] = formatMinorUnits(
            v,
            requireExponent(exponentOf, ccy),
          );
        } else out[k] = convert(v, ccy);
      }
      return out;
    }
    if (
      typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'boolean' ||
      value === null
    )
      return value;
    return String(value);
  };
  return convert(result, undefined);
}
