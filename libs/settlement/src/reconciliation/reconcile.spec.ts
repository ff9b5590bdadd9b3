import fc from 'fast-check';
import { TestClock } from '@paylend/ledger';
import { isoExponent } from '../currency/iso-exponent';
import { instructionsFor } from '../instruction/instructions';
import { transfersArb } from '../netting/arbitraries';
import { net } from '../netting/net';
import { postingsFor } from '../posting/postings';
import { parseCamt053 } from '../statement/camt053';
import { StatementEntry } from '../statement/statement-entry';
import { parseStatementCsv } from '../statement/statement-csv';
import { BreakLog, resolveBreak } from './break-resolution';
import { MERCHANTS, fixture, window42 } from './fixtures/window-42';
import { reconcile } from './reconcile';
import { reconciliationToJson } from './reconciliation-json';

const M1 = 'PLP-AHHS7PBMJMDUZNLFP42Y';
const M2 = 'PLP-P6AZH5FQDB585X9769JQ';
const M3 = 'PLP-X25R7JJBK5G6WQAF36J4';
const M4 = 'PLP-ERHYMJ4ARLGQLRLUBX6T';
const M5 = 'PLC-5M2ZNZXHU763EA7U28HX';

const camt = (name: string) => parseCamt053(fixture(name), isoExponent).entries;

