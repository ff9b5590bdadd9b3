import fc from 'fast-check';
import { EmvQrEncodeError } from '../errors/emv-qr-error';
import { decodeMpm } from './decode-mpm';
import { encodeMpm, encodeMpmDataObjects, tryEncodeMpm, tryEncodeMpmDataObjects } from './encode-mpm';
import type { MpmFields } from './mpm.types';

const base: MpmFields = {
  pointOfInitiation: 'dynamic',
  merchantAccounts: [
    {
      id: '26',
      template: [
        { id: '00', value: 'com.example.pay' },
        { id: '01', value: 'M-1001' },
      ],
    },
  ],
  merchantCategoryCode: '5812',
  transactionCurrency: '156',
  transactionAmount: '23.72',
  countryCode: 'CN',
  merchantName: 'BEST TRANSPORT',
  merchantCity: 'BEIJING',
};

describe('encodeMpm', () => {
  it('writes objects in ascending ID order with "6304" and the CRC last', () => {
    const p = encodeMpm(base);
    expect(p).toBe(
      '000201010212' +
        '2629' +
        '0015com.example.pay' +
        '0106M-1001' +
        '52045812' +
        '5303156' +
        '540523.72' +
        '5802CN' +
        '5914BEST TRANSPORT' +
        '6007BEIJING' +
        '6304' +
        p.slice(-4),
    );
    expect(decodeMpm(p).ok).toBe(true);
  });

  it('counts lengths in characters for multi-byte and astral text', () => {
    const p = encodeMpm({ ...base, merchantName: '最佳运输😀' });
    expect(p).toContain('5905最佳运输😀');
    const d = decodeMpm(p);
    expect(d.ok && d.value.merchantName).toBe('最佳运输😀');
  });

  it.each<[string, Partial<MpmFields>, string]>([
    ['VALUE_TOO_LONG', { merchantName: 'X'.repeat(26) }, 'merchantName'],
    ['VALUE_TOO_LONG', { merchantCity: 'X'.repeat(16) }, 'merchantCity'],
    ['AMOUNT_MALFORMED', { transactionAmount: '12,50' }, 'transactionAmount'],
    ['AMOUNT_MALFORMED', { transactionAmount: '0' }, 'transactionAmount'],
    ['AMOUNT_MALFORMED', { transactionAmount: '1.005' }, 'transactionAmount'],
    ['CURRENCY_UNKNOWN', { transactionCurrency: '000' }, 'transactionCurrency'],
    ['COUNTRY_UNKNOWN', { countryCode: 'UK' }, 'countryCode'],
    ['MANDATORY_MISSING', { merchantAccounts: [] }, 'merchantAccounts'],
    [
      'MANDATORY_MISSING',
      { merchantAccounts: [{ id: '26', template: [{ id: '01', value: 'x' }] }] },
      'merchantAccounts[0]',
    ],
    ['VALUE_INVALID', { merchantAccounts: [{ id: '26', value: 'flat' }] }, 'merchantAccounts[0]'],
    ['VALUE_INVALID', { merchantAccounts: [{ id: '52', value: 'x' }] }, 'merchantAccounts[0]'],
    [
      'VALUE_TOO_LONG',
      {
        merchantAccounts: [
          {
            id: '26',
            template: [
              { id: '00', value: 'g' },
              { id: '01', value: 'k'.repeat(95) },
            ],
          },
        ],
      },
      'merchantAccounts[0]',
    ],
    [
      'VALUE_TOO_LONG',
      {
        merchantAccounts: [
          {
            id: '26',
            template: [
              { id: '00', value: 'g' },
              { id: '01', value: 'k'.repeat(100) },
            ],
          },
        ],
      },
      'merchantAccounts[0].template[1]',
    ],
    ['VALUE_TOO_LONG', { additionalData: { billNumber: 'B'.repeat(26) } }, 'additionalData.billNumber'],
    [
      'VALUE_INVALID',
      { additionalData: { consumerDataRequest: 'AA' } },
      'additionalData.consumerDataRequest',
    ],
    [
      'VALUE_TOO_LONG',
      {
        additionalData: {
          billNumber: 'B'.repeat(25),
          mobileNumber: 'M'.repeat(25),
          storeLabel: 'S'.repeat(25),
          loyaltyNumber: 'L'.repeat(25),
        },
      },
      'additionalData',
    ],
    ['VALUE_TOO_LONG', { rfu: [{ id: '70', value: 'R'.repeat(100) }] }, 'rfu[0]'],
    ['VALUE_INVALID', { tipOrConvenience: { kind: 'percentage', value: '100' } }, 'tipOrConvenience.value'],
    [
      'MANDATORY_MISSING',
      { languageTemplate: { languagePreference: 'zh' } as MpmFields['languageTemplate'] },
      'languageTemplate.merchantName',
    ],
  ])('refuses with %s and names the field (%j)', (code, change, field) => {
    const r = tryEncodeMpm({ ...base, ...change });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code, field, position: -1 });
  });

  it('throws an EmvQrEncodeError carrying the code from encodeMpm', () => {
    expect(() => encodeMpm({ ...base, countryCode: 'ZZ' })).toThrow(EmvQrEncodeError);
    try {
      encodeMpm({ ...base, countryCode: 'ZZ' });
    } catch (e) {
      expect(e instanceof EmvQrEncodeError && e.code).toBe('COUNTRY_UNKNOWN');
    }
  });

  it('writes tips, fees, language template and unreserved templates', () => {
    const p = encodeMpm({
      ...base,
      tipOrConvenience: { kind: 'fixed', value: '2.00' },
      languageTemplate: { languagePreference: 'zh', merchantName: '最佳运输', merchantCity: '北京' },
      additionalData: { billNumber: '***', consumerDataRequest: 'ME' },
      unreserved: [
        {
          id: '91',
          template: [
            { id: '00', value: 'A011223344998877' },
            { id: '07', value: '12345678' },
          ],
        },
      ],
    });
    expect(p).toContain('550202' + '56042.00');
    expect(p).toContain('64200002zh0104最佳运输0202北京');
    expect(p).toContain('62130103***0902ME');
    const d = decodeMpm(p);
    expect(d.ok && d.value.promptFor).toEqual(['billNumber']);
  });
});

