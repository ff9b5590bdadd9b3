import { decodeMpm, readTopLevelObjects } from './decode-mpm';
import { EMVCO_MPM_EXAMPLE, PIX_STATIC_BCB_EXAMPLE } from '../vectors/emv-qr.vectors';
import { body, minimalWith, tlv, withCrc } from './test-support';
import type { EmvQrError } from '../errors/emv-qr-error';

function error(payload: unknown): EmvQrError {
  const r = decodeMpm(payload);
  if (r.ok) throw new Error('expected an error, got a decoded payload');
  return r.error;
}

describe('decodeMpm validation errors: stable code, message, character position', () => {
  it('accepts the minimal payload the other cases start from', () => {
    expect(decodeMpm(withCrc(minimalWith({}))).ok).toBe(true);
  });

  it('CRC_MISMATCH: a changed character, at the position of the CRC value', () => {
    const tampered = PIX_STATIC_BCB_EXAMPLE.replace('Fulano', 'Fulana');
    const e = error(tampered);
    expect(e.code).toBe('CRC_MISMATCH');
    expect(e.position).toBe(tampered.length - 4);
    expect(e.message).toContain('1D3D');
  });

  it('CRC_MISMATCH counts positions in characters, not UTF-16 units or bytes', () => {
    const p = withCrc(minimalWith({ '59': '😀 NOODLES' }));
    const tampered = p.slice(0, -1) + (p.endsWith('0') ? '1' : '0');
    expect(error(tampered)).toMatchObject({ code: 'CRC_MISMATCH', position: [...tampered].length - 4 });
  });

  it('LENGTH_OVERRUN: a length running past the end, at the position of that length', () => {
    const p = '000201' + '5930SHORT';
    expect(error(p)).toMatchObject({ code: 'LENGTH_OVERRUN', position: 8 });
    expect(error(p).message).toContain('declares 30 characters but only 5 remain');
  });

  it('LENGTH_OVERRUN inside a template is reported at its absolute position', () => {
    const inner = '0004TEST' + '0199AB'; // 01 claims 99 characters inside a 14-character template
    const b = minimalWith({ '26': inner });
    const e = error(withCrc(b));
    expect(e.code).toBe('LENGTH_OVERRUN');
    expect(b.slice(e.position - 2, e.position + 2)).toBe('0199');
  });

  it('LENGTH_OVERRUN for a truncated payload', () => {
    const cut = EMVCO_MPM_EXAMPLE.slice(0, 40);
    expect(error(cut).code).toBe('LENGTH_OVERRUN');
  });

  it('ID_MALFORMED and LENGTH_MALFORMED point at the bad characters', () => {
    expect(error('000201AB04TEST')).toMatchObject({ code: 'ID_MALFORMED', position: 6 });
    expect(error('0002015X04TEST')).toMatchObject({ code: 'ID_MALFORMED', position: 6 });
    expect(error('00020159A4TEST')).toMatchObject({ code: 'LENGTH_MALFORMED', position: 8 });
    expect(error('00020159' + '00')).toMatchObject({ code: 'LENGTH_MALFORMED', position: 8 });
  });

  it('MANDATORY_MISSING: each of 52, 53, 58, 59, 60 and the merchant account, at the CRC position', () => {
    for (const id of ['52', '53', '58', '59', '60', '02']) {
      const b = minimalWith({ [id]: null });
      const e = error(withCrc(b));
      expect(e).toMatchObject({ code: 'MANDATORY_MISSING', position: b.length });
      expect(e.message).toContain(id === '02' ? 'Merchant Account Information' : id);
    }
  });

  it('MANDATORY_MISSING: a merchant account template without its GUI, at the template', () => {
    const b = minimalWith({ '02': null, '26': tlv('01', 'KEY') });
    expect(error(withCrc(b))).toMatchObject({ code: 'MANDATORY_MISSING', position: b.indexOf('2607') });
  });

  it.each([
    ['1,00', 'digits'],
    ['-1.00', 'digits'],
    ['1 000', 'digits'],
    ['0.00', 'different from zero'],
    ['12.345', 'has 3 decimals but CNY (156) has 2'],
    ['1.2.3', 'digits'],
    ['1e5', 'digits'],
  ])('AMOUNT_MALFORMED: 54 = "%s" (%s)', (amount, hint) => {
    const b = minimalWith({ '54': amount });
    const e = error(withCrc(b));
    expect(e.code).toBe('AMOUNT_MALFORMED');
    expect(e.message).toContain(hint);
    expect(e.position).toBe(b.indexOf(tlv('54', amount)));
  });

  it('accepts the EMV amount forms "98.73", "98" and "98."', () => {
    for (const amount of ['98.73', '98', '98.'])
      expect(decodeMpm(withCrc(minimalWith({ '54': amount }))).ok).toBe(true);
  });

  it('refuses decimals a zero-exponent currency does not have', () => {
    const e = error(withCrc(minimalWith({ '53': '392', '58': 'JP', '54': '500.5' })));
    expect(e).toMatchObject({ code: 'AMOUNT_MALFORMED' });
    expect(e.message).toContain('JPY');
  });

  it('CURRENCY_UNKNOWN: not ISO 4217 numeric, or not digits', () => {
    const b = minimalWith({ '53': '999' });
    expect(error(withCrc(b))).toMatchObject({ code: 'CURRENCY_UNKNOWN', position: b.indexOf('5303999') });
    expect(error(withCrc(minimalWith({ '53': 'CNY' }))).code).toBe('CURRENCY_UNKNOWN');
  });

  it('COUNTRY_UNKNOWN: not an ISO 3166-1 alpha-2 code, or lower case', () => {
    for (const c of ['XX', 'cn', 'C1']) {
      const b = minimalWith({ '58': c });
      expect(error(withCrc(b))).toMatchObject({ code: 'COUNTRY_UNKNOWN', position: b.indexOf('5802' + c) });
    }
  });

  it.each([
    ['59', 'N'.repeat(26), 25],
    ['60', 'C'.repeat(16), 15],
    ['61', '1'.repeat(11), 10],
    ['54', '1'.repeat(14), 13],
  ])('VALUE_TOO_LONG: %s with %s', (id, value, max) => {
    const b = minimalWith({ [id]: value });
    const e = error(withCrc(b));
    expect(e).toMatchObject({ code: 'VALUE_TOO_LONG', position: b.indexOf(tlv(id, value)) });
    expect(e.message).toContain(`at most ${max}`);
  });

  it('VALUE_TOO_LONG inside templates: 62 sub-objects (25), 64/01 (25), a GUI (32)', () => {
    const cases: Array<[string, string]> = [
      ['62', tlv('01', 'B'.repeat(26))],
      ['64', tlv('00', 'zh') + tlv('01', '名'.repeat(26))],
      ['26', tlv('00', 'G'.repeat(33))],
    ];
    for (const [id, inner] of cases) {
      const b = minimalWith({ [id]: inner });
      const e = error(withCrc(b));
      expect(e.code).toBe('VALUE_TOO_LONG');
      expect(e.position).toBeGreaterThan(b.indexOf(id + String([...inner].length).padStart(2, '0')));
    }
  });

  it('CRC_NOT_LAST: a data object after 63', () => {
    const b = minimalWith({});
    const good = withCrc(b);
    const p = good + tlv('61', '100000');
    expect(error(p)).toMatchObject({ code: 'CRC_NOT_LAST', position: b.length });
  });

  it('CRC_MISSING, CRC_MALFORMED (wrong length, lower-case hex)', () => {
    const b = minimalWith({});
    expect(error(b)).toMatchObject({ code: 'CRC_MISSING', position: b.length });
    expect(error(b + '6303ABC')).toMatchObject({ code: 'CRC_MALFORMED', position: b.length + 4 });
    const good = withCrc(b);
    if (/[A-F]/.test(good.slice(-4)))
      expect(error(good.slice(0, -4) + good.slice(-4).toLowerCase()).code).toBe('CRC_MALFORMED');
    expect(error(b + '6304ZZZZ').code).toBe('CRC_MALFORMED');
  });

  it('PAYLOAD_FORMAT_INVALID: 00 not first, or not "01"', () => {
    expect(
      error(
        withCrc(
          body([
            ['52', '5812'],
            ['00', '01'],
          ]),
        ),
      ),
    ).toMatchObject({ code: 'PAYLOAD_FORMAT_INVALID', position: 0 });
    expect(error(withCrc(minimalWith({ '00': '02' })))).toMatchObject({
      code: 'PAYLOAD_FORMAT_INVALID',
      position: 4,
    });
  });

  it('DUPLICATE_ID at the second occurrence', () => {
    const b = minimalWith({}) + tlv('59', 'AGAIN');
    expect(error(withCrc(b))).toMatchObject({ code: 'DUPLICATE_ID', position: b.indexOf('5905AGAIN') });
  });

  it('CONDITIONAL_MISMATCH between 55 and 56/57', () => {
    expect(error(withCrc(minimalWith({ '55': '02' }))).code).toBe('CONDITIONAL_MISMATCH');
    expect(error(withCrc(minimalWith({ '55': '03' }))).code).toBe('CONDITIONAL_MISMATCH');
    expect(error(withCrc(minimalWith({ '56': '1.00' }))).code).toBe('CONDITIONAL_MISMATCH');
    expect(error(withCrc(minimalWith({ '55': '02', '57': '5' }))).code).toBe('CONDITIONAL_MISMATCH');
    const fixed = decodeMpm(withCrc(minimalWith({ '55': '02', '56': '1.50' })));
    expect(fixed.ok && fixed.value.tipOrConvenience).toEqual({ kind: 'fixed', value: '1.50' });
    const pct = decodeMpm(withCrc(minimalWith({ '55': '03', '57': '12.5' })));
    expect(pct.ok && pct.value.tipOrConvenience).toEqual({ kind: 'percentage', value: '12.5' });
  });

  it('VALUE_INVALID: point of initiation, tip indicator, percentage, consumer data request, language', () => {
    expect(error(withCrc(minimalWith({ '01': '13' }))).code).toBe('VALUE_INVALID');
    expect(error(withCrc(minimalWith({ '55': '04' }))).code).toBe('VALUE_INVALID');
    expect(error(withCrc(minimalWith({ '55': '03', '57': '100' }))).code).toBe('VALUE_INVALID');
    expect(error(withCrc(minimalWith({ '55': '03', '57': '0.00' }))).code).toBe('VALUE_INVALID');
    expect(error(withCrc(minimalWith({ '62': tlv('09', 'MM') }))).code).toBe('VALUE_INVALID');
    expect(error(withCrc(minimalWith({ '62': tlv('09', 'X') }))).code).toBe('VALUE_INVALID');
    expect(error(withCrc(minimalWith({ '64': tlv('00', 'z1') + tlv('01', 'N') }))).code).toBe(
      'VALUE_INVALID',
    );
    expect(error(withCrc(minimalWith({ '52': '58A2' }))).code).toBe('VALUE_INVALID');
  });

  it('data objects may come in any order, including inside templates', () => {
    const b = body([
      ['00', '01'],
      ['60', 'BEIJING'],
      ['62', tlv('07', 'T1') + tlv('01', '***')],
      ['59', 'NOODLE BAR'],
      ['58', 'CN'],
      ['54', '8.50'],
      ['53', '156'],
      ['52', '5812'],
      ['02', '4000123412341234'],
    ]);
    const r = decodeMpm(withCrc(b));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.transactionAmount).toBe('8.50');
    expect(r.value.additionalData).toEqual({ billNumber: '***', terminalLabel: 'T1' });
    expect(r.value.promptFor).toEqual(['billNumber']);
  });

  it('NOT_A_STRING, EMPTY_PAYLOAD and ILL_FORMED_UNICODE instead of throwing', () => {
    expect(error(undefined).code).toBe('NOT_A_STRING');
    expect(error(42).code).toBe('NOT_A_STRING');
    expect(error('').code).toBe('EMPTY_PAYLOAD');
    expect(error('000201\uD800').code).toBe('ILL_FORMED_UNICODE');
  });
});

describe('readTopLevelObjects (structure only, for routing)', () => {
  it('answers the top-level objects as written, in order, whatever their validity', () => {
    // No CRC and no mandatory objects: only the ID-length-value structure is read.
    expect(readTopLevelObjects('000201' + '5902\u{1F375}T' + '26080004ab12')).toEqual([
      { id: '00', n: 0, value: '01', pos: 0, valuePos: 4, length: 2 },
      { id: '59', n: 59, value: '\u{1F375}T', pos: 6, valuePos: 10, length: 2 },
      { id: '26', n: 26, value: '0004ab12', pos: 12, valuePos: 16, length: 8 },
    ]);
  });

  it('is undefined when the structure cannot be read', () => {
    for (const payload of ['0002', '00x1', '000201269900', '0002\uD8000'])
      expect(readTopLevelObjects(payload)).toBeUndefined();
  });
});