describe('reconcile against camt.053 fixtures', () => {
  it('v08: batch booking, a duplicate booking and its reversal — everything matches and accounts return to zero', () => {
    const { instructions, postings } = window42();
    const r = reconcile(camt('camt053-v08-settled.xml'), instructions, postings);
    expect(r.breaks).toEqual([]);
    expect(r.matched.map((m) => [m.reference, m.amountMinor, m.bankEntryId, m.method])).toEqual([
      [M1, 124300n, 'ICBC2026112800017731', 'batch_transactions'],
      [M2, 29820n, 'ICBC2026112800017731', 'batch_transactions'],
      [M3, 81508n, 'ICBC2026112800017731', 'batch_transactions'],
      [M4, 14910n, 'ICBC2026112800017802', 'batch_transactions'],
      [M5, 30060n, 'ICBC2026112800018120', 'batch_transactions'],
    ]);
    expect(r.matched.every((m) => m.dateWithinTolerance)).toBe(true);
    expect(r.reversals).toEqual([
      {
        originalEntryId: 'ICBC2026112800017803',
        reversalEntryId: 'ICBC2026112800017803R',
        currency: 'CNY',
        amountMinor: 14910n,
      },
    ]);
    expect(r.accounts.map((a) => [a.role, a.balanceMinor])).toEqual([
      ['clearing', 0n],
      ['suspense', 0n],
    ]);
    expect(r.balanced).toBe(true);
  });

  it('v02: a returned payout is a missing-in-bank break until an operator gives the money back to the merchant', () => {
    const { instructions, postings } = window42();
    const entries = camt('camt053-v02-m4-returned.xml');
    const r = reconcile(entries, instructions, postings);
    expect(r.matched.map((m) => m.reference)).toEqual([M1, M2, M3, M5]);
    expect(r.ignoredEntryIds).toEqual(['CMB9912881090']);
    expect(r.breaks).toEqual([
      expect.objectContaining({
        kind: 'missing_in_bank',
        cause: 'reversed_by_bank',
        reference: M4,
        participant: 'merchant:M4',
        expectedMinor: 14910n,
        residue: { accountId: 'settlement:clearing:CNY', currency: 'CNY', balanceMinor: -14910n },
      }),
    ]);
    expect(r.balanced).toBe(false);
    expect(r.accounts.find((a) => a.role === 'clearing')!.balanceMinor).toBe(-14910n);

    const clock = new TestClock('2026-11-29T09:30:00.000Z');
    const log = new BreakLog(r.breaks, clock);
    const resolution = log.resolve(r.breaks[0]!.id, {
      operator: 'ops:li.wei',
      reason:
        'beneficiary account closed (AC04); balance returned to merchant wallet, merchant asked for new account',
      target: { kind: 'participant', participant: 'merchant:M4' },
    });
    expect(resolution).toMatchObject({
      operator: 'ops:li.wei',
      resolvedAt: '2026-11-29T09:30:00.000Z',
      breakKind: 'missing_in_bank',
    });
    expect(resolution.postings).toEqual([
      expect.objectContaining({
        debitAccountId: 'settlement:clearing:CNY',
        creditAccountId: 'settlement:participant:merchant:M4:CNY',
        amount: '149.10',
      }),
    ]);
    expect(log.open()).toEqual([]);
    const after = reconcile(entries, instructions, postings, { resolutionPostings: log.postings() });
    expect(after.balanced).toBe(true);
  });

  it('a deliberately wrong statement produces exactly the expected breaks, and resolving them balances the books', () => {
    const { instructions, postings } = window42();
    const r = reconcile(camt('camt053-v08-wrong.xml'), instructions, postings);
    expect(r.matched.map((m) => m.reference)).toEqual([M2, M4, M5]);
    const summary = r.breaks.map((b) => ({
      kind: b.kind,
      cause: b.cause,
      reference: b.reference,
      expected: b.expectedMinor,
      actual: b.actualMinor,
      residue: b.residue?.balanceMinor,
    }));
    expect(summary).toEqual([
      {
        kind: 'amount_mismatch',
        cause: 'bank_amount_differs',
        reference: M1,
        expected: 124300n,
        actual: 124310n,
        residue: 10n,
      },
      {
        kind: 'missing_in_ledger',
        cause: 'no_ledger_entry',
        reference: 'UNKNOWN-REF-7781',
        expected: undefined,
        actual: 5500n,
        residue: 5500n,
      },
      {
        kind: 'missing_in_bank',
        cause: 'no_bank_entry',
        reference: M3,
        expected: 81508n,
        actual: undefined,
        residue: -81508n,
      },
    ]);
    expect(new Set(r.breaks.map((b) => b.id)).size).toBe(3);
    expect(r.breaks[1]!.line).toBeGreaterThan(1);
    expect(r.accounts.map((a) => [a.role, a.balanceMinor])).toEqual([
      ['clearing', 10n - 81508n],
      ['suspense', 5500n],
    ]);

    const log = new BreakLog(r.breaks, new TestClock());
    log.resolve(r.breaks[0]!.id, {
      operator: 'ops:a',
      reason: 'bank overpaid by 0.10, absorbed',
      target: { kind: 'write_off' },
    });
    log.resolve(r.breaks[1]!.id, {
      operator: 'ops:a',
      reason: 'bank account maintenance fee',
      target: { kind: 'account', accountId: 'expense:bank-fees:CNY' },
    });
    expect(
      reconcile(camt('camt053-v08-wrong.xml'), instructions, postings, { resolutionPostings: log.postings() })
        .balanced,
    ).toBe(false);
    log.resolve(r.breaks[2]!.id, {
      operator: 'ops:b',
      reason: 'payout never sent; returned to merchant balance',
      target: { kind: 'participant', participant: 'merchant:M3' },
    });
    const after = reconcile(camt('camt053-v08-wrong.xml'), instructions, postings, {
      resolutionPostings: log.postings(),
    });
    expect(after.balanced).toBe(true);
    expect(() =>
      log.resolve(r.breaks[0]!.id, { operator: 'ops:c', reason: 'again', target: { kind: 'write_off' } }),
    ).toThrow(expect.objectContaining({ code: 'BREAK_ALREADY_RESOLVED' }));
    expect(after.breaks.map((b) => b.id)).toEqual(r.breaks.map((b) => b.id));
  });

  it('the same window reconciles from the CSV statement, batch line included', () => {
    const { instructions, postings } = window42();
    const r = reconcile(
      parseStatementCsv(fixture('statement-settled.csv'), isoExponent).entries,
      instructions,
      postings,
    );
    expect(r.breaks).toEqual([]);
    expect(r.matched.map((m) => [m.reference, m.method])).toEqual([
      [M1, 'batch_transactions'],
      [M2, 'batch_transactions'],
      [M3, 'batch_transactions'],
      [M4, 'reference'],
      [M5, 'reference'],
    ]);
    expect(r.balanced).toBe(true);
    expect(JSON.stringify(reconciliationToJson(r))).toContain('"amount":"1243.00"');
  });
});

