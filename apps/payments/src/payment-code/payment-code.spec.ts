import fc from 'fast-check';
import {
  derivePaymentCode,
  newWalletToken,
  parsePaymentCode,
  PAYMENT_CODE_WINDOW_MS,
  verifyPaymentCode,
} from './payment-code';

const secret = 'test-secret-with-at-least-thirty-two-characters';
const at = new Date('2026-11-28T12:00:30.000Z');

describe('payment codes', () => {
  it('is 18 digits, carries the wallet token, and changes every 60 seconds', () => {
    const token = newWalletToken();
    const a = derivePaymentCode({ secret, walletId: 'w-1', token, at });
    expect(a.code).toMatch(/^28[0-9]{16}$/);
    expect(parsePaymentCode(a.code)?.token).toBe(token);
    expect(a.validUntil.getTime() - a.validFrom.getTime()).toBe(PAYMENT_CODE_WINDOW_MS);
    const sameMinute = derivePaymentCode({
      secret,
      walletId: 'w-1',
      token,
      at: new Date(at.getTime() + 20_000),
    });
    expect(sameMinute.code).toBe(a.code);
    const nextMinute = derivePaymentCode({
      secret,
      walletId: 'w-1',
      token,
      at: new Date(at.getTime() + 60_000),
    });
    expect(nextMinute.code).not.toBe(a.code);
  });

  it('verifies in its window and the one after (scan latency), then expires', () => {
    const token = newWalletToken();
    const { code } = derivePaymentCode({ secret, walletId: 'w-1', token, at });
    expect(verifyPaymentCode({ secret, code, walletId: 'w-1', at })).toMatchObject({ ok: true });
    expect(
      verifyPaymentCode({ secret, code, walletId: 'w-1', at: new Date(at.getTime() + 60_000) }),
    ).toMatchObject({ ok: true });
    expect(
      verifyPaymentCode({ secret, code, walletId: 'w-1', at: new Date(at.getTime() + 120_000) }),
    ).toMatchObject({ ok: false, code: 'PAYMENT_CODE_EXPIRED' });
    // A code from the future (a clock far ahead on the phone) is not accepted either.
    expect(
      verifyPaymentCode({ secret, code, walletId: 'w-1', at: new Date(at.getTime() - 60_000) }),
    ).toMatchObject({ ok: false, code: 'PAYMENT_CODE_INVALID' });
  });

  it('is bound to its wallet and to the server secret', () => {
    const token = newWalletToken();
    const { code } = derivePaymentCode({ secret, walletId: 'w-1', token, at });
    expect(verifyPaymentCode({ secret, code, walletId: 'w-2', at })).toMatchObject({
      ok: false,
      code: 'PAYMENT_CODE_INVALID',
    });
    expect(verifyPaymentCode({ secret: `${secret}x`, code, walletId: 'w-1', at })).toMatchObject({
      ok: false,
    });
  });

  it('refuses malformed codes', () => {
    for (const bad of ['', '123', '29' + '0'.repeat(16), '28abc' + '0'.repeat(13), '2'.repeat(19)]) {
      expect(verifyPaymentCode({ secret, code: bad, walletId: 'w-1', at })).toMatchObject({
        ok: false,
        code: 'PAYMENT_CODE_INVALID',
      });
    }
  });

  it('property: a code verifies only for its own wallet, and altering any digit of its password breaks it', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9-]{1,20}$/),
        fc.stringMatching(/^[a-z0-9-]{1,20}$/),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 9 }),
        fc.date({ min: new Date('2020-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }),
        (walletId, other, pos, delta, when) => {
          const token = newWalletToken();
          const { code } = derivePaymentCode({ secret, walletId, token, at: when });
          expect(verifyPaymentCode({ secret, code, walletId, at: when }).ok).toBe(true);
          if (other !== walletId) {
            // Six digits leave a one-in-a-million chance of a collision per window; two windows checked.
            const check = verifyPaymentCode({ secret, code, walletId: other, at: when });
            expect(check.ok).toBe(false);
          }
          const i = 12 + pos;
          const altered = code.slice(0, i) + String((Number(code[i]) + delta) % 10) + code.slice(i + 1);
          expect(verifyPaymentCode({ secret, code: altered, walletId, at: when }).ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