describe('encodeMpmDataObjects', () => {
  it('keeps the given order and recomputes a stale CRC', () => {
    const objects = [
      { id: '00', value: '01' },
      { id: '59', value: 'SHOP' },
      { id: '02', value: '4000123412341234' },
      { id: '60', value: 'CITY' },
      { id: '58', value: 'SG' },
      { id: '53', value: '702' },
      { id: '52', value: '5411' },
      { id: '63', value: 'FFFF' },
    ];
    const p = encodeMpmDataObjects(objects);
    expect(p.startsWith('0002015904SHOP0216')).toBe(true);
    expect(p.slice(-8, -4)).toBe('6304');
    expect(decodeMpm(p).ok).toBe(true);
  });

  it('refuses a payload that would not decode, with the decoder’s error', () => {
    const r = tryEncodeMpmDataObjects([
      { id: '00', value: '01' },
      { id: '59', value: 'SHOP' },
    ]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('MANDATORY_MISSING');
  });
});

describe('tryEncodeMpm on untrusted input (e.g. a JSON file)', () => {
  it('never throws: any JSON object gives a payload or a typed error', () => {
    const keys = fc.constantFrom(
      'merchantAccounts',
      'merchantCategoryCode',
      'transactionCurrency',
      'transactionAmount',
      'tipOrConvenience',
      'countryCode',
      'merchantName',
      'merchantCity',
      'postalCode',
      'additionalData',
      'languageTemplate',
      'rfu',
      'unreserved',
      'pointOfInitiation',
    );
    const anyFields = fc
      .dictionary(keys, fc.jsonValue({ maxDepth: 3 }))
      .map((d) => ({ ...base, ...d }) as unknown as MpmFields);
    fc.assert(
      fc.property(anyFields, (f) => {
        const r = tryEncodeMpm(f);
        if (!r.ok) expect(typeof r.error.code).toBe('string');
        else expect(decodeMpm(r.value).ok).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