describe('reconcile edge cases', () => {
  const csv = (rows: string) =>
    parseStatementCsv(`date,amount,currency,reference\n${rows}`, isoExponent).entries;

  it('a batch line whose total differs from its payouts leaves the difference in suspense', () => {
    const { instructions, postings } = window42();
    const r = reconcile(
      csv(
        `2026-11-28,-2356.30,CNY,${M1};${M2};${M3}\n2026-11-28,-149.10,CNY,${M4}\n2026-11-28,300.60,CNY,${M5}\n`,
      ),
      instructions,
      postings,
    );
    expect(r.breaks.map((b) => [b.kind, b.actualMinor, b.residue])).toEqual([
      ['amount_mismatch', 2n, { accountId: 'settlement:suspense:CNY', currency: 'CNY', balanceMinor: 2n }],
    ]);
  });

  it('a batch entry naming the window (PmtInfId) matches the window’s payouts that add up to it', () => {
    const { instructions, postings } = window42();
    const r = reconcile(
      csv(`2026-11-28,-2505.38,CNY,qr-cny-000042\n2026-11-28,300.60,CNY,${M5}\n`),
      instructions,
      postings,
    );
    expect(r.breaks).toEqual([]);
    expect(r.matched.filter((m) => m.method === 'batch_window').map((m) => m.reference)).toEqual([
      M1,
      M2,
      M3,
      M4,
    ]);
  });

  it('falls back to amount and date when the bank dropped the reference, but only for a unique candidate', () => {
    const { instructions, postings } = window42();
    const ok = reconcile(
      csv(
        `2026-11-28,-2356.28,CNY,${M1};${M2};${M3}\n2026-11-29,-149.10,CNY,\n2026-11-28,300.60,CNY,${M5}\n`,
      ),
      instructions,
      postings,
    );
    expect(ok.breaks).toEqual([]);
    expect(ok.matched.find((m) => m.reference === M4)!.method).toBe('amount_and_date');
    const tooLate = reconcile(
      csv(
        `2026-11-28,-2356.28,CNY,${M1};${M2};${M3}\n2026-12-09,-149.10,CNY,\n2026-11-28,300.60,CNY,${M5}\n`,
      ),
      instructions,
      postings,
    );
    expect(tooLate.breaks.map((b) => [b.kind, b.reference])).toEqual([
      ['missing_in_ledger', undefined],
      ['missing_in_bank', M4],
    ]);
  });

  it('flags a reference match whose value date is outside the tolerance', () => {
    const { instructions, postings } = window42();
    const r = reconcile(csv(`2026-12-05,-149.10,CNY,${M4}\n`), instructions, postings, {
      dateToleranceDays: 2,
    });
    expect(r.matched[0]).toMatchObject({ reference: M4, dateWithinTolerance: false });
  });

  it('a lone reversal (original on an earlier statement) breaks the instruction it names', () => {
    const { instructions, postings } = window42();
    const entries = parseStatementCsv(
      `date,amount,currency,reference,reversal\n2026-11-29,149.10,CNY,${M4},true\n`,
      isoExponent,
    ).entries;
    const r = reconcile(entries, instructions.slice(3, 4), postings.slice(3, 4));
    expect(r.breaks).toEqual([
      expect.objectContaining({ kind: 'missing_in_bank', cause: 'reversed_by_bank', reference: M4 }),
    ]);
    const unknown = reconcile(
      parseStatementCsv(
        `date,amount,currency,reference,reversal\n2026-11-29,5.00,CNY,ZZZ,true\n`,
        isoExponent,
      ).entries,
      [],
      [],
    );
    expect(unknown.breaks).toEqual([
      expect.objectContaining({ kind: 'missing_in_ledger', cause: 'reversal_without_original' }),
    ]);
  });

  it('a payout the bank made but the ledger never posted is missing in ledger', () => {
    const { instructions } = window42();
    const r = reconcile(csv(`2026-11-28,-149.10,CNY,${M4}\n`), instructions.slice(3, 4), []);
    expect(r.breaks).toEqual([
      expect.objectContaining({
        kind: 'missing_in_ledger',
        cause: 'no_ledger_entry',
        reference: M4,
        participant: 'merchant:M4',
      }),
    ]);
  });

  it('the gross model reconciles its separate payout and collection legs', () => {
    const { result } = window42();
    const gross = { ...result, model: { ...result.model, kind: 'gross' as const } };
    const instructions = instructionsFor(gross, MERCHANTS, { executionDate: '2026-11-28' });
    const rows = instructions
      .map((i) => `2026-11-28,${i.direction === 'payout' ? '-' : ''}${i.amount},CNY,${i.reference}`)
      .join('\n');
    const r = reconcile(csv(rows + '\n'), instructions, postingsFor(instructions));
    expect(instructions.filter((i) => i.participant === 'merchant:M5').map((i) => i.direction)).toEqual([
      'payout',
      'collection',
    ]);
    expect(r.breaks).toEqual([]);
    expect(r.matched).toHaveLength(instructions.length);
    expect(r.balanced).toBe(true);
  });

  it('an operator must say who and why, and must place any residue', () => {
    const { instructions, postings } = window42();
    const r = reconcile([], instructions.slice(0, 1), postings.slice(0, 1));
    const clock = new TestClock();
    expect(() =>
      resolveBreak(r.breaks[0]!, { operator: '', reason: 'x y z', target: { kind: 'write_off' } }, clock),
    ).toThrow(/operator/);
    expect(() =>
      resolveBreak(r.breaks[0]!, { operator: 'o', reason: '', target: { kind: 'write_off' } }, clock),
    ).toThrow(/reason/);
    expect(() =>
      resolveBreak(
        r.breaks[0]!,
        { operator: 'o', reason: 'no money', target: { kind: 'no_posting' } },
        clock,
      ),
    ).toThrow(expect.objectContaining({ code: 'RESOLUTION_INVALID' }));
  });
});

