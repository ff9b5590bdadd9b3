import { formatMinorUnits } from '../amount/minor-units';
import { ExponentOf, requireExponent } from '../currency/exponent';
import { isoExponent } from '../currency/iso-exponent';
import { deterministicCode, deterministicUuid } from '../ids/deterministic-id';
import { InstructionDirection, SettlementInstruction } from '../instruction/settlement-instruction';
import { SettlementAccounts, defaultSettlementAccounts } from '../posting/settlement-accounts';
import { PostingCode, SettlementPosting } from '../posting/settlement-posting';
import { BankDirection, StatementEntry } from '../statement/statement-entry';
import { checkAccounts } from './account-check';
import {
  BreakCause,
  BreakKind,
  LedgerEntry,
  MatchMethod,
  MatchedItem,
  ReconciliationBreak,
  ReconciliationResult,
  Residue,
} from './reconciliation-types';

export interface ReconcileOptions {
  /** How many days the bank's value date may be from the instruction's execution date. Default 2. */
  dateToleranceDays?: number;
  accounts?: SettlementAccounts;
  exponentOf?: ExponentOf;
  /** Postings of resolutions already recorded; counted when checking clearing and suspense. */
  resolutionPostings?: readonly SettlementPosting[];
}

/** What we expect to see at the bank, keyed by instruction reference: the instruction and/or its ledger entry. */
interface Expected {
  reference: string;
  currency: string;
  direction: InstructionDirection;
  instruction?: SettlementInstruction;
  ledger?: LedgerEntry;
  claimed: boolean;
}

interface Hit {
  expected: Expected;
  /** Undefined when the bank gave only the batch total. */
  bankMinor?: bigint;
  line: number;
  method: MatchMethod;
  key: string;
}

const bankDirectionOf = (d: InstructionDirection): BankDirection => (d === 'payout' ? 'debit' : 'credit');

/**
 * Three-way match of bank statement entries against settlement instructions and their ledger postings, by
 * reference first, then by the window's batch, then by amount and date. Handles batch-booked entries (one
 * entry, several transactions) and reversals (RvslInd). Every bank movement is accounted for by a
 * posting — a confirmation through clearing when matched, suspense when not — so the account check shows
 * exactly the money the breaks leave behind.
 */
