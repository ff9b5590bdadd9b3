import { ID_PATTERN } from '../account/account-validation';
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
  LOCK_COLUMNS,
  LockedAccountRow,
  Queryable,
  stateFromRow,
  TRANSFER_COLUMNS,
  transferColumns,
  TransferRow,
  transferFromRow,
} from './rows';

const RESOLUTION: Partial<Record<TransferType, PendingStatus>> = {
  post_pending: 'posted',
  void_pending: 'voided',
  expire_pending: 'expired',
};

export interface PostBatchOptions {
  /** Open the transaction in the first round trip (PgLedger does; postInTransaction's caller already has). */
  begin?: boolean;
  /** Send COMMIT with the write, in the same round trip (PgLedger.post does; postInTransaction must not). */
  commit?: boolean;
}

/**
 * Posts a batch inside a transaction: locks every touched account in id order (so two batches can never
 * deadlock on accounts), reads idempotency and pending state under those locks, evaluates the batch in
 * memory in input order and writes it back with one set-based statement.
 *
 * Round trips matter for small group-commit batches, so the lock and the reads after it travel as one
 * multi-statement simple query (each statement still gets its own snapshot, taken after the locks). That
 * needs the ids inline; every id has passed ID_PATTERN (letters, digits and . _ : -), and `idArray`
 * checks again, so no quote can reach the SQL. Everything else travels as bind parameters.
 */
export async function postBatch(
  db: Queryable,
  clock: Clock,
  inputs: readonly TransferInput[],
  options: PostBatchOptions = {},
): Promise<PostResult[]> {
  if (inputs.length === 0) return [];
  const begin = options.begin ? 'BEGIN;\n' : '';
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
  let opened = begin === '';
  if (pendingIds.size > 0) {
    const [rows] = await multi<TransferRow>(db, `${begin}${transfersWhere('id', pendingIds)}`);
    opened = true;
    for (const r of rows!) {
      const t = transferFromRow(r);
      pendings.set(t.id, t);
      accountIds.add(t.debitAccountId).add(t.creditAccountId);
    }
  }
  // Under the locks: anything another batch wrote on these accounts has committed and is visible.
  const [accountRows, transferRows] = await multi<LockedAccountRow & TransferRow>(
    db,
    `${opened ? '' : begin}SELECT ${LOCK_COLUMNS} FROM ledger.accounts WHERE id = ANY(${idArray(accountIds)}) ORDER BY id FOR UPDATE;
     ${journalLookup(ids, pendingIds)}`,
  );
  const states = new Map<string, AccountState>(accountRows!.map((r) => [r.id, stateFromRow(r)]));
  const ctx: EvaluationContext = {
    now: batchTime(clock.now(), accountRows!),
    accounts: states,
    existing: new Map(),
    pendings,
    pendingStatus: new Map(),
  };
  for (const r of transferRows!) {
    const t = transferFromRow(r);
    if (ids.has(t.id)) ctx.existing.set(t.id, t);
    if (t.pendingId !== null && pendingIds.has(t.pendingId))
      ctx.pendingStatus.set(t.pendingId, RESOLUTION[t.type]!);
  }
  for (const id of pendingIds)
    if (pendings.has(id) && !ctx.pendingStatus.has(id)) ctx.pendingStatus.set(id, 'open');
  const fx: BatchEffects = evaluateBatch(inputs, validated, ctx);
  await writeEffects(db, fx, ctx, { commit: options.commit === true });
  return fx.results;
}

