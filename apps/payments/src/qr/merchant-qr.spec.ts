import { crc16ccitt, decodeMpm, encodeMpm } from '@paylend/emv-qr';
import { dynamicQrPayload, PAYLEND_GUI, readScannedQr, staticQrPayload } from './merchant-qr';

const merchant = {
  id: 'm-coffee',
  name: 'Lucky Coffee',
  city: 'Shanghai',
  country: 'CN',
  mcc: '5814',
  currency: 'CNY',
};

/** What an attacker does: edit the amount and recompute the CRC so the payload still decodes. */
function withAmount(payload: string, amount: string): string {
  const d = decodeMpm(payload);
  if (!d.ok) throw new Error(d.error.message);
  return encodeMpm({ ...d.value, transactionAmount: amount });
}

describe('merchant QR payloads', () => {
  it('refuses, with a stable code, what an EMV QR cannot carry', () => {
    // 54 holds at most 13 characters: 10,000,000,000.00 is one too many.
    expect(() =>
      dynamicQrPayload(merchant, { orderId: 'o-big', amountMinor: 1_000_000_000_000n, reference: null }),
    ).toThrow(expect.objectContaining({ code: 'AMOUNT_INVALID' }));
    expect(() => staticQrPayload({ ...merchant, currency: 'XTS' })).toThrow(
      expect.objectContaining({ code: 'QR_INVALID' }),
    );
  });

  it("a static QR names the merchant under PayLend's GUI and has no amount", () => {
    const payload = staticQrPayload(merchant);
    const d = decodeMpm(payload);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.value.pointOfInitiation).toBe('static');
    expect(d.value.transactionAmount).toBeUndefined();
    expect(d.value.transactionCurrency).toBe('156');
    expect(readScannedQr(payload)).toMatchObject({
      ok: true,
      merchantId: 'm-coffee',
      dynamic: false,
      orderId: null,
      amountMinor: null,
      currency: 'CNY',
    });
    expect(payload).toContain(PAYLEND_GUI);
  });

  it('a dynamic QR carries the order id in 62/05 and the amount', () => {
    const payload = dynamicQrPayload(merchant, { orderId: 'ord-1', amountMinor: 2_372n, reference: 'INV-9' });
    expect(readScannedQr(payload)).toMatchObject({
      ok: true,
      dynamic: true,
      orderId: 'ord-1',
      amountMinor: 2_372n,
      currency: 'CNY',
    });
    const d = decodeMpm(payload);
    expect(d.ok && d.value.transactionAmount).toBe('23.72');
    expect(d.ok && d.value.additionalData?.billNumber).toBe('INV-9');
  });

  it("a tampered payload with a recomputed CRC still decodes: only the server's own order is trusted", () => {
    const payload = dynamicQrPayload(merchant, { orderId: 'ord-1', amountMinor: 2_372n, reference: null });
    const tampered = withAmount(payload, '0.01');
    expect(tampered).not.toBe(payload);
    expect(readScannedQr(tampered)).toMatchObject({ ok: true, orderId: 'ord-1', amountMinor: 1n });
  });

  it('refuses a broken payload and a QR of another scheme', () => {
    const payload = staticQrPayload(merchant);
    expect(readScannedQr(payload.slice(0, -1) + '0')).toMatchObject({ ok: false, code: 'QR_INVALID' });
    const foreign = payload.replace(PAYLEND_GUI, 'com.example.pay');
    const fixed = foreign.slice(0, -4) + crc16ccitt(foreign.slice(0, -4));
    expect(readScannedQr(fixed)).toMatchObject({ ok: false, code: 'QR_NOT_PAYLEND' });
  });
});
