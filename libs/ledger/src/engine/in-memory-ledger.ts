import {
  AccountSpec,
  AccountStatus,
  accountFailure,
  accountFromSpec,
  AccountInput,
  Balance,
  BalanceMinor,
  limitBreach,
  sameAccountSpec,
  statusChangeError,
  toBalance,
  validateAccountInput,
  ZERO_BALANCE,
} from '../account';
import { Clock, systemClock } from '../clock';
import { CreateAccountResult, Ledger, Statement, StatementQuery, StatusChangeResult } from '../ledger';
import { Money } from '../money';
import {
  codeFromText,
  expiryTransferId,
  PendingStatus,
  PostResult,
  splitChains,
  toMinorUnits,
  Transfer,
  TransferFailure,
  transferFailure,
  TransferInput,
  validateTransfer,
} from '../transfer';
import { MAX_BALANCE } from '../limits';

interface ModelAccount {
  spec: AccountSpec;
  status: AccountStatus;
  balance: BalanceMinor;
  createdAt: Date;
}

interface ModelTransfer extends Transfer {
  amountMinor: bigint;
  hash: string;
}

interface ModelEntry {
  seq: number;
  transfer: ModelTransfer;
  accountId: string;
  side: 'debit' | 'credit';
  posted: bigint;
  pendingDelta: bigint;
  after: BalanceMinor;
  at: Date;
}

interface ModelState {
  accounts: Map<string, ModelAccount>;
  transfers: Map<string, ModelTransfer>;
  pendingStatus: Map<string, PendingStatus>;
  entries: ModelEntry[];
}

/**
 * The reference model: one transfer at a time over plain maps, a linked chain undone by restoring a copy of
 * the whole state. Slow and obvious on purpose; the PostgreSQL store must agree with it on every result
 * and balance.
 */
export class InMemoryLedger implements Ledger {
  private state: ModelState = {
    accounts: new Map(),
    transfers: new Map(),
    pendingStatus: new Map(),
    entries: [],
  };
  private seq = 0;

  constructor(private readonly clock: Clock = systemClock) {}

  async createAccounts(inputs: AccountInput[]): Promise<CreateAccountResult[]> {
    return inputs.map((input) => {
      const v = validateAccountInput(input);
      if (!v.ok) return v;
      const existing = this.state.accounts.get(v.value.id);
      if (existing) {
        return sameAccountSpec(existing.spec, v.value)
          ? {
              ok: true,
              account: accountFromSpec(existing.spec, existing.status, existing.createdAt),
              created: false,
            }
          : accountFailure('ID_CONFLICT', v.value.id);
      }
      const acc: ModelAccount = {
        spec: v.value,
        status: 'active',
        balance: { ...ZERO_BALANCE },
        createdAt: this.clock.now(),
      };
      this.state.accounts.set(acc.spec.id, acc);
      return { ok: true, account: accountFromSpec(acc.spec, acc.status, acc.createdAt), created: true };
    });
  }

  async getAccount(id: string) {
    const a = this.state.accounts.get(id);
    return a ? accountFromSpec(a.spec, a.status, a.createdAt) : null;
  }

  async setAccountStatus(id: string, status: AccountStatus): Promise<StatusChangeResult> {
    const a = this.state.accounts.get(id);
    if (!a) return accountFailure('ACCOUNT_NOT_FOUND', id);
    const err = statusChangeError(a.status, status, a.balance);
    if (err) return accountFailure(err, `${a.status} -> ${String(status)}`);
    a.status = status;
    return { ok: true, account: accountFromSpec(a.spec, a.status, a.createdAt) };
  }

  async post(inputs: TransferInput[]): Promise<PostResult[]> {
    const now = this.clock.now();
    const results: PostResult[] = new Array(inputs.length);
    for (const chain of splitChains(inputs)) {
      if (chain.open) {
        for (let i = chain.start; i < chain.end; i++) results[i] = transferFailure('LINKED_CHAIN_OPEN');
        continue;
      }
      const snapshot = structuredClone(this.state);
      const seq = this.seq;
      for (let i = chain.start; i < chain.end; i++) {
        const r = this.postOne(inputs[i]!, now);
        results[i] = r;
        if (!r.ok) {
          if (chain.end - chain.start > 1) {
            this.state = snapshot;
            this.seq = seq;
            for (let k = chain.start; k < chain.end; k++) {
              if (k !== i)
                results[k] = transferFailure(
                  'LINKED_TRANSFER_FAILED',
                  `transfer ${i - chain.start + 1} of the chain failed with ${r.code}`,
                );
            }
          }
          break;
        }
      }
    }
    return results;
  }

