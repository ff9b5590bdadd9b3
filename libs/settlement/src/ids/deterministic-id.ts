import { createHash } from 'node:crypto';

const BASE32 = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function digest(parts: readonly string[]): Buffer {
  // Length-prefix each part so ("ab","c") and ("a","bc") never collide.
  const h = createHash('sha256');
  for (const p of parts) h.update(`${Buffer.byteLength(p)}:${p};`);
  return h.digest();
}

/** A UUID (version 5 layout, SHA-256 based) that depends only on `parts`: same input, same id, every time. */
export function deterministicUuid(...parts: string[]): string {
  const b = digest(parts).subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A short uppercase code (no 0/O/1/I) for bank references, which must fit 35 characters (EndToEndId). */
export function deterministicCode(length: number, ...parts: string[]): string {
  const b = digest(parts);
  let out = '';
  for (let i = 0; i < length; i++) out += BASE32[b[i] & 31];
  return out;
}
