// ID-length-value parsing over characters (code points), with absolute positions for error reports.
// When a payload holds no surrogate pairs its string indices are code point indices, so it is parsed as
// the string itself (the common, fast case); otherwise as an array of code points.
import type { EmvQrError } from '../errors/emv-qr-error';

export type Chars = string | readonly string[];

export interface RawObject {
  id: string;
  /** The ID as a number, 0–99. */
  n: number;
  value: string;
  /** Position of the ID's first character. */
  pos: number;
  /** Position of the value's first character. */
  valuePos: number;
  /** Value length in characters. */
  length: number;
}

/** "00".."99", so reading an ID allocates no substring. */
const IDS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));

export function slice(chars: Chars, from: number, to: number): string {
  return typeof chars === 'string' ? chars.slice(from, to) : chars.slice(from, to).join('');
}

function digit(chars: Chars, i: number): number {
  const c =
    typeof chars === 'string' ? chars.charCodeAt(i) : chars[i].length === 1 ? chars[i].charCodeAt(0) : -1;
  return c >= 48 && c <= 57 ? c - 48 : -1;
}

/**
 * Parses the data objects in chars[from, to). `where` names the enclosing template for messages
 * ("the payload", "template 62"). Returns the objects, or the first structural error.
 */
export function parseObjects(
  chars: Chars,
  from: number,
  to: number,
  where: string,
): RawObject[] | EmvQrError {
  const out: RawObject[] = [];
  let i = from;
  while (i < to) {
    const remaining = to - i;
    const d0 = remaining >= 1 ? digit(chars, i) : -1;
    const d1 = remaining >= 2 ? digit(chars, i + 1) : -1;
    if (remaining < 2 || d0 < 0 || d1 < 0) {
      return {
        code: 'ID_MALFORMED',
        message: `${where}: expected a two-digit data object ID at position ${i}, found "${slice(chars, i, Math.min(i + 2, to))}"`,
        position: i,
      };
    }
    const id = IDS[d0 * 10 + d1];
    if (remaining < 4) {
      return {
        code: 'LENGTH_OVERRUN',
        message: `${where}: data object ${id} at position ${i} is cut short before its two-digit length`,
        position: i + 2,
      };
    }
    const l0 = digit(chars, i + 2);
    const l1 = digit(chars, i + 3);
    if (l0 < 0 || l1 < 0) {
      return {
        code: 'LENGTH_MALFORMED',
        message: `${where}: data object ${id} at position ${i} has length "${slice(chars, i + 2, i + 4)}"; a length is two digits`,
        position: i + 2,
      };
    }
    const length = l0 * 10 + l1;
    if (length === 0) {
      return {
        code: 'LENGTH_MALFORMED',
        message: `${where}: data object ${id} at position ${i} has length 00; lengths run from 01 to 99`,
        position: i + 2,
      };
    }
    if (i + 4 + length > to) {
      return {
        code: 'LENGTH_OVERRUN',
        message: `${where}: data object ${id} at position ${i} declares ${length} characters but only ${to - i - 4} remain`,
        position: i + 2,
      };
    }
    out.push({
      id,
      n: d0 * 10 + d1,
      value: slice(chars, i + 4, i + 4 + length),
      pos: i,
      valuePos: i + 4,
      length,
    });
    i += 4 + length;
  }
  return out;
}

export function isError(x: RawObject[] | EmvQrError): x is EmvQrError {
  return !Array.isArray(x);
}