  private postOne(input: TransferInput, now: Date): PostResult {
    const v = validateTransfer(input);
    if (!v.ok) return v;
    const t = v.value;
    const prior = this.state.transfers.get(t.id);
    if (prior)
      return prior.hash === t.hash
        ? { ok: true, transfer: strip(prior), replayed: true }
        : transferFailure('ID_CONFLICT');

    if (t.type === 'single' || t.type === 'pending') {
      const dr = this.state.accounts.get(t.debitAccountId!);
      const cr = this.state.accounts.get(t.creditAccountId!);
      if (!dr || !cr) return transferFailure('ACCOUNT_NOT_FOUND');
      if (dr.spec.currency !== t.currency || cr.spec.currency !== t.currency)
        return transferFailure('CURRENCY_MISMATCH');
      const refused = refuseByStatus(dr, cr);
      if (refused) return refused;
      const pending = t.type === 'pending';
      const a = t.amountMinor!;
      const transfer: ModelTransfer = {
        id: t.id,
        type: t.type,
        debitAccountId: dr.spec.id,
        creditAccountId: cr.spec.id,
        amount: Money.fromMinor(a, t.currency!).amount,
        amountMinor: a,
        currency: t.currency!,
        code: codeFromText(t.code!),
        metadata: t.metadata,
        pendingId: null,
        timeoutAt:
          pending && t.timeoutSeconds !== null ? new Date(now.getTime() + t.timeoutSeconds * 1000) : null,
        createdAt: now,
        hash: t.hash,
      };
      const refusal = this.move(transfer, dr, cr, pending ? 0n : a, pending ? a : 0n, now);
      if (refusal) return refusal;
      if (pending) this.state.pendingStatus.set(transfer.id, 'open');
      return { ok: true, transfer: strip(transfer), replayed: false };
    }

    const p = this.state.transfers.get(t.pendingId!);
    if (!p || p.type !== 'pending') return transferFailure('PENDING_NOT_FOUND');
    const status = this.state.pendingStatus.get(p.id)!;
    if (status === 'posted') return transferFailure('PENDING_ALREADY_POSTED');
    if (status === 'voided') return transferFailure('PENDING_ALREADY_VOIDED');
    if (status === 'expired' || (p.timeoutAt !== null && p.timeoutAt.getTime() <= now.getTime()))
      return transferFailure('PENDING_EXPIRED');
    if (t.currency !== null && t.currency !== p.currency) return transferFailure('CURRENCY_MISMATCH');
    const post = t.type === 'post_pending';
    let amount = p.amountMinor;
    if (post && t.amountDecimal !== null) {
      const m = toMinorUnits(t.amountDecimal, p.currency);
      if (m === null || m <= 0n) return transferFailure('AMOUNT_INVALID');
      if (m > p.amountMinor) return transferFailure('AMOUNT_EXCEEDS_PENDING');
      amount = m;
    }
    const dr = this.state.accounts.get(p.debitAccountId)!;
    const cr = this.state.accounts.get(p.creditAccountId)!;
    if (post) {
      const refused = refuseByStatus(dr, cr);
      if (refused) return refused;
    }
    const code = t.code === null ? p.code : codeFromText(t.code);
    const transfer: ModelTransfer = {
      ...p,
      id: t.id,
      type: t.type,
      amount: Money.fromMinor(amount, p.currency).amount,
      amountMinor: amount,
      code,
      metadata: t.metadata,
      pendingId: p.id,
      timeoutAt: null,
      createdAt: now,
      hash: t.hash,
    };
    const refusal = this.move(transfer, dr, cr, post ? amount : 0n, -p.amountMinor, now);
    if (refusal) return refusal;
    this.state.pendingStatus.set(p.id, post ? 'posted' : 'voided');
    return { ok: true, transfer: strip(transfer), replayed: false };
  }

