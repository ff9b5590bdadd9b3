import { CaptureHoldSchema, OpenWalletSchema } from './wallet.commands';

const actor = { userId: 'svc-payments', roles: ['service' as const] };

describe('wallet command schemas', () => {
  it('a capture may carry a non-negative fee as decimal-string money, never a number', () => {
    const base = { actor, holdId: 'h1', amount: { amount: '10.00', currency: 'CNY' } };
    expect(CaptureHoldSchema.safeParse(base).success).toBe(true);
    expect(CaptureHoldSchema.safeParse({ ...base, fee: { amount: '0.06', currency: 'CNY' } }).success).toBe(
      true,
    );
    expect(CaptureHoldSchema.safeParse({ ...base, fee: { amount: '0', currency: 'CNY' } }).success).toBe(
      true,
    );
    expect(CaptureHoldSchema.safeParse({ ...base, fee: { amount: '-0.01', currency: 'CNY' } }).success).toBe(
      false,
    );
    expect(CaptureHoldSchema.safeParse({ ...base, fee: { amount: 0.06, currency: 'CNY' } }).success).toBe(
      false,
    );
  });

  it('a wallet is opened personal by default or as a merchant wallet', () => {
    const base = { actor, userId: 'merchant:m1', currency: 'CNY' };
    expect(OpenWalletSchema.safeParse(base).success).toBe(true);
    expect(OpenWalletSchema.safeParse({ ...base, kind: 'merchant' }).success).toBe(true);
    expect(OpenWalletSchema.safeParse({ ...base, kind: 'shop' }).success).toBe(false);
  });
});
