import fc from 'fast-check';
import { decodeCpm, encodeCpm, tryEncodeCpm, type CpmFields } from './cpm';

// The consumer-presented example of EMV QRCPS-CPM (two applications and a common data template with a
// transparent template holding the cryptogram data), as reproduced by open-source EMV QR libraries.
const EMVCO_CPM_EXAMPLE =
  'hQVDUFYwMWETTwegAAAAVVVVUAhQcm9kdWN0MWETTwegAAAAZmZmUAhQcm9kdWN0MmJJWggSNFZ4kBI0WF8gDkNBUkRIT0xERVIvRU1WXy0IcnVlc2RlZW5kIZ8QBwYBCgMAAACfJghYT9OF+iNLzJ82AgABnzcEbVjvEw==';

const EXAMPLE_FIELDS: CpmFields = {
  applications: [
    { adfName: 'A0000000555555', applicationLabel: 'Product1' },
    { adfName: 'A0000000666666', applicationLabel: 'Product2' },
  ],
  commonData: {
    applicationPan: '1234567890123458',
    cardholderName: 'CARDHOLDER/EMV',
    languagePreference: 'ruesdeen',
    transparent: [
      { tag: '9F10', value: '06010A03000000' },
      { tag: '9F26', value: '584FD385FA234BCC' },
      { tag: '9F36', value: '0001' },
      { tag: '9F37', value: '6D58EF13' },
    ],
  },
};

describe('consumer-presented mode', () => {
  it('decodes the EMVCo CPM example', () => {
    const r = decodeCpm(EMVCO_CPM_EXAMPLE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { tlv, payloadFormatIndicator, ...fields } = r.value;
    expect(payloadFormatIndicator).toBe('CPV01');
    expect(fields).toEqual(EXAMPLE_FIELDS);
    expect(tlv.map((t) => t.tag)).toEqual(['85', '61', '61', '62']);
  });

  it('encodes the EMVCo CPM example byte for byte', () => {
    expect(encodeCpm(EXAMPLE_FIELDS)).toBe(EMVCO_CPM_EXAMPLE);
    expect(Buffer.from(EMVCO_CPM_EXAMPLE, 'base64').subarray(0, 7).toString('latin1')).toBe('\x85\x05CPV01');
  });

  it('reports typed errors', () => {
    expect(decodeCpm('')).toMatchObject({ ok: false, error: { code: 'EMPTY_PAYLOAD' } });
    expect(decodeCpm('hQVD$UFYw')).toMatchObject({
      ok: false,
      error: { code: 'CPM_BASE64_INVALID', position: 4 },
    });
    expect(decodeCpm('hQVDUFYwMg==')).toMatchObject({ ok: false, error: { code: 'CPM_FORMAT_INVALID' } }); // "CPV02"
    expect(decodeCpm('hQVDUFYwMQ==')).toMatchObject({ ok: false, error: { code: 'CPM_FORMAT_INVALID' } }); // no 61
    expect(
      decodeCpm(
        Buffer.from([0x85, 0x05, 0x43, 0x50, 0x56, 0x30, 0x31, 0x61, 0x09, 0x4f, 0x07]).toString('base64'),
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'CPM_TLV_MALFORMED', position: 8 },
    });
    expect(
      decodeCpm(
        Buffer.from([0x85, 0x05, 0x43, 0x50, 0x56, 0x30, 0x31, 0x61, 0x03, 0x50, 0x01, 0x41]).toString(
          'base64',
        ),
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'CPM_FORMAT_INVALID', position: 7 },
    }); // application template without 4F
    expect(tryEncodeCpm({ applications: [] })).toMatchObject({
      ok: false,
      error: { code: 'MANDATORY_MISSING' },
    });
    expect(tryEncodeCpm({ applications: [{ adfName: 'zz' }] })).toMatchObject({
      ok: false,
      error: { code: 'VALUE_INVALID' },
    });
  });

  it('decode ∘ encode is the identity, including long-form lengths', () => {
    const hex = (min: number, max: number) =>
      fc
        .uint8Array({ minLength: min, maxLength: max })
        .map((b) => Buffer.from(b).toString('hex').toUpperCase());
    const ascii = (max: number) =>
      fc.string({
        unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
        minLength: 1,
        maxLength: max,
      });
    const template = fc.record(
      {
        adfName: hex(5, 16),
        applicationLabel: ascii(16),
        applicationPan: hex(8, 10),
        cardholderName: ascii(26),
        issuerUrl: ascii(200),
        last4DigitsOfPan: hex(2, 2),
        transparent: fc.array(
          fc.record({ tag: fc.constantFrom('9F10', '9F26', '9F27', '9F36', '9F37'), value: hex(1, 40) }),
          { minLength: 1, maxLength: 4 },
        ),
      },
      { requiredKeys: ['adfName'] },
    );
    fc.assert(
      fc.property(
        fc.array(template, { minLength: 1, maxLength: 3 }),
        fc.option(template, { nil: undefined }),
        (applications, common) => {
          const fields: CpmFields = common ? { applications, commonData: common } : { applications };
          const r = decodeCpm(encodeCpm(fields));
          expect(r.ok).toBe(true);
          if (r.ok) {
            const { tlv: _t, payloadFormatIndicator: _p, ...back } = r.value;
            expect(back).toEqual(fields);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decode never throws on arbitrary strings or bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (s) =>
        expect(typeof decodeCpm(s).ok).toBe('boolean'),
      ),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (b) => {
        const r = decodeCpm(Buffer.from([0x85, 0x05, 0x43, 0x50, 0x56, 0x30, 0x31, ...b]).toString('base64'));
        if (!r.ok) expect(r.error.position).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 1000 },
    );
  });
});
