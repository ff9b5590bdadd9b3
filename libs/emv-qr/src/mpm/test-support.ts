// Helpers for specs: build payloads with a correct CRC so a test can aim at one rule at a time.
import { crc16ccitt } from '../crc/crc16';

/** `body` + "6304" + its CRC. */
export function withCrc(body: string): string {
  return body + '6304' + crc16ccitt(body + '6304');
}

/** One data object: ID, two-digit length in code points, value. */
export function tlv(id: string, value: string): string {
  const n = [...value].length;
  return id + String(n).padStart(2, '0') + value;
}

/** A minimal valid body (without CRC): a card-scheme account in 02 and every mandatory object. */
export const MINIMAL = {
  '00': '01',
  '02': '4000123412341234',
  '52': '5812',
  '53': '156',
  '58': 'CN',
  '59': 'NOODLE BAR',
  '60': 'BEIJING',
};

/** Builds a body from [id, value] pairs in the given order. */
export function body(pairs: Array<[string, string]>): string {
  return pairs.map(([id, v]) => tlv(id, v)).join('');
}

/** The MINIMAL body with some objects replaced, added (value) or removed (null), in ascending ID order. */
export function minimalWith(changes: Record<string, string | null>): string {
  const all: Record<string, string | null> = { ...MINIMAL, ...changes };
  return body(
    Object.entries(all)
      .filter((e): e is [string, string] => e[1] !== null)
      .sort(([a], [b]) => (a === '00' ? -1 : b === '00' ? 1 : a < b ? -1 : 1)),
  );
}
