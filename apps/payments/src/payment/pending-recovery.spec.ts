import type { HoldView } from '@paylend/contracts';
import { recoveryAction } from './pending-recovery';

const hold = (status: HoldView['status']) => ({
  ok: true as const,
  value: {
    holdId: 'pay:o1:w1',
    walletId: 'w1',
    amount: { amount: '1.00', currency: 'CNY' },
    captured: { amount: status === 'captured' ? '1.00' : '0.00', currency: 'CNY' },
    fee: { amount: status === 'captured' ? '0.01' : '0.00', currency: 'CNY' },
    net: { amount: status === 'captured' ? '0.99' : '0.00', currency: 'CNY' },
    status,
    reference: 'o1',
    expiresAt: null,
  },
});

describe('recovery of PENDING orders', () => {
  it('follows the wallet: captured completes, open is captured, released fails, silence waits', () => {
    expect(recoveryAction(hold('captured'))).toBe('complete');
    expect(recoveryAction(hold('open'))).toBe('capture');
    expect(recoveryAction(hold('voided'))).toBe('fail');
    expect(recoveryAction(hold('expired'))).toBe('fail');
    expect(
      recoveryAction({ ok: false, unavailable: false, error: { code: 'HOLD_NOT_FOUND', message: '' } }),
    ).toBe('fail');
    expect(
      recoveryAction({ ok: false, unavailable: true, error: { code: 'REQUEST_TIMEOUT', message: '' } }),
    ).toBe('wait');
  });
});
