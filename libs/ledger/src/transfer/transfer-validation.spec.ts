import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json';
import { codeFromText, codeToText, validateTransfer } from './transfer-validation';
import { splitChains, linked } from './chains';
import { SingleTransferInput } from './transfer';

const base: SingleTransferInput = {
  id: 't1',
  debitAccountId: 'a',
  creditAccountId: 'b',
  amount: '10',
  currency: 'CNY',
  code: 'p2p',
};

describe('transfer validation', () => {
  it('normalises amounts to minor units and hashes equal payloads equally', () => {
    const a = validateTransfer(base);
    const b = validateTransfer({ ...base, amount: '10.00', metadata: null });
    expect(a.ok && b.ok && a.value.amountMinor === 1000n && a.value.hash === b.value.hash).toBe(true);
    const withMeta1 = validateTransfer({ ...base, metadata: { x: 1, y: { b: 2, a: 1 } } });
    const withMeta2 = validateTransfer({ ...base, metadata: { y: { a: 1, b: 2 }, x: 1 } });
    expect(withMeta1.ok && withMeta2.ok && withMeta1.value.hash === withMeta2.value.hash).toBe(true);
    for (const other of [
      { amount: '10.01' },
      { code: 'p2q' },
      { creditAccountId: 'c' },
      { metadata: { x: 2 } },
      { linked: true },
    ]) {
      const c = validateTransfer({ ...base, ...other });
      expect(c.ok && a.ok && c.value.hash !== a.value.hash).toBe(true);
    }
  });

  it('hashes exactly the payload journals already store hashes of', () => {
    // The bytes hashed may never change: a replay of a transfer recorded by an older version must still match.
    const stored = (t: {
      type: string;
      debitAccountId: string | null;
      creditAccountId: string | null;
      amount: string | null;
      currency: string | null;
      code: string | null;
      metadata: Record<string, unknown> | null;
      pendingId: string | null;
      timeoutSeconds: number | null;
      linked: boolean;
    }): string =>
      createHash('sha256')
        .update(
          JSON.stringify([
            t.type,
            t.debitAccountId,
            t.creditAccountId,
            t.amount,
            t.currency,
            t.code,
            t.metadata === null ? null : canonicalJson(t.metadata as never),
            t.pendingId,
            t.timeoutSeconds,
            t.linked,
          ]),
        )
        .digest('hex');
    expect(validateTransfer(base)).toMatchObject({
      ok: true,
      value: {
        hash: stored({
          ...base,
          type: 'single',
          code: 'p2p',
          amount: '1000/CNY',
          metadata: null,
          pendingId: null,
          timeoutSeconds: null,
          linked: false,
        }),
        amountText: '10.00',
        codeValue: 'p2p',
      },
    });
    fc.assert(
      fc.property(
        fc.constantFrom('single' as const, 'pending' as const),
        fc.integer({ min: 1, max: 10 ** 9 }),
        fc.oneof(fc.nat(1000), fc.constantFrom('p2p', 'fee.x', 'a:b-c')),
        fc.option(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean())), {
          nil: null,
        }),
        fc.option(fc.integer({ min: 1, max: 3600 }), { nil: null }),
        fc.boolean(),
        (type, minor, code, metadata, timeout, isLinked) => {
          const amount = `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
          const v = validateTransfer({
            ...base,
            type,
            amount,
            code,
            metadata,
            timeoutSeconds: timeout,
            linked: isLinked,
          });
          if (!v.ok) return v.code === 'METADATA_INVALID';
          return (
            v.value.hash ===
              stored({
                type,
                debitAccountId: 'a',
                creditAccountId: 'b',
                amount: `${minor}/CNY`,
                currency: 'CNY',
                code: String(code),
                metadata,
                pendingId: null,
                timeoutSeconds: type === 'pending' ? timeout : null,
                linked: isLinked,
              }) &&
            v.value.amountText === amount &&
            v.value.codeValue === code
          );
        },
      ),
    );
    const post = validateTransfer({ type: 'post_pending', id: 'p', pendingId: 'h', amount: '2.50' });
    expect(post).toMatchObject({
      ok: true,
      value: {
        hash: stored({
          type: 'post_pending',
          debitAccountId: null,
          creditAccountId: null,
          amount: '2.5',
          currency: null,
          code: null,
          metadata: null,
          pendingId: 'h',
          timeoutSeconds: null,
          linked: false,
        }),
        amountText: null,
        codeValue: null,
      },
    });
  });

  it('keeps integer and string codes apart', () => {
    expect(codeToText(7)).toBe('7');
    expect(codeFromText('7')).toBe(7);
    expect(codeFromText('fee')).toBe('fee');
    expect(codeToText('7')).toBeNull();
    expect(codeToText(2 ** 31)).toBeNull();
  });

  it('refuses metadata jsonb cannot store', () => {
    expect(validateTransfer({ ...base, metadata: { a: 'x\u0000y' } })).toMatchObject({
      ok: false,
      code: 'METADATA_INVALID',
    });
    expect(validateTransfer({ ...base, metadata: { a: Number.NaN } })).toMatchObject({
      ok: false,
      code: 'METADATA_INVALID',
    });
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 12; i++) deep = deep['n'] = {};
    expect(validateTransfer({ ...base, metadata: root as never })).toMatchObject({
      ok: false,
      code: 'METADATA_INVALID',
    });
  });

  it('validates post and void shapes', () => {
    expect(validateTransfer({ type: 'post_pending', id: 'p', pendingId: '~x' })).toMatchObject({
      ok: false,
      code: 'PENDING_NOT_FOUND',
    });
    expect(validateTransfer({ type: 'post_pending', id: 'p', pendingId: 'x', amount: '0' })).toMatchObject({
      ok: false,
      code: 'AMOUNT_INVALID',
    });
    expect(
      validateTransfer({ type: 'post_pending', id: 'p', pendingId: 'x', currency: 'QQQ' }),
    ).toMatchObject({ ok: false, code: 'CURRENCY_UNKNOWN' });
    expect(validateTransfer({ type: 'void_pending', id: 'p', pendingId: 'x', code: '1' })).toMatchObject({
      ok: false,
      code: 'CODE_INVALID',
    });
    expect(validateTransfer({ type: 'void_pending', id: 'p', pendingId: 'x' })).toMatchObject({ ok: true });
  });

  it('splits chains at the first unlinked transfer and flags an open one', () => {
    expect(splitChains([{}, { linked: true }, {}, { linked: true }])).toEqual([
      { start: 0, end: 1, open: false },
      { start: 1, end: 3, open: false },
      { start: 3, end: 4, open: true },
    ]);
    expect(linked([{ linked: false }, { linked: false }, { linked: true }]).map((t) => t.linked)).toEqual([
      true,
      true,
      false,
    ]);
  });
});
