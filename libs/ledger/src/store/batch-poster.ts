import { ID_PATTERN } from '../account/account-validation';
import { Clock } from '../clock';
import {
  AccountState,
  BatchEffects,
  EvaluationContext,
  evaluateBatchUnpublished,
  evaluateExpiry,
  publishResults,
  StoredTransfer,
} from '../engine/batch-evaluator';
import { AccountStatus, NormalSide } from '../account';
import {
  PendingStatus,
  PostResult,
  TransferInput,
  TransferType,
  Validated,
  validateTransfer,
} from '../transfer';
import { preparableColumns, StaticColumns, writeEffects } from './batch-writer';
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
 * deadlock on accounts), reads idempotency and pending state (see below for when the id lookup may run
 * before the locks), evaluates the batch in memory in input order and writes it back with one set-based
 * statement.
 *
 * Round trips matter for small group-commit batches, so the lock and the reads travel as one
 * multi-statement simple query (each statement gets its own snapshot). That needs the ids inline; every id
 * has passed ID_PATTERN (letters, digits and . _ : -), and `idArray` checks again, so no quote can reach
 * the SQL. Everything else travels as bind parameters.
 *
 * What the lock window holds is kept small: validation, hashing and the columns of the write that do not
 * depend on balances are done before the lock query is sent; the results' public views after the write is.
 */
