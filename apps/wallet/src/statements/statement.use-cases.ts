import type { PoolClient } from 'pg';
import type {
  BalanceAsOfView,
  PayloadOf,
  StatementLineView,
  StatementView,
  balanceAsOfCommand,
  statementCommand,
} from '@paylend/contracts';
import type { StatementLine } from '@paylend/ledger';
import { walletRepository as repo } from '@paylend/wallet-data-access';
import { fail, ok, type Outcome, visibleTo, type WalletDeps, walletNotFound } from '../wallet/wallet-core';

const TYPE_SUFFIX: Record<StatementLine['transferType'], string> = {
  single: '',
  pending: '-hold',
  post_pending: '',
  void_pending: '-release',
  expire_pending: '-expired',
};

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** A journal line as the wallet owner reads it: what it was, in or out, and the balance after it. */
export function statementLine(l: StatementLine, currency: string): StatementLineView {
  const code = String(l.code);
  const m = l.metadata ?? {};
  const moved = l.postedAmount !== '0' && !/^0(\.0+)?$/.test(l.postedAmount);
  const direction = moved ? (l.side === 'credit' ? 'in' : 'out') : 'none';
  let kind = `${code}${TYPE_SUFFIX[l.transferType]}`;
  let counterparty: string | null = null;
  if (code === 'p2p') {
    kind = direction === 'in' ? 'p2p-in' : 'p2p-out';
    counterparty = direction === 'in' ? str(m['fromUserId']) : str(m['toUserId']);
  } else if (code === 'top-up') {
    counterparty = str(m['participant']);
  } else if (code === 'withdrawal' && l.transferType === 'pending') {
    counterparty = str(m['bankAccount']);
  }
  return {
    entryId: l.entryId,
    transferId: l.transferId,
    kind,
    direction,
    amount: { amount: l.postedAmount, currency },
    heldDelta: { amount: l.pendingDelta, currency },
    balanceAfter: { amount: l.balanceAfter.posted, currency },
    availableAfter: { amount: l.balanceAfter.available, currency },
    note: str(m['note']) ?? str(m['reference']),
    counterparty,
    at: l.at.toISOString(),
  };
}

export async function statement(
  deps: WalletDeps,
  tx: PoolClient,
  cmd: PayloadOf<typeof statementCommand>,
): Promise<Outcome<StatementView>> {
  const w = await repo.byId(tx, cmd.walletId);
  if (!visibleTo(cmd.actor, w)) return walletNotFound(cmd.walletId);
  try {
    const s = await deps.ledger.statement(w.ledger_account_id, {
      cursor: cmd.cursor ?? null,
      limit: cmd.limit ?? 50,
    });
    return ok({
      walletId: w.id,
      lines: s.lines.map((l) => statementLine(l, w.currency)),
      nextCursor: s.nextCursor,
    });
  } catch (err) {
    if (/cursor/.test((err as Error).message)) return fail('CURSOR_INVALID', (err as Error).message);
    throw err;
  }
}

export async function balanceAsOf(
  deps: WalletDeps,
  tx: PoolClient,
  cmd: PayloadOf<typeof balanceAsOfCommand>,
): Promise<Outcome<BalanceAsOfView>> {
  const w = await repo.byId(tx, cmd.walletId);
  if (!visibleTo(cmd.actor, w)) return walletNotFound(cmd.walletId);
  const b = await deps.ledger.balanceAsOf(w.ledger_account_id, new Date(cmd.asOf));
  if (!b) return walletNotFound(cmd.walletId);
  return ok({
    walletId: w.id,
    asOf: cmd.asOf,
    balance: { amount: b.posted, currency: w.currency },
    available: { amount: b.available, currency: w.currency },
  });
}
