// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor), as EMV QRCPS §4.7.3 and the
// Pix BR Code manual require, computed over the UTF-8 bytes of the input. The table makes it one lookup
// per byte, and UTF-8 is produced on the fly so that decoding a payload allocates no Buffer.
const TABLE = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let c = i << 8;
  for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
  TABLE[i] = c;
}

const HEX = '0123456789ABCDEF';

/** Feeds one byte into a running CRC. */
function step(crc: number, byte: number): number {
  return ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ byte) & 0xff];
}

/** Raw CRC value (0..0xFFFF) of the UTF-8 encoding of `text`. Lone surrogates count as U+FFFD, as UTF-8 encoders write them. */
export function crc16ccittValue(text: string, init = 0xffff, end = text.length): number {
  let crc = init;
  const n = end;
  for (let i = 0; i < n; i++) {
    let cp = text.charCodeAt(i);
    if (cp < 0x80) {
      crc = step(crc, cp);
      continue;
    }
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      } else cp = 0xfffd;
    } else if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x800) {
      crc = step(crc, 0xc0 | (cp >> 6));
      crc = step(crc, 0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      crc = step(crc, 0xe0 | (cp >> 12));
      crc = step(crc, 0x80 | ((cp >> 6) & 0x3f));
      crc = step(crc, 0x80 | (cp & 0x3f));
    } else {
      crc = step(crc, 0xf0 | (cp >> 18));
      crc = step(crc, 0x80 | ((cp >> 12) & 0x3f));
      crc = step(crc, 0x80 | ((cp >> 6) & 0x3f));
      crc = step(crc, 0x80 | (cp & 0x3f));
    }
  }
  return crc;
}

/** CRC-16/CCITT-FALSE of the UTF-8 bytes of `text` (up to UTF-16 index `end`), as the four upper-case hex digits EMV writes after `6304`. */
export function crc16ccitt(text: string, end = text.length): string {
  const v = crc16ccittValue(text, 0xffff, end);
  return HEX[(v >> 12) & 0xf] + HEX[(v >> 8) & 0xf] + HEX[(v >> 4) & 0xf] + HEX[v & 0xf];
}
