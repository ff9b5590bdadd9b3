import { decodeMpm } from '../mpm/decode-mpm';
import { paynow } from './paynow';

// A PayNow code as a Singapore bank app (POSB) writes it, with 62/50 added by the parser project that
// published it as a fixture (sgqrcode parser tests); its CRC is valid.
const POSB_PAYNOW =
  '00020101021126500009SG.PAYNOW010100211+65123456780301004082030123152040000530370254071234.565802SG5902ME6009Singapore62290106BILLNO50150004TEST0103ABC6304B301';

describe('paynow profile', () => {
  it('reads a bank-generated PayNow code', () => {
    expect(paynow.read(POSB_PAYNOW)).toEqual({
      ok: true,
      value: {
        proxy: { type: 'mobile', value: '+6512345678' },
        editable: false,
        expiry: '20301231',
        amount: '1234.56',
        reference: 'BILLNO',
      },
    });
  });

  it('paynow.dynamic writes the same template layout for one payment', () => {
    const p = paynow.dynamic({
      proxy: { type: 'uen', value: '201403121W' },
      merchantName: 'PAYLEND DEMO PTE LTD',
      amount: '15.80',
      expiry: '20261231',
      reference: 'ORDER-1001',
    });
    expect(p.startsWith('0002010102122649')).toBe(true);
    expect(p).toContain('0009SG.PAYNOW010120210201403121W03010040820261231');
    expect(p).toContain('520400005303702540515.805802SG5920PAYLEND DEMO PTE LTD6009Singapore');
    expect(paynow.read(p)).toEqual({
      ok: true,
      value: {
        proxy: { type: 'uen', value: '201403121W' },
        editable: false,
        expiry: '20261231',
        amount: '15.80',
        reference: 'ORDER-1001',
      },
    });
    const d = decodeMpm(p);
    expect(d.ok && d.value.pointOfInitiation).toBe('dynamic');
  });

  it('paynow.static leaves the amount to the payer by default', () => {
    const p = paynow.static({ proxy: { type: 'mobile', value: '+6591234567' }, merchantName: 'HAWKER 12' });
    expect(p.startsWith('000201010211')).toBe(true);
    expect(paynow.read(p)).toEqual({
      ok: true,
      value: { proxy: { type: 'mobile', value: '+6591234567' }, editable: true },
    });
  });

  it('refuses bad proxies, dates and a dynamic code without amount', () => {
    const base = { merchantName: 'X', amount: '1.00' };
    expect(paynow.tryDynamic({ ...base, proxy: { type: 'mobile', value: '91234567' } })).toMatchObject({
      ok: false,
      error: { code: 'PROFILE_MISMATCH', field: 'proxy.value' },
    });
    expect(paynow.tryDynamic({ ...base, proxy: { type: 'uen', value: 'bad uen' } })).toMatchObject({
      ok: false,
      error: { field: 'proxy.value' },
    });
    expect(
      paynow.tryDynamic({ ...base, proxy: { type: 'uen', value: '201403121W' }, expiry: '2026-12-31' }),
    ).toMatchObject({ ok: false, error: { field: 'expiry' } });
    expect(
      paynow.tryDynamic({ merchantName: 'X', proxy: { type: 'uen', value: '201403121W' } }),
    ).toMatchObject({ ok: false, error: { field: 'amount' } });
    expect(
      paynow.tryStatic({ ...base, amount: '1.001', proxy: { type: 'uen', value: '201403121W' } }),
    ).toMatchObject({ ok: false, error: { field: 'amount' } });
  });

  it('paynow.read refuses a Pix code', () => {
    expect(
      paynow.read(
        '00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D',
      ),
    ).toMatchObject({ ok: false, error: { code: 'PROFILE_MISMATCH' } });
  });
});
