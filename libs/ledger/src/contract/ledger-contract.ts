import { AccountInput } from '../account';
import { TestClock } from '../clock';
import { Ledger } from '../ledger';
import { linked, PostResult, TransferInput } from '../transfer';

/** What a contract run needs: a ledger reading `clock`. */
export interface ContractSubject {
  ledger: Ledger;
  clock: TestClock;
}

let runCounter = 0;

/**
 * The behaviour every `Ledger` must have, written once and run against the in-memory model (unit tests)
 * and the PostgreSQL store (integration tests). Each test works on its own fresh account ids, so a shared
 * database needs no cleaning between tests.
 */
export function ledgerContract(name: string, subject: () => ContractSubject): void {
  describe(`${name}: ledger contract`, () => {
    let ledger: Ledger;
    let clock: TestClock;
    let p: string;
    const id = (s: string): string => `${p}${s}`;

    beforeEach(() => {
      ({ ledger, clock } = subject());
      p = `r${++runCounter}${Math.random().toString(36).slice(2, 7)}-`;
    });

    const wallet = (s: string, extra: Partial<AccountInput> = {}): AccountInput => ({
      id: id(s),
      currency: 'CNY',
      normalSide: 'credit',
      flags: { debitsMustNotExceedCredits: true },
      ...extra,
    });
    const bank = (s = 'bank', currency = 'CNY'): AccountInput => ({
      id: id(s),
      currency,
      normalSide: 'debit',
    });
    const pay = (
      tid: string,
      from: string,
      to: string,
      amount: string,
      extra: Partial<TransferInput> = {},
    ): TransferInput =>
      ({
        id: id(tid),
        debitAccountId: id(from),
        creditAccountId: id(to),
        amount,
        currency: 'CNY',
        code: 'p2p',
        ...extra,
      }) as TransferInput;
    const hold = (
      tid: string,
      from: string,
      to: string,
      amount: string,
      timeoutSeconds?: number,
    ): TransferInput => ({
      type: 'pending',
      id: id(tid),
      debitAccountId: id(from),
      creditAccountId: id(to),
      amount,
      currency: 'CNY',
      code: 'hold',
      timeoutSeconds: timeoutSeconds ?? null,
    });
    const codes = (rs: PostResult[]): string[] => rs.map((r) => (r.ok ? 'ok' : r.code));
    async function setup(funds = '100.00'): Promise<void> {
      const created = await ledger.createAccounts([bank(), wallet('alice'), wallet('bob')]);
      expect(created.every((c) => c.ok)).toBe(true);
      expect(codes(await ledger.post([pay('topup', 'bank', 'alice', funds)]))).toEqual(['ok']);
    }
    async function posted(s: string): Promise<string> {
      const [b] = await ledger.balances([id(s)]);
      return b!.posted;
    }
    async function available(s: string): Promise<string> {
      const [b] = await ledger.balances([id(s)]);
      return b!.available;
    }

    describe('accounts', () => {
      it('creates accounts idempotently by id and refuses the same id with other attributes', async () => {
        const [a] = await ledger.createAccounts([wallet('a', { ownerRef: 'user-1', creditLimit: '50' })]);
        expect(a).toMatchObject({
          ok: true,
          created: true,
          account: { id: id('a'), status: 'active', creditLimit: '50.00', ownerRef: 'user-1' },
        });
        const [again] = await ledger.createAccounts([
          wallet('a', { ownerRef: 'user-1', creditLimit: '50.00' }),
        ]);
        expect(again).toMatchObject({ ok: true, created: false });
        const [other] = await ledger.createAccounts([wallet('a', { ownerRef: 'user-2' })]);
        expect(other).toMatchObject({ ok: false, code: 'ID_CONFLICT' });
      });

      it.each([
        ['ID_INVALID', { id: '~bad' }],
        ['CURRENCY_UNKNOWN', { currency: 'XXX' }],
        ['NORMAL_SIDE_INVALID', { normalSide: 'up' }],
        ['FLAGS_INVALID', { flags: { debitsMustNotExceedCredits: true, creditsMustNotExceedDebits: true } }],
        ['CREDIT_LIMIT_INVALID', { creditLimit: '1.001' }],
        ['CREDIT_LIMIT_INVALID', { creditLimit: '-1' }],
        ['CREDIT_LIMIT_INVALID', { creditLimit: '5', flags: {} }],
        ['CREDIT_LIMIT_INVALID', { creditLimit: '1000000000000000' }],
        ['OWNER_INVALID', { ownerRef: 'x'.repeat(201) }],
      ])('refuses an invalid account with %s', async (code, patch) => {
        const input = { ...wallet('v'), ...patch } as AccountInput;
        const [r] = await ledger.createAccounts([input]);
        expect(r).toMatchObject({ ok: false, code });
        expect(r!.ok ? '' : r!.message.length).toBeGreaterThan(10);
      });

      it('freezes, unfreezes and closes only an empty account; closed is terminal', async () => {
        await setup();
        expect(await ledger.setAccountStatus(id('alice'), 'frozen')).toMatchObject({
          ok: true,
          account: { status: 'frozen' },
        });
        expect(await ledger.setAccountStatus(id('alice'), 'active')).toMatchObject({
          ok: true,
          account: { status: 'active' },
        });
        expect(await ledger.setAccountStatus(id('alice'), 'closed')).toMatchObject({
          ok: false,
          code: 'ACCOUNT_NOT_EMPTY',
        });
        expect(await ledger.setAccountStatus(id('bob'), 'closed')).toMatchObject({ ok: true });
        expect(await ledger.setAccountStatus(id('bob'), 'active')).toMatchObject({
          ok: false,
          code: 'ACCOUNT_CLOSED',
        });
        expect(await ledger.setAccountStatus(id('nobody'), 'frozen')).toMatchObject({
          ok: false,
          code: 'ACCOUNT_NOT_FOUND',
        });
        expect(await ledger.setAccountStatus(id('alice'), 'gone' as never)).toMatchObject({
          ok: false,
          code: 'STATUS_INVALID',
        });
        expect((await ledger.getAccount(id('bob')))?.status).toBe('closed');
      });
    });

    describe('single-phase transfers', () => {
      it('moves money, normalises the amount and keeps code and metadata', async () => {
        await setup();
        const [r] = await ledger.post([
          pay('t', 'alice', 'bob', '12.3', { code: 42, metadata: { order: 'o-1', n: [1, 2] } }),
        ]);
        expect(r).toMatchObject({
          ok: true,
          replayed: false,
          transfer: { amount: '12.30', code: 42, metadata: { order: 'o-1', n: [1, 2] }, type: 'single' },
        });
        expect(await posted('alice')).toBe('87.70');
        expect(await posted('bob')).toBe('12.30');
        expect(await posted('bank')).toBe('100.00');
        expect(await ledger.getTransfer(id('t'))).toMatchObject({
          amount: '12.30',
          debitAccountId: id('alice'),
        });
      });

      it('refuses overdrafts with INSUFFICIENT_FUNDS and leaves no trace', async () => {
        await setup('10');
        const rs = await ledger.post([pay('t', 'alice', 'bob', '10.01')]);
        expect(rs[0]).toMatchObject({ ok: false, code: 'INSUFFICIENT_FUNDS' });
        expect(await posted('alice')).toBe('10.00');
        expect(await ledger.getTransfer(id('t'))).toBeNull();
        const st = await ledger.statement(id('bob'));
        expect(st.lines).toHaveLength(0);
        // The id was not used up by the refusal: after a top-up the same id goes through.
        await ledger.post([pay('topup2', 'bank', 'alice', '1')]);
        expect(codes(await ledger.post([pay('t', 'alice', 'bob', '10.01')]))).toEqual(['ok']);
      });

      it('lets an account with a credit limit go negative up to the limit, then LIMIT_EXCEEDED', async () => {
        await ledger.createAccounts([bank(), wallet('card', { creditLimit: '50' }), wallet('shop')]);
        expect(
          codes(
            await ledger.post([
              pay('a', 'card', 'shop', '30'),
              pay('b', 'card', 'shop', '20'),
              pay('c', 'card', 'shop', '0.01'),
            ]),
          ),
        ).toEqual(['ok', 'ok', 'LIMIT_EXCEEDED']);
        const [b] = await ledger.balances([id('card')]);
        expect(b).toMatchObject({ posted: '-50.00', available: '-50.00', spendable: '0.00' });
      });

      it('enforces credits_must_not_exceed_debits on the credit side', async () => {
        await ledger.createAccounts([
          {
            id: id('loan'),
            currency: 'CNY',
            normalSide: 'debit',
            flags: { creditsMustNotExceedDebits: true },
          },
          wallet('w'),
          bank(),
        ]);
        await ledger.post([pay('disburse', 'loan', 'w', '100')]);
        expect(
          codes(
            await ledger.post([
              pay('repay1', 'w', 'loan', '60'),
              pay('repay2', 'w', 'loan', '40.01'),
              pay('repay3', 'w', 'loan', '40'),
            ]),
          ),
        ).toEqual(['ok', 'INSUFFICIENT_FUNDS', 'ok']);
        expect(await posted('loan')).toBe('0.00');
      });

      it.each([
        ['AMOUNT_INVALID', { amount: '0' }],
        ['AMOUNT_INVALID', { amount: '-1' }],
        ['AMOUNT_INVALID', { amount: '1.001' }],
        ['AMOUNT_INVALID', { amount: 5 }],
        ['AMOUNT_INVALID', { amount: '1e3' }],
        ['AMOUNT_INVALID', { amount: '1000000000000000000' }],
        ['CURRENCY_UNKNOWN', { currency: 'ABC' }],
        ['CURRENCY_MISMATCH', { currency: 'USD' }],
        ['SAME_ACCOUNT', { creditAccountId: 'SELF' }],
        ['ACCOUNT_NOT_FOUND', { creditAccountId: 'nobody' }],
        ['ACCOUNT_NOT_FOUND', { debitAccountId: 'nobody' }],
        ['CODE_INVALID', { code: '123' }],
        ['CODE_INVALID', { code: -1 }],
        ['CODE_INVALID', { code: 1.5 }],
        ['CODE_INVALID', { code: 'has space' }],
        ['METADATA_INVALID', { metadata: { big: 'x'.repeat(5000) } }],
        ['METADATA_INVALID', { metadata: [1] }],
        ['METADATA_INVALID', { metadata: { d: new Date(0) } }],
        ['ID_INVALID', { id: '' }],
        ['ID_INVALID', { id: '~x' }],
        ['TYPE_INVALID', { type: 'teleport' }],
        ['TIMEOUT_INVALID', { type: 'pending', timeoutSeconds: 0 }],
        ['TIMEOUT_INVALID', { type: 'pending', timeoutSeconds: 1.5 }],
      ])('refuses with %s (%j)', async (code, patch) => {
        await setup();
        const t = { ...pay('t', 'alice', 'bob', '1') } as Record<string, unknown>;
        for (const [k, v] of Object.entries(patch)) {
          t[k] =
            (k === 'debitAccountId' || k === 'creditAccountId') && typeof v === 'string'
              ? v === 'SELF'
                ? id('alice')
                : id(v)
              : v;
        }
        const [r] = await ledger.post([t as unknown as TransferInput]);
        expect(r).toMatchObject({ ok: false, code });
        expect(await posted('alice')).toBe('100.00');
      });

      it('refuses a transfer that would overflow a balance with OVERFLOW', async () => {
        await ledger.createAccounts([
          bank('jbank', 'JPY'),
          { id: id('jw'), currency: 'JPY', normalSide: 'credit' },
        ]);
        const max = '99999999999999999'; // just under the 10^17 minor-unit cap of one amount
        const rs = await ledger.post(
          Array.from({ length: 41 }, (_, i) => ({
            id: id(`big${i}`),
            debitAccountId: id('jbank'),
            creditAccountId: id('jw'),
            amount: max,
            currency: 'JPY',
            code: 'big',
          })),
        );
        expect(
          codes(rs)
            .slice(0, 40)
            .every((c) => c === 'ok'),
        ).toBe(true);
        expect(codes(rs)[40]).toBe('OVERFLOW');
        expect((await ledger.balances([id('jw')]))[0]!.posted).toBe('3999999999999999960');
      });

      it('keeps one failure from blocking the rest of a batch and applies a batch in order', async () => {
        await setup('10');
        const rs = await ledger.post([
          pay('a', 'alice', 'bob', '8'),
          pay('b', 'alice', 'bob', '8'),
          pay('c', 'bob', 'alice', '5'),
          pay('d', 'alice', 'bob', '6'),
        ]);
        expect(codes(rs)).toEqual(['ok', 'INSUFFICIENT_FUNDS', 'ok', 'ok']);
        expect(await posted('alice')).toBe('1.00');
        expect(await posted('bob')).toBe('9.00');
      });

      it('returns the first result on replay and ID_CONFLICT on a different payload', async () => {
        await setup();
        const [first] = await ledger.post([pay('t', 'alice', 'bob', '5', { metadata: { a: 1, b: 2 } })]);
        clock.advance(1000);
        const [again] = await ledger.post([pay('t', 'alice', 'bob', '5.00', { metadata: { b: 2, a: 1 } })]);
        expect(again).toEqual({ ...first, replayed: true });
        expect(await posted('alice')).toBe('95.00');
        const [conflict] = await ledger.post([pay('t', 'alice', 'bob', '6')]);
        expect(conflict).toMatchObject({ ok: false, code: 'ID_CONFLICT' });
        const rs = await ledger.post([
          pay('u', 'alice', 'bob', '1'),
          pay('u', 'alice', 'bob', '1'),
          pay('u', 'alice', 'bob', '2'),
        ]);
        expect(rs.map((r) => (r.ok ? r.replayed : r.code))).toEqual([false, true, 'ID_CONFLICT']);
        expect(await posted('alice')).toBe('94.00');
      });
    });

    describe('account status', () => {
      it('lets a frozen account receive but not send', async () => {
        await setup();
        await ledger.setAccountStatus(id('alice'), 'frozen');
        expect(
          codes(
            await ledger.post([
              pay('in', 'bank', 'alice', '5'),
              pay('out', 'alice', 'bob', '1'),
              hold('h', 'alice', 'bob', '1'),
            ]),
          ),
        ).toEqual(['ok', 'ACCOUNT_FROZEN', 'ACCOUNT_FROZEN']);
        expect(await posted('alice')).toBe('105.00');
        await ledger.setAccountStatus(id('alice'), 'active');
        expect(codes(await ledger.post([pay('out', 'alice', 'bob', '1')]))).toEqual(['ok']);
      });

      it('refuses any movement on a closed account', async () => {
        await setup();
        await ledger.setAccountStatus(id('bob'), 'closed');
        expect(codes(await ledger.post([pay('x', 'alice', 'bob', '1')]))).toEqual(['ACCOUNT_CLOSED']);
      });
    });

    describe('linked transfers', () => {
      it('applies a chain as one and fails it as one', async () => {
        await ledger.createAccounts([bank(), wallet('alice'), wallet('shop'), wallet('fees')]);
        await ledger.post([pay('topup', 'bank', 'alice', '10')]);
        const ok = await ledger.post(
          linked([pay('p1', 'alice', 'shop', '6'), pay('f1', 'shop', 'fees', '0.06')]),
        );
        expect(codes(ok)).toEqual(['ok', 'ok']);
        const bad = await ledger.post([
          ...linked([pay('p2', 'alice', 'shop', '3'), pay('f2', 'alice', 'fees', '2')]),
          pay('solo', 'alice', 'shop', '1'),
        ]);
        expect(codes(bad)).toEqual(['LINKED_TRANSFER_FAILED', 'INSUFFICIENT_FUNDS', 'ok']);
        expect(await posted('alice')).toBe('3.00');
        expect(await ledger.getTransfer(id('p2'))).toBeNull();
        // p2's id was released with the chain: it can be used again.
        expect(codes(await ledger.post([pay('p2', 'alice', 'shop', '3')]))).toEqual(['ok']);
      });

      it('fails a chain left open at the end of the batch', async () => {
        await setup();
        const rs = await ledger.post([
          pay('a', 'alice', 'bob', '1'),
          pay('b', 'alice', 'bob', '1', { linked: true }),
          pay('c', 'alice', 'bob', '1', { linked: true }),
        ]);
        expect(codes(rs)).toEqual(['ok', 'LINKED_CHAIN_OPEN', 'LINKED_CHAIN_OPEN']);
        expect(await posted('alice')).toBe('99.00');
      });
    });

    describe('two-phase transfers', () => {
      it('reserves with a pending transfer, then posts in full', async () => {
        await setup();
        expect(codes(await ledger.post([hold('h', 'alice', 'bob', '40')]))).toEqual(['ok']);
        expect(await posted('alice')).toBe('100.00');
        expect(await available('alice')).toBe('60.00');
        expect(codes(await ledger.post([hold('h2', 'alice', 'bob', '60.01')]))).toEqual([
          'INSUFFICIENT_FUNDS',
        ]);
        expect(await ledger.pendingStatus(id('h'))).toBe('open');
        const [r] = await ledger.post([{ type: 'post_pending', id: id('hp'), pendingId: id('h') }]);
        expect(r).toMatchObject({
          ok: true,
          transfer: { amount: '40.00', code: 'hold', pendingId: id('h'), debitAccountId: id('alice') },
        });
        expect(await posted('alice')).toBe('60.00');
        expect(await available('alice')).toBe('60.00');
        expect(await posted('bob')).toBe('40.00');
        expect(await ledger.pendingStatus(id('h'))).toBe('posted');
      });

      it('posts partially and releases the rest', async () => {
        await setup();
        await ledger.post([hold('h', 'alice', 'bob', '40')]);
        const [r] = await ledger.post([
          {
            type: 'post_pending',
            id: id('hp'),
            pendingId: id('h'),
            amount: '15.5',
            code: 'capture',
            currency: 'CNY',
          },
        ]);
        expect(r).toMatchObject({ ok: true, transfer: { amount: '15.50', code: 'capture' } });
        expect(await available('alice')).toBe('84.50');
        const [b] = await ledger.balances([id('bob')]);
        expect(b).toMatchObject({ creditsPending: '0.00', posted: '15.50' });
      });

      it('voids and refuses a second resolution', async () => {
        await setup();
        await ledger.post([hold('h', 'alice', 'bob', '40'), hold('g', 'alice', 'bob', '10')]);
        expect(
          codes(await ledger.post([{ type: 'void_pending', id: id('hv'), pendingId: id('h') }])),
        ).toEqual(['ok']);
        expect(await available('alice')).toBe('90.00');
        expect(await ledger.pendingStatus(id('h'))).toBe('voided');
        const rs = await ledger.post([
          { type: 'post_pending', id: id('x1'), pendingId: id('h') },
          { type: 'void_pending', id: id('x2'), pendingId: id('h') },
          { type: 'post_pending', id: id('x3'), pendingId: id('nope') },
          { type: 'post_pending', id: id('x4'), pendingId: id('g'), amount: '10.01' },
          { type: 'post_pending', id: id('x5'), pendingId: id('g'), currency: 'USD' },
          { type: 'post_pending', id: id('x6'), pendingId: id('g'), amount: '1.001' },
          { type: 'post_pending', id: id('x7'), pendingId: id('topup') },
          { type: 'post_pending', id: id('x8'), pendingId: id('g') },
          { type: 'post_pending', id: id('x9'), pendingId: id('g') },
          { type: 'void_pending', id: id('x10'), pendingId: id('g') },
        ]);
        expect(codes(rs)).toEqual([
          'PENDING_ALREADY_VOIDED',
          'PENDING_ALREADY_VOIDED',
          'PENDING_NOT_FOUND',
          'AMOUNT_EXCEEDS_PENDING',
          'CURRENCY_MISMATCH',
          'AMOUNT_INVALID',
          'PENDING_NOT_FOUND',
          'ok',
          'PENDING_ALREADY_POSTED',
          'PENDING_ALREADY_POSTED',
        ]);
        expect(await posted('alice')).toBe('90.00');
      });

      it('expires a hold after its timeout, by the clock, and releases it in bulk', async () => {
        await setup();
        await ledger.post([
          hold('h1', 'alice', 'bob', '10', 60),
          hold('h2', 'alice', 'bob', '20', 120),
          hold('h3', 'alice', 'bob', '5'),
        ]);
        clock.advance(60_000);
        expect(
          codes(await ledger.post([{ type: 'post_pending', id: id('late'), pendingId: id('h1') }])),
        ).toEqual(['PENDING_EXPIRED']);
        expect(
          codes(await ledger.post([{ type: 'void_pending', id: id('late2'), pendingId: id('h1') }])),
        ).toEqual(['PENDING_EXPIRED']);
        const expired = await ledger.expirePending(clock.now());
        expect(
          expired.filter((t) => t.pendingId?.startsWith(p)).map((t) => [t.type, t.pendingId, t.amount]),
        ).toEqual([['expire_pending', id('h1'), '10.00']]);
        expect(await ledger.pendingStatus(id('h1'))).toBe('expired');
        expect(await available('alice')).toBe('75.00');
        expect(
          codes(await ledger.post([{ type: 'post_pending', id: id('late3'), pendingId: id('h1') }])),
        ).toEqual(['PENDING_EXPIRED']);
        clock.advance(3600_000);
        await ledger.expirePending();
        expect(await ledger.pendingStatus(id('h2'))).toBe('expired');
        expect(await ledger.pendingStatus(id('h3'))).toBe('open');
        expect(await available('alice')).toBe('95.00');
      });

      it('journals expiries of one sweep in (timeout, id) order', async () => {
        await setup();
        await ledger.post([
          hold('late', 'alice', 'bob', '1', 50),
          hold('b-early', 'alice', 'bob', '2', 10),
          hold('a-early', 'alice', 'bob', '3', 10),
        ]);
        clock.advance(60_000);
        await ledger.expirePending();
        const lines = (await ledger.statement(id('alice'))).lines.filter(
          (l) => l.transferType === 'expire_pending',
        );
        expect(lines.map((l) => [l.transferId, l.balanceAfter.available])).toEqual([
          [`~expired:${id('a-early')}`, '97.00'],
          [`~expired:${id('b-early')}`, '99.00'],
          [`~expired:${id('late')}`, '100.00'],
        ]);
      });

      it('refuses to capture a hold on a frozen account but lets it be voided', async () => {
        await setup();
        await ledger.post([hold('h', 'alice', 'bob', '10'), hold('g', 'alice', 'bob', '10')]);
        await ledger.setAccountStatus(id('alice'), 'frozen');
        expect(codes(await ledger.post([{ type: 'post_pending', id: id('c'), pendingId: id('h') }]))).toEqual(
          ['ACCOUNT_FROZEN'],
        );
        expect(codes(await ledger.post([{ type: 'void_pending', id: id('v'), pendingId: id('g') }]))).toEqual(
          ['ok'],
        );
      });

      it('resolves a hold created earlier in the same batch', async () => {
        await setup();
        const rs = await ledger.post([
          hold('h', 'alice', 'bob', '10'),
          { type: 'post_pending', id: id('hp'), pendingId: id('h'), amount: '4' },
        ]);
        expect(codes(rs)).toEqual(['ok', 'ok']);
        expect(await ledger.pendingStatus(id('h'))).toBe('posted');
        expect(await available('alice')).toBe('96.00');
      });
    });

    describe('history', () => {
      it('gives the balance as of any instant and a paginated statement with running balances', async () => {
        await setup();
        const t0 = clock.now();
        clock.advance(1000);
        await ledger.post([pay('a', 'alice', 'bob', '10')]);
        const t1 = clock.now();
        clock.advance(1000);
        await ledger.post([hold('h', 'alice', 'bob', '5'), pay('b', 'bob', 'alice', '2.5')]);
        clock.advance(1000);
        expect((await ledger.balanceAsOf(id('alice'), new Date(t0.getTime() - 1)))?.posted).toBe('0.00');
        expect((await ledger.balanceAsOf(id('alice'), t0))?.posted).toBe('100.00');
        expect((await ledger.balanceAsOf(id('alice'), new Date(t1.getTime() + 500)))?.posted).toBe('90.00');
        expect(await ledger.balanceAsOf(id('alice'), clock.now())).toMatchObject({
          posted: '92.50',
          available: '87.50',
        });
        expect(await ledger.balanceAsOf(id('nobody'), clock.now())).toBeNull();

        const lines = [];
        let cursor: string | null = null;
        do {
          const page = await ledger.statement(id('alice'), { cursor, limit: 2 });
          expect(page.lines.length).toBeLessThanOrEqual(2);
          lines.push(...page.lines);
          cursor = page.nextCursor;
        } while (cursor !== null);
        expect(
          lines.map((l) => [
            l.transferId,
            l.side,
            l.postedAmount,
            l.pendingDelta,
            l.balanceAfter.posted,
            l.balanceAfter.available,
          ]),
        ).toEqual([
          [id('topup'), 'credit', '100.00', '0.00', '100.00', '100.00'],
          [id('a'), 'debit', '10.00', '0.00', '90.00', '90.00'],
          [id('h'), 'debit', '0.00', '5.00', '90.00', '85.00'],
          [id('b'), 'credit', '2.50', '0.00', '92.50', '87.50'],
        ]);
        expect((await ledger.statement(id('alice'), { limit: 10 })).nextCursor).toBeNull();
      });
    });
  });
}
