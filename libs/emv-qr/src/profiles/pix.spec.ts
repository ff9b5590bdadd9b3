import fc from 'fast-check';
import { decodeMpm } from '../mpm/decode-mpm';
import { PIX_STATIC_BCB_EXAMPLE } from '../vectors/emv-qr.vectors';
import { isPixKey, pix } from './pix';

describe('pix profile', () => {
  it('pix.static reproduces the Banco Central do Brasil example byte for byte', () => {
    expect(
      pix.static({
        key: '123e4567-e12b-12d1-a456-426655440000',
        merchantName: 'Fulano de Tal',
        merchantCity: 'BRASILIA',
      }),
    ).toBe(PIX_STATIC_BCB_EXAMPLE);
  });

  it('pix.read recognises the BCB example as a static code with txid "***"', () => {
    expect(pix.read(PIX_STATIC_BCB_EXAMPLE)).toEqual({
      ok: true,
      value: { kind: 'static', key: '123e4567-e12b-12d1-a456-426655440000', txid: '***' },
    });
  });

  it('pix.static carries amount, txid, description and facilitator', () => {
    const p = pix.static({
      key: '+5561912345678',
      merchantName: 'Padaria Pao Quente',
      merchantCity: 'SAO PAULO',
      amount: '12.50',
      txid: 'PEDIDO42',
      description: 'Pedido 42',
    });
    expect(p).toContain('0014br.gov.bcb.pix0114+55619123456780209Pedido 42');
    expect(p).toContain('540512.50');
    expect(p).toContain('62120508PEDIDO42');
    expect(pix.read(p)).toEqual({
      ok: true,
      value: {
        kind: 'static',
        key: '+5561912345678',
        txid: 'PEDIDO42',
        description: 'Pedido 42',
        amount: '12.50',
      },
    });
  });

  it('pix.dynamic writes point of initiation 12, the location in 26-25 and txid "***"', () => {
    const p = pix.dynamic({
      url: 'pix.example.com/qr/v2/9d36b84fc70b478fb95c12729b90ca25',
      merchantName: 'LOJA',
      merchantCity: 'RIO',
      amount: '99.90',
    });
    expect(p.startsWith('000201010212')).toBe(true);
    expect(p).toContain('2554pix.example.com/qr/v2/9d36b84fc70b478fb95c12729b90ca25');
    expect(p).toContain('62070503***');
    expect(pix.read(p)).toEqual({
      ok: true,
      value: {
        kind: 'dynamic',
        url: 'pix.example.com/qr/v2/9d36b84fc70b478fb95c12729b90ca25',
        amount: '99.90',
      },
    });
  });

  it('refuses what the BR Code manual forbids, with PROFILE_MISMATCH naming the input', () => {
    expect(pix.tryStatic({ key: 'not a key', merchantName: 'A', merchantCity: 'B' })).toMatchObject({
      ok: false,
      error: { code: 'PROFILE_MISMATCH', field: 'key' },
    });
    expect(
      pix.tryStatic({ key: '12345678909', merchantName: 'A', merchantCity: 'B', txid: 'has-dash' }),
    ).toMatchObject({ ok: false, error: { field: 'txid' } });
    expect(
      pix.tryStatic({ key: '12345678909', merchantName: 'A', merchantCity: 'B', amount: '1.234' }),
    ).toMatchObject({ ok: false, error: { field: 'amount' } });
    expect(
      pix.tryDynamic({ url: 'https://pix.example.com/x', merchantName: 'A', merchantCity: 'B' }),
    ).toMatchObject({ ok: false, error: { field: 'url' } });
    expect(pix.tryDynamic({ url: 'p'.repeat(78), merchantName: 'A', merchantCity: 'B' })).toMatchObject({
      ok: false,
      error: { field: 'url' },
    });
    expect(
      pix.tryStatic({ key: '12345678909', merchantName: 'N'.repeat(26), merchantCity: 'B' }),
    ).toMatchObject({ ok: false, error: { code: 'VALUE_TOO_LONG', field: 'merchantName' } });
  });

  it('pix.read refuses payloads that are valid EMV but not Pix', () => {
    const r = pix.read(
      '00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A',
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'PROFILE_MISMATCH' } });
  });

  it('recognises the DICT key forms', () => {
    for (const k of [
      '12345678909',
      '12345678000195',
      '+5561912345678',
      'fulano@example.com',
      '123e4567-e12b-12d1-a456-426655440000',
    ])
      expect(isPixKey(k)).toBe(true);
    for (const k of ['123.456.789-09', 'Fulano@Example.com', '5561912345678', ''])
      expect(isPixKey(k)).toBe(false);
  });

  it('round-trips any static Pix input through pix.read', () => {
    const input = fc.record({
      key: fc.constantFrom('12345678909', '+5561912345678', 'a@b.co', '123e4567-e12b-12d1-a456-426655440000'),
      merchantName: fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJ KLMNO'), minLength: 1, maxLength: 25 }),
      merchantCity: fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJ'), minLength: 1, maxLength: 15 }),
      amount: fc
        .integer({ min: 1, max: 99_999_999 })
        .map((c) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`),
      txid: fc.string({ unit: fc.constantFrom(...'abcXYZ0123'), minLength: 1, maxLength: 25 }),
    });
    fc.assert(
      fc.property(input, (i) => {
        const p = pix.static(i);
        expect(decodeMpm(p).ok).toBe(true);
        expect(pix.read(p)).toEqual({
          ok: true,
          value: { kind: 'static', key: i.key, txid: i.txid, amount: i.amount },
        });
      }),
    );
  });
});

describe('profiles on untrusted input', () => {
  it('never throw: any JSON object gives a payload or a typed error', async () => {
    const { paynow } = await import('./paynow');
    const keys = fc.constantFrom(
      'key',
      'url',
      'merchantName',
      'merchantCity',
      'amount',
      'txid',
      'description',
      'proxy',
      'expiry',
      'editable',
      'reference',
    );
    const input = fc.dictionary(
      keys,
      fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.constant('12345678909'),
        fc.record({ type: fc.constant('uen'), value: fc.constant('201403121W') }),
      ),
    );
    fc.assert(
      fc.property(input, (i) => {
        for (const f of [pix.tryStatic, pix.tryDynamic, paynow.tryStatic, paynow.tryDynamic]) {
          const r = f(i as never);
          expect(typeof r.ok).toBe('boolean');
        }
      }),
      { numRuns: 1000 },
    );
  });
});