/** Expires up to `limit` due holds inside the caller's transaction; returns the expiry transfers written. */
export async function expireBatch(db: Queryable, now: Date, limit: number): Promise<BatchEffects> {
  const { rows } = await db.query<TransferRow>(
    // Due holds in (timeout, id) order: the order their expiries are journaled in.
    `SELECT ${transferColumns('t')} FROM (
       SELECT transfer_id, timeout_at FROM ledger.open_pendings WHERE timeout_at <= $1 ORDER BY timeout_at, transfer_id LIMIT $2
     ) o JOIN ledger.transfers t ON t.id = o.transfer_id ORDER BY o.timeout_at, o.transfer_id`,
    [now, limit],
  );
  const due = rows.map(transferFromRow);
  const accountIds = new Set<string>();
  for (const p of due) accountIds.add(p.debitAccountId).add(p.creditAccountId);
  const [accountRows, openRows] = await multi<LockedAccountRow & { transfer_id: string }>(
    db,
    `SELECT ${LOCK_COLUMNS} FROM ledger.accounts WHERE id = ANY(${idArray(accountIds)}) ORDER BY id FOR UPDATE;
     SELECT transfer_id FROM ledger.open_pendings WHERE transfer_id = ANY(${idArray(due.map((p) => p.id))})`,
  );
  const open = new Set(openRows!.map((r) => r.transfer_id));
  const ctx: EvaluationContext = {
    now: batchTime(now, accountRows!),
    accounts: new Map(accountRows!.map((r) => [r.id, stateFromRow(r)])),
    existing: new Map(),
    pendings: new Map(due.map((p) => [p.id, p])),
    pendingStatus: new Map(due.map((p) => [p.id, open.has(p.id) ? 'open' : 'posted'])),
  };
  const fx = evaluateExpiry(due, ctx);
  await writeEffects(db, fx, ctx);
  return fx;
}

/**
 * The journal rows with one of `ids` as id or one of `pendingIds` as pending_id, one index probe per id.
 *
 * `WHERE id = ANY(<5,000 ids>) OR pending_id = ANY(...)` is estimated to match all 5,000 rows (ids are
 * unique, and the planner cannot know they are new), so it was planned as a sequential scan of the whole
 * journal: 58 ms at 185,000 transfers and growing with the table, inside the lock window of every large
 * batch. The lateral subqueries (OFFSET 0 keeps them from being flattened into a hash join) make it a
 * parameterised index scan per id, whose cost does not grow with the journal.
 */
function journalLookup(ids: Set<string>, pendingIds: Set<string>): string {
  const byId = transfersWhere('id', ids);
  return pendingIds.size === 0 ? byId : `${byId}\n     UNION ALL ${transfersWhere('pending_id', pendingIds)}`;
}

function transfersWhere(column: 'id' | 'pending_id', ids: Iterable<string>): string {
  return `SELECT t.* FROM unnest(${idArray(ids)}) AS k(id)
       CROSS JOIN LATERAL (SELECT ${TRANSFER_COLUMNS} FROM ledger.transfers WHERE ${column} = k.id OFFSET 0) t`;
}

/** An inline text[] of ids; refuses anything outside ID_PATTERN, so nothing can break out of the quotes. */
export function idArray(ids: Iterable<string>): string {
  const parts: string[] = [];
  for (const id of ids) {
    if (!ID_PATTERN.test(id))
      throw new Error(`refusing to inline id ${JSON.stringify(id)}: not an id the ledger issues`);
    parts.push(id);
  }
  // One array literal (parsed once by array_in), every element double-quoted so "NULL" stays text.
  return parts.length === 0 ? `'{}'::text[]` : `'{"${parts.join('","')}"}'::text[]`;
}

/** Runs a multi-statement simple query; returns the rows of each SELECT in order (BEGIN's result dropped). */
async function multi<R extends object>(db: Queryable, sql: string): Promise<R[][]> {
  const out = (await db.query<R>(sql)) as unknown as
    Array<{ command: string; rows: R[] }> | { command: string; rows: R[] };
  return (Array.isArray(out) ? out : [out]).filter((r) => r.command !== 'BEGIN').map((r) => r.rows);
}

/** The batch's timestamp: the clock, but never behind an entry already on a locked account. */
function batchTime(clockNow: Date, rows: LockedAccountRow[]): Date {
  let t = clockNow.getTime();
  for (const r of rows)
    if (r.last_entry_ms !== null && Number(r.last_entry_ms) > t) t = Number(r.last_entry_ms);
  return new Date(t);
}
