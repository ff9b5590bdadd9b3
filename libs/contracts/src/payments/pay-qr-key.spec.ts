import fc from 'fast-check';
import { encodeMpm, type MpmFields } from '@paylend/emv-qr';
import { payQrCommand } from './payments.commands';
import { payQrKey } from './pay-qr-key';

const merchantQr = (merchantId: string, order?: { id: string; amount: string }): string => {
  const fields: MpmFields = {
    pointOfInitiation: order ? 'dynamic' : 'static',
    merchantAccounts: [
      {
        id: '26',
        template: [
          { id: '00', value: 'com.paylend.pay' },
          { id: '01', value: merchantId },
        ],
      },
    ],
    merchantCategoryCode: '5814',
    transactionCurrency: '156',
    countryCode: 'CN',
    merchantName: 'Tea House',
    merchantCity: 'Shanghai',
    ...(order ? { transactionAmount: order.amount, additionalData: { referenceLabel: order.id } } : {}),
  };
  return encodeMpm(fields);
};

const merchantId = fc.stringMatching(/^[A-Za-z0-9-]{1,40}$/);
const order = fc.record({
  id: fc.stringMatching(/^o[a-f0-9]{24}$/),
  amount: fc
    .tuple(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 0, max: 99 }))
    .map(([units, cents]) => `${units}.${String(cents).padStart(2, '0')}`),
});

describe('payQrKey (the partition key of pay-qr)', () => {
  it('is the same for every QR of one merchant, static or dynamic, and differs between merchants', () => {
    fc.assert(
      fc.property(merchantId, merchantId, order, order, (m1, m2, o1, o2) => {
        const key = payQrKey(merchantQr(m1, o1));
        expect(payQrKey(merchantQr(m1, o2))).toBe(key);
        expect(payQrKey(merchantQr(m1))).toBe(key);
        if (m1 !== m2) expect(payQrKey(merchantQr(m2, o1))).not.toBe(key);
      }),
    );
  });

  it('finds the merchant account wherever it stands among the data objects', () => {
    const payload = '000201' + '5204581453031565802CN' + '26270015com.paylend.pay0104m-42' + '6304ABCD';
    expect(payQrKey(payload)).toBe('26270015com.paylend.pay0104m-42');
  });

  it('counts lengths in characters, so a name outside the BMP before the account does not derail it', () => {
    const payload = '000201' + '5902\u{1F375}T' + '26270015com.paylend.pay0104m-42' + '6304ABCD';
    expect(payQrKey(payload)).toBe('26270015com.paylend.pay0104m-42');
  });

  it('keys a payload it cannot walk, or one without merchant accounts, by the payload itself', () => {
    for (const payload of ['not a qr', '0002', '000201269900', '000201520458145303156'])
      expect(payQrKey(payload)).toBe(payload);
  });

  it('is what the pay-qr contract partitions by, so scans of one order stay on one partition', () => {
    const qrPayload = merchantQr('m-1', { id: 'o0123456789abcdef01234567', amount: '23.72' });
    const actor = { userId: 'u-1', roles: ['consumer' as const] };
    expect(payQrCommand.keyOf({ actor, payerWalletId: 'w_1', qrPayload })).toBe(payQrKey(qrPayload));
    expect(payQrCommand.keyOf({ actor, payerWalletId: 'w_2', qrPayload, orderId: 'o9' })).toBe(
      payQrKey(qrPayload),
    );
  });
});
