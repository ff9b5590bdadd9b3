import { OrderRefunded, OrderSucceeded, PAYMENTS_EVENTS } from './payments/payments.events';
import { createHoldCommand, createHoldsCommand, MAX_HOLDS_PER_COMMAND } from './wallet/wallet.commands';

const service = { userId: 'svc-payments', roles: ['service' as const] };
const cny = (amount: string) => ({ amount, currency: 'CNY' });

describe('partition keys', () => {
  const hold = { actor: service, holdId: 'pay:o-1:w-payer', walletId: 'w-payer', amount: cny('12.34') };
  const capture = { actor: service, fee: cny('0.07'), notAfter: '2026-11-28T12:00:00.000Z' };

  it('a hold captured on arrival goes with the wallet it pays into; any other hold with its payer', () => {
    expect(createHoldCommand.keyOf({ ...hold, toWalletId: 'w-shop', capture })).toBe('w-shop');
    expect(createHoldCommand.keyOf({ ...hold, toWalletId: 'w-shop' })).toBe('w-payer');
    // Captured into clearing (no receiving wallet): nothing to group by but the payer.
    expect(createHoldCommand.keyOf({ ...hold, capture })).toBe('w-payer');
  });

  it('many holds in one command go with the first, and one command carries at most MAX_HOLDS_PER_COMMAND', () => {
    const paying = { ...hold, toWalletId: 'w-shop', capture };
    expect(createHoldsCommand.keyOf({ holds: [paying, { ...paying, holdId: 'pay:o-2:w-payer' }] })).toBe(
      'w-shop',
    );
    expect(createHoldsCommand.schema.safeParse({ holds: [] }).success).toBe(false);
    const most = Array.from({ length: MAX_HOLDS_PER_COMMAND }, (_, i) => ({ ...paying, holdId: `h-${i}` }));
    expect(createHoldsCommand.schema.safeParse({ holds: most }).success).toBe(true);
    expect(createHoldsCommand.schema.safeParse({ holds: [...most, paying] }).success).toBe(false);
  });

  it("an order's events go with its merchant, so one order's events share a partition and stay in order", () => {
    const event = {
      eventId: '00000000-0000-4000-8000-000000000001',
      orderId: 'o-1',
      merchantId: 'm-lucky',
      kind: 'dynamic-qr' as const,
      status: 'SUCCEEDED' as const,
      amount: cny('12.34'),
      captured: cny('12.34'),
      fee: cny('0.07'),
      refunded: cny('0.00'),
      payerWalletId: 'w-payer',
      at: '2026-11-28T12:00:00.000Z',
    };
    expect(OrderSucceeded.keyOf(event)).toBe('m-lucky');
    expect(
      OrderRefunded.keyOf({
        ...event,
        status: 'PARTIALLY_REFUNDED',
        refundId: 'r-1',
        refundAmount: cny('1.00'),
      }),
    ).toBe('m-lucky');
    for (const contract of PAYMENTS_EVENTS)
      expect(
        contract.keyOf({
          ...event,
          orderId: 'o-2',
          failureCode: 'X',
          refundId: 'r',
          refundAmount: cny('1'),
        } as never),
      ).toBe('m-lucky');
  });
});