export async function postBatch(
  db: Queryable,
  clock: Clock,
  inputs: readonly TransferInput[],
  options: PostBatchOptions = {},
): Promise<PostResult[]> {
  if (inputs.length === 0) return [];
  const begin = options.begin ? 'BEGIN;\n' : '';
  const validated = await validateAll(inputs);
  const prepared = await prepareColumns(validated);
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
  // In a transaction of its own (PgLedger.post) the id lookup runs before the locks, in the same round trip:
  // a transfer in the journal never changes, so what it finds stays true, and a concurrent batch that
  // commits one of these ids after the lookup makes our INSERT fail on transfers_pkey (23505), which
  // PgLedger.post retries whole (the retry then finds it). That keeps 5,000 index probes out of the lock
  // window of every large batch. In the caller's transaction the lookup stays under the locks, so a
  // duplicate racing on the same accounts is still answered as a replay rather than with an error.
  // Resolutions of our holds are always looked up under the locks (they decide pending state).
  const lookupFirst = options.begin === true;
  const lookup = transfersWhere('id', ids);
  const lock = lockAccounts(accountIds);
  const results = await multi<TransferRow & { accounts: string | null }>(
    db,
    `${opened ? '' : begin}${lookupFirst ? `${lookup};\n${lock}` : `${lock};\n${lookup}`}${
      pendingIds.size > 0 ? `;\n${transfersWhere('pending_id', pendingIds)}` : ''
    }`,
  );
  const transferRows = results[lookupFirst ? 0 : 1]!;
  const lockRows = results[lookupFirst ? 1 : 0]!;
  const resolutionRows = results[2];
  const { states, lastEntryMs } = statesFromText(lockRows[0]?.accounts ?? null);
  const ctx: EvaluationContext = {
    now: new Date(Math.max(clock.now().getTime(), lastEntryMs)),
    accounts: states,
    existing: new Map(),
    pendings,
    pendingStatus: new Map(),
  };
  for (const r of transferRows) {
    const t = transferFromRow(r);
    ctx.existing.set(t.id, t);
  }
  for (const r of resolutionRows ?? []) {
    const t = transferFromRow(r);
    if (ids.has(t.id)) ctx.existing.set(t.id, t);
    if (t.pendingId !== null && pendingIds.has(t.pendingId))
      ctx.pendingStatus.set(t.pendingId, RESOLUTION[t.type]!);
  }
  for (const id of pendingIds)
    if (pendings.has(id) && !ctx.pendingStatus.has(id)) ctx.pendingStatus.set(id, 'open');
  const fx: BatchEffects = evaluateBatchUnpublished(inputs, validated, ctx);
  // The write is on the wire once writeEffects returns its promise (node-pg sends at once on an idle
  // client); the results' public views are built while the server works, outside the lock window.
  const written = writeEffects(db, fx, ctx, { commit: options.commit === true }, prepared);
  publishResults(fx);
  await written;
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
 * The journal rows with one of `ids` as `column`, one index probe per id.
 *
 * `WHERE id = ANY(<5,000 ids>)` is estimated to match all 5,000 rows (ids are unique, and the planner cannot
 * know they are new), so it was planned as a sequential scan of the whole journal: 58 ms at 185,000
 * transfers and growing with the table. The lateral subquery (OFFSET 0 keeps it from being flattened into a
 * hash join) makes it a parameterised index scan per id, whose cost does not grow with the journal.
 */
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

/**
 * Locks the accounts in id order and returns them as one text: an account per ';'-separated record, fields
 * ','-separated in the order `statesFromText` reads them. node-pg parsing some 6,000 rows of 13 fields each
 * inside the lock window cost ~25 ms of Node; json_agg moved that cost to the server (~20 ms more than
 * plain rows); string_agg costs the server what plain rows did. Every field but owner_ref is an id, a word,
 * a boolean or digits (no ',' or ';'), so owner_ref travels last, hex-encoded, and only when not null.
 */
function lockAccounts(accountIds: Set<string>): string {
  return `SELECT string_agg(concat_ws(',', id, currency, normal_side, debits_must_not_exceed_credits,
       credits_must_not_exceed_debits, credit_limit, status, debits_posted, credits_posted, debits_pending,
       credits_pending, coalesce(ceil(extract(epoch FROM last_entry_at) * 1000)::bigint::text, ''),
       encode(convert_to(owner_ref, 'UTF8'), 'hex')), ';') AS accounts
     FROM (SELECT * FROM ledger.accounts WHERE id = ANY(${idArray(accountIds)}) ORDER BY id FOR UPDATE) l`;
}

/** The locked accounts' states, and the latest entry time among them (epoch ms, 0 when none). */
function statesFromText(text: string | null): { states: Map<string, AccountState>; lastEntryMs: number } {
  const states = new Map<string, AccountState>();
  let lastEntryMs = 0;
  if (text === null) return { states, lastEntryMs };
  for (const record of text.split(';')) {
    const a = record.split(',');
    if (a.length !== 12 && a.length !== 13)
      throw new Error(`ledger: unexpected locked account record ${record}`);
    const id = a[0]!;
    states.set(id, {
      spec: {
        id,
        currency: a[1]!,
        normalSide: a[2] as NormalSide,
        ownerRef: a.length === 13 ? Buffer.from(a[12]!, 'hex').toString('utf8') : null,
        debitsMustNotExceedCredits: a[3] === 't',
        creditsMustNotExceedDebits: a[4] === 't',
        creditLimitMinor: big(a[5]!),
      },
      status: a[6] as AccountStatus,
      balance: {
        debitsPosted: big(a[7]!),
        creditsPosted: big(a[8]!),
        debitsPending: big(a[9]!),
        creditsPending: big(a[10]!),
      },
    });
    if (a[11] !== '') {
      const ms = Number(a[11]);
      if (ms > lastEntryMs) lastEntryMs = ms;
    }
  }
  return { states, lastEntryMs };
}

/** Most pending balances and credit limits are zero: skip BigInt's string parser for them. */
const big = (s: string): bigint => (s === '0' ? 0n : BigInt(s));

/**
 * Validates and hashes the batch (about 30 ms for 5,000 transfers) in slices, yielding to the event loop
 * between them: another batch of this process may be holding its account locks and waiting for its lock
 * result to be evaluated, and one long synchronous stretch here would stretch that lock window for everyone.
 */
async function validateAll(inputs: readonly TransferInput[]): Promise<Validated[]> {
  const out = new Array<Validated>(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    if (i > 0 && i % VALIDATE_SLICE === 0) await new Promise<void>((r) => setImmediate(r));
    out[i] = validateTransfer(inputs[i]!);
  }
  return out;
}
const VALIDATE_SLICE = 500;

/** The batch's state-independent write columns (see `StaticColumns`), built in slices like `validateAll`. */
async function prepareColumns(validated: readonly Validated[]): Promise<StaticColumns | null> {
  const columns = preparableColumns(validated);
  if (columns === null) return null;
  for (let i = 0; i < validated.length; i++) {
    if (i > 0 && i % VALIDATE_SLICE === 0) await new Promise<void>((r) => setImmediate(r));
    const v = validated[i]!;
    if (v.ok) columns.addNew(v.value);
  }
  columns.literals();
  return columns;
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