  /** Moves `posted` on the posted sides and `pendingDelta` on the pending sides, if both accounts allow it. */
  private move(
    t: ModelTransfer,
    dr: ModelAccount,
    cr: ModelAccount,
    posted: bigint,
    pendingDelta: bigint,
    now: Date,
  ): TransferFailure | null {
    const nd = {
      ...dr.balance,
      debitsPosted: dr.balance.debitsPosted + posted,
      debitsPending: dr.balance.debitsPending + pendingDelta,
    };
    const nc = {
      ...cr.balance,
      creditsPosted: cr.balance.creditsPosted + posted,
      creditsPending: cr.balance.creditsPending + pendingDelta,
    };
    for (const [acc, b] of [
      [dr, nd],
      [cr, nc],
    ] as const) {
      if (Object.values(b).some((v) => v > MAX_BALANCE)) return transferFailure('OVERFLOW');
      const breach = limitBreach(acc.spec, b);
      if (breach) return transferFailure(breach);
    }
    dr.balance = nd;
    cr.balance = nc;
    this.state.transfers.set(t.id, t);
    this.state.entries.push(
      {
        seq: ++this.seq,
        transfer: t,
        accountId: dr.spec.id,
        side: 'debit',
        posted,
        pendingDelta,
        after: nd,
        at: now,
      },
      {
        seq: ++this.seq,
        transfer: t,
        accountId: cr.spec.id,
        side: 'credit',
        posted,
        pendingDelta,
        after: nc,
        at: now,
      },
    );
    return null;
  }

  async expirePending(now: Date = this.clock.now()): Promise<Transfer[]> {
    const expired: Transfer[] = [];
    const due = [...this.state.pendingStatus]
      .filter(([id, status]) => {
        const t = this.state.transfers.get(id)!.timeoutAt;
        return status === 'open' && t !== null && t.getTime() <= now.getTime();
      })
      .map(([id]) => this.state.transfers.get(id)!)
      // Expiries are journaled in (timeout, id) order, ids compared bytewise.
      .sort(
        (a, b) => a.timeoutAt!.getTime() - b.timeoutAt!.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      );
    for (const p of due) {
      const id = p.id;
      const t: ModelTransfer = {
        ...p,
        id: expiryTransferId(id),
        type: 'expire_pending',
        pendingId: id,
        timeoutAt: null,
        metadata: null,
        createdAt: now,
      };
      this.move(
        t,
        this.state.accounts.get(p.debitAccountId)!,
        this.state.accounts.get(p.creditAccountId)!,
        0n,
        -p.amountMinor,
        now,
      );
      this.state.pendingStatus.set(id, 'expired');
      expired.push(strip(t));
    }
    return expired;
  }

  async balances(accountIds: string[]): Promise<Balance[]> {
    return accountIds.flatMap((id) => {
      const a = this.state.accounts.get(id);
      return a ? [toBalance(a.spec, a.balance)] : [];
    });
  }

  async balanceAsOf(accountId: string, instant: Date): Promise<Balance | null> {
    const a = this.state.accounts.get(accountId);
    if (!a) return null;
    const last = this.state.entries
      .filter((e) => e.accountId === accountId && e.at.getTime() <= instant.getTime())
      .pop();
    return toBalance(a.spec, last ? last.after : ZERO_BALANCE);
  }

  async statement(accountId: string, query: StatementQuery = {}): Promise<Statement> {
    const a = this.state.accounts.get(accountId);
    const limit = query.limit ?? 100;
    const after = query.cursor ? Number(query.cursor) : 0;
    const all = a ? this.state.entries.filter((e) => e.accountId === accountId && e.seq > after) : [];
    const page = all.slice(0, limit);
    return {
      accountId,
      lines: page.map((e) => ({
        entryId: String(e.seq),
        transferId: e.transfer.id,
        transferType: e.transfer.type,
        code: e.transfer.code,
        metadata: e.transfer.metadata,
        side: e.side,
        postedAmount: Money.fromMinor(e.posted, a!.spec.currency).amount,
        pendingDelta: Money.fromMinor(e.pendingDelta, a!.spec.currency).amount,
        balanceAfter: toBalance(a!.spec, e.after),
        at: e.at,
      })),
      nextCursor: all.length > limit ? String(page[page.length - 1]!.seq) : null,
    };
  }

  async getTransfer(id: string): Promise<Transfer | null> {
    const t = this.state.transfers.get(id);
    return t ? strip(t) : null;
  }

  async pendingStatus(pendingId: string): Promise<PendingStatus | null> {
    return this.state.pendingStatus.get(pendingId) ?? null;
  }
}

function refuseByStatus(dr: ModelAccount, cr: ModelAccount): TransferFailure | null {
  if (dr.status === 'closed' || cr.status === 'closed') return transferFailure('ACCOUNT_CLOSED');
  if (dr.status === 'frozen') return transferFailure('ACCOUNT_FROZEN');
  return null;
}

function strip(t: ModelTransfer): Transfer {
  const { amountMinor: _a, hash: _h, ...rest } = t;
  return rest;
}