describe('reconcile properties', () => {
  const merchants = Object.fromEntries(
    Array.from({ length: 8 }, (_, i) => [`p${i}`, { bankAccount: `ACCT-${i}` }]),
  );

  it('dropped, altered and unknown bank lines each give exactly one break of the right kind; resolving all balances', () => {
    fc.assert(
      fc.property(
        transfersArb({ maxLength: 40 }),
        fc.array(fc.constantFrom('keep', 'keep', 'drop', 'alter'), { minLength: 48, maxLength: 48 }),
        fc.array(fc.bigInt({ min: 1n, max: 10n ** 6n }), { maxLength: 3 }),
        (transfers, fates, extras) => {
          const result = net(transfers, { kind: 'multilateral-net', feeParticipant: 'fees' }, 'w-prop');
          const instructions = instructionsFor(result, merchants, { executionDate: '2026-11-28' });
          const postings = postingsFor(instructions);
          const expected: [string, string | undefined][] = [];
          const entries: StatementEntry[] = [];
          instructions.forEach((i, n) => {
            const fate = fates[n % fates.length]!;
            if (fate === 'drop') {
              expected.push(['missing_in_bank', i.reference]);
              return;
            }
            const amountMinor = fate === 'alter' ? i.amountMinor + 1n : i.amountMinor;
            if (fate === 'alter') expected.push(['amount_mismatch', i.reference]);
            entries.push(
              entry(`e${n}`, i.direction === 'payout' ? 'debit' : 'credit', amountMinor, i.currency, [
                i.reference,
              ]),
            );
          });
          extras.forEach((amount, n) => {
            entries.push(entry(`x${n}`, 'debit', amount, 'CNY', [`UNKNOWN-${n}`]));
            expected.push(['missing_in_ledger', `UNKNOWN-${n}`]);
          });
          const r = reconcile(entries, instructions, postings);
          const key = (x: [string, string | undefined]) => `${x[0]}|${x[1]}`;
          expect(r.breaks.map((b) => key([b.kind, b.reference])).sort()).toEqual(expected.map(key).sort());
          expect(r.matched.length + r.breaks.filter((b) => b.kind !== 'missing_in_ledger').length).toBe(
            instructions.length,
          );
          // Each clearing/suspense balance is exactly what the breaks say they left there (errors may offset).
          for (const a of r.accounts) {
            const residues = r.breaks
              .filter((b) => b.residue?.accountId === a.accountId)
              .reduce((s, b) => s + (b.residue?.balanceMinor ?? 0n), 0n);
            expect(a.balanceMinor).toBe(residues);
          }
          if (r.breaks.length === 0) expect(r.balanced).toBe(true);
          const log = new BreakLog(r.breaks, new TestClock());
          for (const b of r.breaks)
            log.resolve(b.id, { operator: 'ops', reason: 'property test', target: { kind: 'write_off' } });
          expect(
            reconcile(entries, instructions, postings, { resolutionPostings: log.postings() }).balanced,
          ).toBe(true);
        },
      ),
    );
  });
});

function entry(
  id: string,
  direction: 'debit' | 'credit',
  amountMinor: bigint,
  currency: string,
  references: string[],
): StatementEntry {
  return {
    entryId: id,
    line: 0,
    statementId: 's',
    currency,
    amountMinor,
    direction,
    reversal: false,
    status: 'booked',
    bookingDate: '2026-11-28',
    valueDate: '2026-11-28',
    references,
    transactions: [],
  };
}
