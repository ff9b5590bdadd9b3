// BER-TLV (ISO/IEC 8825-1 as EMV Book 3 Annex B uses it), the encoding of a consumer-presented QR payload:
// tags of one or more bytes (low five bits all set = more bytes follow, while bit 8 is set), definite
// lengths (short form < 0x80, long form 0x81–0x84 + that many bytes), constructed when bit 6 of the first
// tag byte is set. Tags and binary values are upper-case hex strings so they print and compare plainly.
import type { EmvQrError } from '../errors/emv-qr-error';

export interface BerTlv {
  /** Upper-case hex, e.g. "5F20". */
  tag: string;
  /** Upper-case hex of a primitive's value. */
  value?: string;
  /** Children of a constructed data object. */
  children?: BerTlv[];
}

export function isConstructedTag(tagHex: string): boolean {
  return (parseInt(tagHex.slice(0, 2), 16) & 0x20) !== 0;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

interface Parsed {
  tlv: BerTlv;
  /** Byte offsets in the whole payload. */
  start: number;
  valueStart: number;
  end: number;
}

function malformed(message: string, position: number): EmvQrError {
  return { code: 'CPM_TLV_MALFORMED', message, position };
}

/** Parses bytes[from, to) into data objects, recursing into constructed ones. */
export function parseBer(bytes: Uint8Array, from: number, to: number): Parsed[] | EmvQrError {
  const out: Parsed[] = [];
  let i = from;
  while (i < to) {
    const start = i;
    const first = bytes[i++]!;
    if (first === 0x00 || first === 0xff)
      return malformed(
        `byte ${start}: 0x${first.toString(16).padStart(2, '0')} is padding, not a tag`,
        start,
      );
    if ((first & 0x1f) === 0x1f) {
      let more = true;
      let n = 0;
      while (more) {
        if (i >= to) return malformed(`byte ${start}: the tag runs past the end of its template`, start);
        const b = bytes[i++]!;
        more = (b & 0x80) !== 0;
        if (++n > 3) return malformed(`byte ${start}: a tag longer than 4 bytes is not used by EMV`, start);
      }
    }
    const tag = toHex(bytes.subarray(start, i));
    if (i >= to) return malformed(`byte ${start}: tag ${tag} has no length`, i);
    const lengthPos = i;
    let length = bytes[i++]!;
    if (length & 0x80) {
      const n = length & 0x7f;
      if (n === 0 || n > 3)
        return malformed(
          `byte ${lengthPos}: tag ${tag} uses an unsupported length form 0x${length.toString(16)}`,
          lengthPos,
        );
      if (i + n > to)
        return malformed(`byte ${lengthPos}: the length of tag ${tag} runs past the end`, lengthPos);
      length = 0;
      for (let k = 0; k < n; k++) length = length * 256 + bytes[i++]!;
    }
    if (i + length > to)
      return malformed(
        `byte ${lengthPos}: tag ${tag} declares ${length} bytes but only ${to - i} remain`,
        lengthPos,
      );
    const valueStart = i;
    const end = i + length;
    if (isConstructedTag(tag)) {
      const inner = parseBer(bytes, valueStart, end);
      if (!Array.isArray(inner)) return inner;
      out.push({ tlv: { tag, children: inner.map((p) => p.tlv) }, start, valueStart, end });
    } else {
      out.push({ tlv: { tag, value: toHex(bytes.subarray(valueStart, end)) }, start, valueStart, end });
    }
    i = end;
  }
  return out;
}

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  if (n < 0x10000) return [0x82, n >> 8, n & 0xff];
  return [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
}

/** Serializes data objects; constructed tags take their children, primitive tags their hex value. */
export function serializeBer(objects: BerTlv[]): number[] {
  const out: number[] = [];
  for (const o of objects) {
    const value = o.children ? serializeBer(o.children) : [...Buffer.from(o.value ?? '', 'hex')];
    out.push(...Buffer.from(o.tag, 'hex'), ...lengthBytes(value.length), ...value);
  }
  return out;
}
