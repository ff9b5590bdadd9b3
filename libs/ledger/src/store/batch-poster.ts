import { Clock } from '../clock';
import {
  AccountState,
  BatchEffects,
  EvaluationContext,
  evaluateBatch,
  evaluateExpiry,
  StoredTransfer,
} from '../engine/batch-evaluator';
import { PendingStatus, PostResult, TransferInput, TransferType, validateTransfer } from '../transfer';
import { writeEffects } from './batch-writer';
import {
  ACCOUNT_COLUMNS,
  AccountRow,
  Queryable,
  stateFromRow,
  TRANSFER_COLUMNS,
  TransferRow,
  transferFromRow,
} from './rows';

const RESOLUTION: Partial<Record<TransferType, PendingStatus>> = {
  post_pending: 'posted',
  void_pending: 'voided',
  expire_pending: 'expired',
};

/**
 * Posts a batch inside the caller's open transaction: locks every touched account in id order (so two
 * batches can never deadlock on accounts), reads idempotency and pending state under those locks,
 * evaluates the batch in memory in input order and writes it back with one set-based statement.
 */
export async function postBatch(
  db: Queryable,
  clock: Clock,
  inputs: readonly TransferInput[],
): Promise<PostResult[]> {
  if (inputs.length === 0) return [];
  const validated = inputs.map((t) => validateTransfer(t));
  const ids = new Set<string>();
  const pendingIds = new Set<string>();
  const accountIds = new Set<string>();
  for (const v of validated) {
    if (!v.ok) continue;
    ids.add(v.value.id);
    if (v.value.pendingId !== null) pendingIds.add(v.value.pendingId);
    else accountIds.add(v.value.debitAccountId!).add(v.value.creditAccountId!);
  }
  // Pending transfers are immutable, so reading them before the locks is safe; it tells us which accounts to lock.
  const pendings = new Map<string, StoredTransfer>();
  if (pendingIds.size > 0) {
    const { rows } = await db.query<TransferRow>(
      `SELECT ${TRANSFER_COLUMNS} FROM ledger.transfers WHERE id = ANY($1::text[])`,
      [[...pendingIds]],
    );
    for (const r of rows) {
      const t = transferFromRow(r);
      pendings.set(t.id, t);
      accountIds.add(t.debitAccountId).add(t.creditAccountId);
    }
  }
  const accounts = await lockAccounts(db, [...accountIds]);
  const now = batchTime(clock.now(), accounts.rows);
  const ctx: EvaluationContext = {
    now,
    accounts: accounts.states,
    existing: new Map(),
    pendings,
    pendingStatus: new Map(),
  };
  if (ids.size > 0) {
    // Under the locks: anything another batch wrote on these accounts has committed and is visible.
    const { rows } = await db.query<TransferRow>(
      `SELECT ${TRANSFER_COLUMNS} FROM ledger.transfers WHERE id = ANY($1::text[]) OR pending_id = ANY($2::text[])`,
      [[...ids], [...pendingIds]],
    );
    for (const r of rows) {
      const t = transferFromRow(r);
      if (ids.has(t.id)) ctx.existing.set(t.id, t);
      if (t.pendingId !== null && pendingIds.has(t.pendingId))
        ctx.pendingStatus.set(t.pendingId, RESOLUTION[t.type]!);
    }
    for (const id of pendingIds)
      if (pendings.has(id) && !ctx.pendingStatus.has(id)) ctx.pendingStatus.set(id, 'open');
  }
  const fx: BatchEffects = evaluateBatch(inputs, validated, ctx);
  await writeEffects(db, fx, ctx);
  return fx.results;
}

/** Expires up to `limit` due holds inside the caller's transaction; returns the expiry transfers written. */
export async function expireBatch(db: Queryable, now: Date, limit: number): Promise<BatchEffects> {
  const { rows } = await db.query<TransferRow>(
    `SELECT ${TRANSFER_COLUMNS} FROM ledger.transfers WHERE id IN (
       SELECT transfer_id FROM ledger.open_pendings WHERE timeout_at <= $1 ORDER BY timeout_at, transfer_id LIMIT $2)`,
    [now, limit],
  );
  const due = rows.map(transferFromRow);
  const accountIds = new Set<string>();
  for (const p of due) accountIds.add(p.debitAccountId).add(p.creditAccountId);
  const accounts = await lockAccounts(db, [...accountIds]);
  const stillOpen = await db.query<{ transfer_id: string }>(
    'SELECT transfer_id FROM ledger.open_pendings WHERE transfer_id = ANY($1::text[])',
    [due.map((p) => p.id)],
  );
  const open = new Set(stillOpen.rows.map((r) => r.transfer_id));
  const ctx: EvaluationContext = {
    now: batchTime(now, accounts.rows),
    accounts: accounts.states,
    existing: new Map(),
    pendings: new Map(due.map((p) => [p.id, p])),
    pendingStatus: new Map(due.map((p) => [p.id, open.has(p.id) ? 'open' : 'posted'])),
  };
  const fx = evaluateExpiry(due, ctx);
  await writeEffects(db, fx, ctx);
  return fx;
}

async function lockAccounts(
  db: Queryable,
  ids: string[],
): Promise<{ rows: AccountRow[]; states: Map<string, AccountState> }> {
  if (ids.length === 0) return { rows: [], states: new Map() };
  // ORDER BY id makes every batch take its row locks in the same global order: no lock cycles, no deadlocks.
  const { rows } = await db.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM ledger.accounts WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
    [ids],
  );
  return { rows, states: new Map(rows.map((r) => [r.id, stateFromRow(r)])) };
}

/** The batch's timestamp: the clock, but never behind an entry already on a locked account. */
function batchTime(clockNow: Date, rows: AccountRow[]): Date {
  let t = clockNow.getTime();
  for (const r of rows)
    if (r.last_entry_at !== null && r.last_entry_at.getTime() > t) t = r.last_entry_at.getTime();
  return new Date(t);
}