export function reconcile(
  entries: readonly StatementEntry[],
  instructions: readonly SettlementInstruction[],
  ledgerEntries: readonly LedgerEntry[],
  options: ReconcileOptions = {},
): ReconciliationResult {
  const accounts = options.accounts ?? defaultSettlementAccounts;
  const exponentOf = options.exponentOf ?? isoExponent;
  const tolerance = options.dateToleranceDays ?? 2;
  const expected = new Map<string, Expected>();
  const byWindow = new Map<string, Expected[]>();
  for (const i of instructions) {
    const x: Expected = {
      reference: i.reference,
      currency: i.currency,
      direction: i.direction,
      instruction: i,
      claimed: false,
    };
    expected.set(i.reference, x);
    byWindow.set(i.windowId, [...(byWindow.get(i.windowId) ?? []), x]);
  }
  for (const l of ledgerEntries) {
    const direction: InstructionDirection | undefined =
      l.creditAccountId === accounts.clearing(l.currency)
        ? 'payout'
        : l.debitAccountId === accounts.clearing(l.currency)
          ? 'collection'
          : undefined;
    if (!direction) continue;
    const x = expected.get(l.reference);
    if (x) x.ledger = l;
    else
      expected.set(l.reference, {
        reference: l.reference,
        currency: l.currency,
        direction,
        ledger: l,
        claimed: false,
      });
  }

  const matched: MatchedItem[] = [];
  const breaks: ReconciliationBreak[] = [];
  const postings: SettlementPosting[] = [];
  const reversals: ReconciliationResult['reversals'] = [];
  const ignoredEntryIds: string[] = [];

  const fmt = (minor: bigint, currency: string) =>
    formatMinorUnits(minor, requireExponent(exponentOf, currency));
  const post = (
    code: PostingCode,
    debit: string,
    credit: string,
    minor: bigint,
    currency: string,
    reference: string,
    key: string,
  ) => {
    if (minor === 0n) return;
    const [d, c, m] = minor > 0n ? [debit, credit, minor] : [credit, debit, -minor];
    postings.push({
      id: deterministicUuid('recon', code, key),
      debitAccountId: d,
      creditAccountId: c,
      amount: fmt(m, currency),
      amountMinor: m,
      currency,
      code,
      reference,
    });
  };
  /** Bank movement through clearing (matched) or suspense (unexplained), in the bank's direction. */
  const bankMovement = (
    via: 'clearing' | 'suspense',
    code: PostingCode,
    dir: BankDirection,
    minor: bigint,
    currency: string,
    reference: string,
    key: string,
  ) => {
    const other = accounts[via](currency);
    const bank = accounts.bank(currency);
    if (dir === 'debit') post(code, other, bank, minor, currency, reference, key);
    else post(code, bank, other, minor, currency, reference, key);
  };
  const addBreak = (
    kind: BreakKind,
    cause: BreakCause,
    b: Omit<ReconciliationBreak, 'id' | 'kind' | 'cause'>,
  ) => {
    const id = `BRK-${deterministicCode(16, 'break', kind, cause, b.reference ?? '', b.bankEntryId ?? '', String(b.line ?? ''))}`;
    breaks.push({ id, kind, cause, ...b });
  };
  const clearingResidue = (x: Expected, bankMinor: bigint): Residue | undefined => {
    if (!x.ledger) return undefined;
    // Payout: ledger credited clearing L, bank confirmation debits b. Collection: the mirror.
    const balance =
      x.direction === 'payout' ? bankMinor - x.ledger.amountMinor : x.ledger.amountMinor - bankMinor;
    return balance === 0n
      ? undefined
      : { accountId: accounts.clearing(x.currency), currency: x.currency, balanceMinor: balance };
  };
  const suspenseResidue = (dir: BankDirection, minor: bigint, currency: string): Residue => ({
    accountId: accounts.suspense(currency),
    currency,
    balanceMinor: dir === 'debit' ? minor : -minor,
  });
  const expectedAmount = (x: Expected): bigint => x.ledger?.amountMinor ?? x.instruction?.amountMinor ?? 0n;
  const findByReference = (
    refs: readonly string[],
    currency: string,
    dir: BankDirection,
  ): Expected | undefined => {
    for (const r of refs) {
      const x = expected.get(r);
      if (x && !x.claimed && x.currency === currency && bankDirectionOf(x.direction) === dir) return x;
    }
    return undefined;
  };

  const booked = entries.filter((e) => {
    if (e.status !== 'booked') ignoredEntryIds.push(e.entryId);
    return e.status === 'booked';
  });

  // Pair each reversal with the entry it undoes: opposite direction, same amount, a shared reference.
  const reversedBy = new Map<StatementEntry, StatementEntry>();
  const loneReversals: StatementEntry[] = [];
  for (const r of booked.filter((e) => e.reversal)) {
    const refs = new Set(allReferences(r));
    const undoes = (o: StatementEntry) =>
      !o.reversal &&
      !reversedBy.has(o) &&
      o.currency === r.currency &&
      o.amountMinor === r.amountMinor &&
      o.direction !== r.direction &&
      allReferences(o).some((x) => refs.has(x));
    // The nearest earlier entry: when a bank books something twice and reverses one, it is the later one.
    const before = booked.slice(0, booked.indexOf(r)).reverse();
    const original = before.find(undoes) ?? booked.find(undoes);
    if (original) {
      reversedBy.set(original, r);
      reversals.push({
        originalEntryId: original.entryId,
        reversalEntryId: r.entryId,
        currency: r.currency,
        amountMinor: r.amountMinor,
      });
    } else loneReversals.push(r);
  }

  for (const e of booked) {
    if (e.reversal) continue;
    const hits: Hit[] = [];
    let unexplained = e.amountMinor;
    const reversal = reversedBy.get(e);
    if (e.transactions.length > 0) {
      e.transactions.forEach((tx, n) => {
        const x = findByReference(tx.references, tx.currency ?? e.currency, e.direction);
        if (x) {
          x.claimed = true;
          hits.push({
            expected: x,
            line: tx.line,
            method: 'batch_transactions',
            key: `${e.statementId}|${e.entryId}|${n}`,
            ...(tx.amountMinor === undefined ? {} : { bankMinor: tx.amountMinor }),
          });
        } else if (tx.amountMinor !== undefined && !reversal) {
          const key = `${e.statementId}|${e.entryId}|${n}`;
          bankMovement(
            'suspense',
            'recon.unexplained',
            e.direction,
            tx.amountMinor,
            e.currency,
            tx.references[0] ?? e.entryId,
            key,
          );
          unexplained -= tx.amountMinor;
          addBreak('missing_in_ledger', 'no_ledger_entry', {
            currency: e.currency,
            bankEntryId: e.entryId,
            bankDirection: e.direction,
            line: tx.line,
            actualMinor: tx.amountMinor,
            residue: suspenseResidue(e.direction, tx.amountMinor, e.currency),
            message: `bank transaction ${tx.references.join('/') || `#${n + 1}`} of entry ${e.entryId} (${fmt(tx.amountMinor, e.currency)} ${e.currency}) matches no instruction or ledger entry`,
            ...(tx.references[0] === undefined ? {} : { reference: tx.references[0] }),
          });
        }
      });
    } else {
      const x = findByReference(e.references, e.currency, e.direction);
      if (x) {
        x.claimed = true;
        hits.push({
          expected: x,
          bankMinor: e.amountMinor,
          line: e.line,
          method: 'reference',
          key: `${e.statementId}|${e.entryId}`,
        });
      } else {
        const batch = windowBatch(e, byWindow);
        if (batch) {
          for (const [n, bx] of batch.entries()) {
            bx.claimed = true;
            hits.push({
              expected: bx,
              line: e.line,
              method: 'batch_window',
              key: `${e.statementId}|${e.entryId}|${n}`,
            });
          }
        } else {
          const candidates = [...expected.values()].filter(
            (c) =>
              !c.claimed &&
              c.instruction?.executionDate !== undefined &&
              c.currency === e.currency &&
              bankDirectionOf(c.direction) === e.direction &&
              expectedAmount(c) === e.amountMinor &&
              Math.abs(dayDiff(c.instruction.executionDate, e.valueDate)) <= tolerance,
          );
          if (candidates.length === 1) {
            candidates[0].claimed = true;
            hits.push({
              expected: candidates[0],
              bankMinor: e.amountMinor,
              line: e.line,
              method: 'amount_and_date',
              key: `${e.statementId}|${e.entryId}`,
            });
          }
        }
      }
    }

    for (const h of hits) {
      const x = h.expected;
      const bankMinor = h.bankMinor ?? expectedAmount(x);
      unexplained -= bankMinor;
      const base = {
        currency: x.currency,
        reference: x.reference,
        direction: x.direction,
        bankEntryId: e.entryId,
        bankDirection: e.direction,
        line: h.line,
      };
      const participant = x.instruction?.participant;
      if (!x.ledger) {
        // The bank moved money for something the ledger never posted: park it in suspense.
        bankMovement('suspense', 'recon.unexplained', e.direction, bankMinor, x.currency, x.reference, h.key);
        if (!reversal) {
          addBreak('missing_in_ledger', 'no_ledger_entry', {
            ...base,
            ...(participant === undefined ? {} : { participant }),
            expectedMinor: expectedAmount(x),
            actualMinor: bankMinor,
            residue: suspenseResidue(e.direction, bankMinor, x.currency),
            message: `bank entry ${e.entryId} pays ${x.reference} (${fmt(bankMinor, x.currency)} ${x.currency}) but the ledger has no settlement posting for it`,
          });
        }
      } else {
        bankMovement(
          'clearing',
          'recon.bank-confirmed',
          e.direction,
          bankMinor,
          x.currency,
          x.reference,
          h.key,
        );
      }
      if (reversal) {
        bankMovement(
          x.ledger ? 'clearing' : 'suspense',
          'recon.bank-reversed',
          reversal.direction,
          bankMinor,
          x.currency,
          x.reference,
          `${h.key}|reversal`,
        );
        addBreak('missing_in_bank', 'reversed_by_bank', {
          ...base,
          ...(participant === undefined ? {} : { participant }),
          ...(x.ledger ? { ledgerTransferId: x.ledger.id } : {}),
          expectedMinor: expectedAmount(x),
          actualMinor: 0n,
          ...(x.ledger ? { residue: clearingResidue(x, 0n) } : {}),
          message: `${x.direction} ${x.reference} was booked by the bank in entry ${e.entryId} and reversed by entry ${reversal.entryId}; the money did not arrive`,
        });
        continue;
      }
      if (!x.ledger) continue;
      const ledgerMinor = x.ledger.amountMinor;
      const instructionMinor = x.instruction?.amountMinor;
      if (bankMinor !== ledgerMinor) {
        addBreak('amount_mismatch', 'bank_amount_differs', {
          ...base,
          ...(participant === undefined ? {} : { participant }),
          ledgerTransferId: x.ledger.id,
          expectedMinor: ledgerMinor,
          actualMinor: bankMinor,
          residue: clearingResidue(x, bankMinor),
          message: `bank entry ${e.entryId} shows ${fmt(bankMinor, x.currency)} ${x.currency} for ${x.reference}, the ledger posted ${fmt(ledgerMinor, x.currency)}`,
        });
      } else if (instructionMinor !== undefined && instructionMinor !== ledgerMinor) {
        addBreak('amount_mismatch', 'ledger_amount_differs', {
          ...base,
          ...(participant === undefined ? {} : { participant }),
          ledgerTransferId: x.ledger.id,
          expectedMinor: instructionMinor,
          actualMinor: ledgerMinor,
          message: `instruction ${x.reference} is for ${fmt(instructionMinor, x.currency)} ${x.currency} but the ledger and the bank show ${fmt(ledgerMinor, x.currency)}`,
        });
      } else {
        const executionDate = x.instruction?.executionDate;
        matched.push({
          reference: x.reference,
          ...(participant === undefined ? {} : { participant }),
          currency: x.currency,
          direction: x.direction,
          amountMinor: bankMinor,
          bankEntryId: e.entryId,
          line: h.line,
          ledgerTransferId: x.ledger.id,
          method: h.method,
          valueDate: e.valueDate,
          ...(executionDate === undefined ? {} : { executionDate }),
          dateWithinTolerance:
            executionDate === undefined || Math.abs(dayDiff(executionDate, e.valueDate)) <= tolerance,
        });
      }
    }

    // A reversal pair nets to zero at the bank: nothing it leaves unexplained needs suspense.
    if (reversal) continue;
    if (unexplained !== 0n) {
      const key = `${e.statementId}|${e.entryId}|rest`;
      const dir: BankDirection =
        unexplained > 0n ? e.direction : e.direction === 'debit' ? 'credit' : 'debit';
      const minor = unexplained > 0n ? unexplained : -unexplained;
      bankMovement('suspense', 'recon.unexplained', dir, minor, e.currency, e.entryId, key);
      const single = hits.length === 0;
      addBreak(
        single ? 'missing_in_ledger' : 'amount_mismatch',
        single ? 'no_ledger_entry' : 'bank_amount_differs',
        {
          currency: e.currency,
          bankEntryId: e.entryId,
          bankDirection: e.direction,
          line: e.line,
          actualMinor: single ? e.amountMinor : unexplained,
          residue: suspenseResidue(dir, minor, e.currency),
          ...(e.references[0] === undefined ? {} : { reference: e.references[0] }),
          message: single
            ? `bank entry ${e.entryId} (${e.direction} ${fmt(e.amountMinor, e.currency)} ${e.currency}, refs ${e.references.join(', ') || 'none'}) matches no instruction or ledger entry`
            : `batch entry ${e.entryId} totals ${fmt(e.amountMinor, e.currency)} ${e.currency} but its matched payments add up to ${fmt(e.amountMinor - unexplained, e.currency)}`,
        },
      );
    }
  }

  for (const r of loneReversals) {
    const original = findByReference(
      allReferences(r),
      r.currency,
      r.direction === 'debit' ? 'credit' : 'debit',
    );
    if (original) {
      // The original booking was on an earlier statement: the money came back, so it never arrived.
      original.claimed = true;
      addBreak('missing_in_bank', 'reversed_by_bank', {
        currency: r.currency,
        reference: original.reference,
        direction: original.direction,
        bankEntryId: r.entryId,
        bankDirection: r.direction,
        line: r.line,
        expectedMinor: expectedAmount(original),
        actualMinor: 0n,
        ...(original.instruction ? { participant: original.instruction.participant } : {}),
        ...(original.ledger
          ? { ledgerTransferId: original.ledger.id, residue: clearingResidue(original, 0n) }
          : {}),
        message: `${original.direction} ${original.reference} was reversed by the bank (entry ${r.entryId}); the money did not arrive`,
      });
      continue;
    }
    bankMovement(
      'suspense',
      'recon.unexplained',
      r.direction,
      r.amountMinor,
      r.currency,
      r.entryId,
      `${r.statementId}|${r.entryId}`,
    );
    addBreak('missing_in_ledger', 'reversal_without_original', {
      currency: r.currency,
      bankEntryId: r.entryId,
      bankDirection: r.direction,
      line: r.line,
      actualMinor: r.amountMinor,
      residue: suspenseResidue(r.direction, r.amountMinor, r.currency),
      message: `reversal ${r.entryId} (${fmt(r.amountMinor, r.currency)} ${r.currency}) undoes no entry or instruction we know of`,
    });
  }

  for (const x of expected.values()) {
    if (x.claimed) continue;
    addBreak('missing_in_bank', 'no_bank_entry', {
      currency: x.currency,
      reference: x.reference,
      direction: x.direction,
      expectedMinor: expectedAmount(x),
      ...(x.instruction ? { participant: x.instruction.participant } : {}),
      ...(x.ledger ? { ledgerTransferId: x.ledger.id } : {}),
      ...(x.ledger ? { residue: clearingResidue(x, 0n) } : {}),
      message: `${x.direction} ${x.reference} (${fmt(expectedAmount(x), x.currency)} ${x.currency}) is not on the bank statement${x.ledger ? '' : ' and was never posted to the ledger'}`,
    });
  }

  const movements = [...ledgerEntries, ...postings, ...(options.resolutionPostings ?? [])];
  const currencies = [
    ...new Set([...instructions.map((i) => i.currency), ...entries.map((e) => e.currency)]),
  ];
  const accountChecks = checkAccounts(movements, accounts, currencies);
  return {
    matched,
    breaks,
    reversals,
    ignoredEntryIds,
    postings,
    accounts: accountChecks,
    balanced: accountChecks.every((a) => a.zero),
  };
}

function allReferences(e: StatementEntry): string[] {
  return [...e.references, ...e.transactions.flatMap((t) => t.references)];
}

/** A batch entry naming a window (PmtInfId = window id) whose unclaimed instructions add up to its amount. */
function windowBatch(e: StatementEntry, byWindow: Map<string, Expected[]>): Expected[] | undefined {
  for (const r of e.references) {
    const xs = byWindow
      .get(r)
      ?.filter(
        (x) => !x.claimed && x.currency === e.currency && bankDirectionOf(x.direction) === e.direction,
      );
    if (!xs || xs.length === 0) continue;
    const sum = xs.reduce((s, x) => s + (x.ledger?.amountMinor ?? x.instruction?.amountMinor ?? 0n), 0n);
    if (sum === e.amountMinor) return xs;
  }
  return undefined;
}

function dayDiff(a: string, b: string): number {
  return Math.round(
    (Date.parse(`${b.slice(0, 10)}T00:00:00Z`) - Date.parse(`${a.slice(0, 10)}T00:00:00Z`)) / 86_400_000,
  );
}
