import fc from 'fast-check';
import { crc16ccitt, crc16ccittValue } from './crc16';

/** Bit-by-bit reference over Buffer bytes, to check the table-driven, allocation-free version against. */
function reference(text: string): number {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

describe('crc16ccitt', () => {
  it('gives the CRC-16/CCITT-FALSE check value 29B1 for "123456789"', () => {
    expect(crc16ccitt('123456789')).toBe('29B1');
  });

  it('gives FFFF (the initial value) for the empty string', () => {
    expect(crc16ccitt('')).toBe('FFFF');
  });

  it('pads to four upper-case hex digits', () => {
    expect(crc16ccitt('A')).toMatch(/^[0-9A-F]{4}$/);
  });

  it('hashes UTF-8 bytes, not UTF-16 code units', () => {
    expect(crc16ccittValue('最佳运输')).toBe(reference('最佳运输'));
    expect(crc16ccittValue('😀')).toBe(reference('😀'));
  });

  it('matches a bitwise reference over Buffer.from(text, "utf8") for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        expect(crc16ccittValue(s)).toBe(reference(s));
      }),
      { numRuns: 500 },
    );
  });
});
