import { AccountSpec } from './account';
import { limitBreach, toBalance } from './balance';
import { statusChangeError } from './status';

const spec = (patch: Partial<AccountSpec> = {}): AccountSpec => ({
  id: 'a',
  currency: 'CNY',
  normalSide: 'credit',
  ownerRef: null,
  debitsMustNotExceedCredits: true,
  creditsMustNotExceedDebits: false,
  creditLimitMinor: 0n,
  ...patch,
});
const bal = (dp: bigint, cp: bigint, dpe = 0n, cpe = 0n) => ({
  debitsPosted: dp,
  creditsPosted: cp,
  debitsPending: dpe,
  creditsPending: cpe,
});

describe('balances and limits', () => {
  it('counts holds against the limit but not incoming pendings towards it', () => {
    expect(limitBreach(spec(), bal(50n, 100n, 50n))).toBeNull();
    expect(limitBreach(spec(), bal(50n, 100n, 51n))).toBe('INSUFFICIENT_FUNDS');
    expect(limitBreach(spec(), bal(101n, 100n, 0n, 500n))).toBe('INSUFFICIENT_FUNDS');
    expect(limitBreach(spec({ creditLimitMinor: 10n }), bal(110n, 100n))).toBeNull();
    expect(limitBreach(spec({ creditLimitMinor: 10n }), bal(111n, 100n))).toBe('LIMIT_EXCEEDED');
    const debitSide = spec({
      normalSide: 'debit',
      debitsMustNotExceedCredits: false,
      creditsMustNotExceedDebits: true,
    });
    expect(limitBreach(debitSide, bal(100n, 100n))).toBeNull();
    expect(limitBreach(debitSide, bal(100n, 100n, 0n, 1n))).toBe('INSUFFICIENT_FUNDS');
    expect(limitBreach(spec({ debitsMustNotExceedCredits: false }), bal(10n ** 12n, 0n))).toBeNull();
  });

  it('reports posted, available and spendable on the normal side', () => {
    expect(toBalance(spec({ creditLimitMinor: 1000n }), bal(2000n, 10000n, 500n, 700n))).toMatchObject({
      posted: '80.00',
      available: '75.00',
      spendable: '85.00',
      creditsPending: '7.00',
    });
    expect(toBalance(spec({ normalSide: 'debit' }), bal(10000n, 2500n, 300n, 100n))).toMatchObject({
      posted: '75.00',
      available: '74.00',
    });
  });

  it('allows only sensible status changes', () => {
    expect(statusChangeError('active', 'frozen', bal(0n, 5n))).toBeNull();
    expect(statusChangeError('frozen', 'active', bal(0n, 5n))).toBeNull();
    expect(statusChangeError('active', 'closed', bal(0n, 5n))).toBe('ACCOUNT_NOT_EMPTY');
    expect(statusChangeError('active', 'closed', bal(5n, 5n, 1n))).toBe('ACCOUNT_NOT_EMPTY');
    expect(statusChangeError('frozen', 'closed', bal(5n, 5n))).toBeNull();
    expect(statusChangeError('closed', 'active', bal(0n, 0n))).toBe('ACCOUNT_CLOSED');
    expect(statusChangeError('active', 'deleted' as never, bal(0n, 0n))).toBe('STATUS_INVALID');
  });
});
