import { Pool, PoolClient } from 'pg';
import {
  accountFailure,
  accountFromSpec,
  AccountInput,
  AccountSpec,
  AccountStatus,
  Balance,
  sameAccountSpec,
  statusChangeError,
  toBalance,
  validateAccountInput,
  ZERO_BALANCE,
} from '../account';
import { Clock, systemClock } from '../clock';
import { publicTransfer } from '../engine/batch-evaluator';
import { CreateAccountResult, Ledger, Statement, StatementQuery, StatusChangeResult } from '../ledger';
import { Money } from '../money';
import { codeFromText, PendingStatus, PostResult, Transfer, TransferInput, TransferType } from '../transfer';
import { expireBatch, postBatch } from './batch-poster';
import {
  ACCOUNT_COLUMNS,
  AccountRow,
  balanceFromRow,
  Queryable,
  specFromRow,
  TRANSFER_COLUMNS,
  TransferRow,
  transferFromRow,
} from './rows';

export interface PgLedgerOptions {
  clock?: Clock;
  /** Attempts for a batch that hits a transient conflict (deadlock, serialization, concurrent duplicate id). */
  maxAttempts?: number;
  /** Holds expired per transaction by `expirePending`. */
  expiryBatchSize?: number;
}

// 40P01 deadlock, 40001 serialization failure, 23505 a concurrent batch inserted the same transfer id first.
const RETRYABLE = new Set(['40P01', '40001', '23505']);

/**
 * The ledger on PostgreSQL (schema "ledger", see prisma/migrations). `post` runs each batch in its own
 * transaction; `postInTransaction` runs it in the caller's, so a service can check its own rows (KYC limits,
 * an outbox) atomically with the postings.
 */
export class PgLedger implements Ledger {
  readonly clock: Clock;
  /** Transient conflicts seen (each retried up to maxAttempts); deadlocks should stay 0 by construction. */
  readonly conflicts = { deadlocks: 0, serializationFailures: 0, duplicateIds: 0 };
  private readonly maxAttempts: number;
  private readonly expiryBatchSize: number;

  constructor(
    private readonly pool: Pool,
    options: PgLedgerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.expiryBatchSize = options.expiryBatchSize ?? 5000;
  }

  async post(transfers: TransferInput[]): Promise<PostResult[]> {
    if (transfers.length === 0) return [];
    // BEGIN travels with the lock query and COMMIT with the write: two round trips per batch.
    return this.transact(
      (client) => postBatch(client, this.clock, transfers, { begin: true, commit: true }),
      true,
      true,
    );
  }

  /**
   * Posts inside a transaction the caller opened on `client` (BEGIN ... COMMIT are the caller's; calling it
   * outside a transaction would let the account locks go before the write). Takes
   * FOR UPDATE locks on the touched accounts in id order; the caller should take its own locks in a
   * consistent order too, and retry the whole transaction on SQLSTATE 40P01/40001/23505.
   */
  async postInTransaction(client: Queryable, transfers: TransferInput[]): Promise<PostResult[]> {
    if (client.getTransactionStatus?.() === 'I') {
      throw new Error(
        'postInTransaction needs an open transaction on the client: run BEGIN first, COMMIT after',
      );
    }
    return postBatch(client, this.clock, transfers);
  }

  async expirePending(now: Date = this.clock.now()): Promise<Transfer[]> {
    const out: Transfer[] = [];
    for (;;) {
      const fx = await this.withTransaction((c) => expireBatch(c, now, this.expiryBatchSize));
      for (const r of fx.results) if (r.ok) out.push(r.transfer);
      if (fx.results.length < this.expiryBatchSize) return out;
    }
  }

  async createAccounts(inputs: AccountInput[]): Promise<CreateAccountResult[]> {
    const validated = inputs.map(validateAccountInput);
    const specs = validated.flatMap((v) => (v.ok ? [v.value] : []));
    const now = this.clock.now();
    const inserted = new Set<string>();
    const existing = new Map<string, AccountRow>();
    if (specs.length > 0) {
      const ins = await this.pool.query<{ id: string }>(
        `INSERT INTO ledger.accounts (id, currency, normal_side, owner_ref, debits_must_not_exceed_credits,
           credits_must_not_exceed_debits, credit_limit, created_at, updated_at)
         SELECT u.*, $8, $8 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::boolean[], $7::bigint[])
           AS u(id, currency, normal_side, owner_ref, dmnec, cmned, credit_limit)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          specs.map((s) => s.id),
          specs.map((s) => s.currency),
          specs.map((s) => s.normalSide),
          specs.map((s) => s.ownerRef),
          specs.map((s) => s.debitsMustNotExceedCredits),
          specs.map((s) => s.creditsMustNotExceedDebits),
          specs.map((s) => s.creditLimitMinor.toString()),
          now,
        ],
      );
      for (const r of ins.rows) inserted.add(r.id);
      const { rows } = await this.pool.query<AccountRow>(
        `SELECT ${ACCOUNT_COLUMNS} FROM ledger.accounts WHERE id = ANY($1::text[])`,
        [specs.map((s) => s.id)],
      );
      for (const r of rows) existing.set(r.id, r);
    }
    const seen = new Set<string>();
    return validated.map((v) => {
      if (!v.ok) return v;
      const row = existing.get(v.value.id)!;
      const spec: AccountSpec = specFromRow(row);
      if (!sameAccountSpec(spec, v.value)) return accountFailure('ID_CONFLICT', v.value.id);
      const created = inserted.has(spec.id) && !seen.has(spec.id);
      seen.add(spec.id);
      return { ok: true, account: accountFromSpec(spec, row.status, row.created_at), created };
    });
  }

  async getAccount(id: string) {
    const { rows } = await this.pool.query<AccountRow>(
      `SELECT ${ACCOUNT_COLUMNS} FROM ledger.accounts WHERE id = $1`,
      [id],
    );
    return rows[0] ? accountFromSpec(specFromRow(rows[0]), rows[0].status, rows[0].created_at) : null;
  }

  async setAccountStatus(id: string, status: AccountStatus): Promise<StatusChangeResult> {
    return this.withTransaction(async (c) => {
      const { rows } = await c.query<AccountRow>(
        `SELECT ${ACCOUNT_COLUMNS} FROM ledger.accounts WHERE id = $1 FOR UPDATE`,
        [id],
      );
      const row = rows[0];
      if (!row) return accountFailure('ACCOUNT_NOT_FOUND', id);
      const err = statusChangeError(row.status, status, balanceFromRow(row));
      if (err) return accountFailure(err, `${row.status} -> ${String(status)}`);
      if (row.status !== status) {
        const now = this.clock.now();
        await c.query(
          `WITH u AS (UPDATE ledger.accounts SET status = $2, updated_at = $3 WHERE id = $1)
           INSERT INTO ledger.account_status_changes (account_id, from_status, to_status, changed_at) VALUES ($1, $4, $2, $3)`,
          [id, status, now, row.status],
        );
      }
      return { ok: true, account: accountFromSpec(specFromRow(row), status, row.created_at) };
    });
  }

  async balances(accountIds: string[]): Promise<Balance[]> {
    const { rows } = await this.pool.query<AccountRow>(
      `SELECT ${ACCOUNT_COLUMNS} FROM ledger.accounts WHERE id = ANY($1::text[])`,
      [accountIds],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return accountIds.flatMap((id) => {
      const r = byId.get(id);
      return r ? [toBalance(specFromRow(r), balanceFromRow(r))] : [];
    });
  }

  async balanceAsOf(accountId: string, instant: Date): Promise<Balance | null> {
    const acc = await this.pool.query<AccountRow>(
      `SELECT ${ACCOUNT_COLUMNS} FROM ledger.accounts WHERE id = $1`,
      [accountId],
    );
    if (!acc.rows[0]) return null;
    const { rows } = await this.pool.query<EntryBalanceRow>(
      `SELECT debits_posted::text AS debits_posted, credits_posted::text AS credits_posted, debits_pending::text AS debits_pending,
         credits_pending::text AS credits_pending
       FROM ledger.entries WHERE account_id = $1 AND created_at <= $2 ORDER BY created_at DESC, id DESC LIMIT 1`,
      [accountId, instant],
    );
    return toBalance(specFromRow(acc.rows[0]), rows[0] ? balanceFromRow(rows[0]) : ZERO_BALANCE);
  }

  async statement(accountId: string, query: StatementQuery = {}): Promise<Statement> {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), 1000);
    const acc = await this.pool.query<AccountRow>(
      `SELECT ${ACCOUNT_COLUMNS} FROM ledger.accounts WHERE id = $1`,
      [accountId],
    );
    if (!acc.rows[0]) return { accountId, lines: [], nextCursor: null };
    const spec = specFromRow(acc.rows[0]);
    const cursor = decodeCursor(query.cursor ?? null);
    const { rows } = await this.pool.query<StatementRow>(
      `SELECT e.id::text AS id, e.transfer_id, t.type, t.code, t.metadata, e.side, e.posted_amount::text AS posted_amount,
         e.pending_delta::text AS pending_delta, e.debits_posted::text AS debits_posted, e.credits_posted::text AS credits_posted,
         e.debits_pending::text AS debits_pending, e.credits_pending::text AS credits_pending, e.created_at
       FROM ledger.entries e JOIN ledger.transfers t ON t.id = e.transfer_id
       WHERE e.account_id = $1 AND (e.created_at, e.id) > ($2::timestamptz, $3::bigint)
       ORDER BY e.created_at, e.id LIMIT $4`,
      [accountId, cursor.at, cursor.id, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      accountId,
      lines: page.map((r) => ({
        entryId: r.id,
        transferId: r.transfer_id,
        transferType: r.type,
        code: codeFromText(r.code),
        metadata: r.metadata,
        side: r.side === 'D' ? 'debit' : 'credit',
        postedAmount: Money.fromMinor(BigInt(r.posted_amount), spec.currency).amount,
        pendingDelta: Money.fromMinor(BigInt(r.pending_delta), spec.currency).amount,
        balanceAfter: toBalance(spec, balanceFromRow(r)),
        at: r.created_at,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
    };
  }

  async getTransfer(id: string): Promise<Transfer | null> {
    const { rows } = await this.pool.query<TransferRow>(
      `SELECT ${TRANSFER_COLUMNS} FROM ledger.transfers WHERE id = $1`,
      [id],
    );
    return rows[0] ? publicTransfer(transferFromRow(rows[0])) : null;
  }

  async pendingStatus(pendingId: string): Promise<PendingStatus | null> {
    const { rows } = await this.pool.query<{
      type: TransferType;
      resolution: TransferType | null;
      open: boolean;
    }>(
      `SELECT p.type, r.type AS resolution, EXISTS (SELECT 1 FROM ledger.open_pendings o WHERE o.transfer_id = p.id) AS open
       FROM ledger.transfers p LEFT JOIN ledger.transfers r ON r.pending_id = p.id WHERE p.id = $1`,
      [pendingId],
    );
    const r = rows[0];
    if (!r || r.type !== 'pending') return null;
    if (r.resolution === 'post_pending') return 'posted';
    if (r.resolution === 'void_pending') return 'voided';
    if (r.resolution === 'expire_pending') return 'expired';
    return 'open';
  }

  /** Runs `fn` in a transaction, retrying it whole on transient conflicts. */
  async withTransaction<T>(fn: (client: PoolClient) => Promise<T>, fnBegins = false): Promise<T> {
    return this.transact(fn, fnBegins, false);
  }

  /** `withTransaction`, where `fn` may also open (fnBegins) and commit (fnCommits) the transaction itself. */
  private async transact<T>(
    fn: (client: PoolClient) => Promise<T>,
    fnBegins: boolean,
    fnCommits: boolean,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      try {
        if (!fnBegins) await client.query('BEGIN');
        const out = await fn(client);
        if (!fnCommits) await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        const code = (err as { code?: string }).code;
        if (code === '40P01') this.conflicts.deadlocks++;
        if (code === '40001') this.conflicts.serializationFailures++;
        if (code === '23505') this.conflicts.duplicateIds++;
        if (attempt >= this.maxAttempts || code === undefined || !RETRYABLE.has(code)) throw err;
      } finally {
        client.release();
      }
    }
  }
}

interface EntryBalanceRow {
  debits_posted: string;
  credits_posted: string;
  debits_pending: string;
  credits_pending: string;
}

interface StatementRow extends EntryBalanceRow {
  id: string;
  transfer_id: string;
  type: TransferType;
  code: string;
  metadata: Transfer['metadata'];
  side: 'D' | 'C';
  posted_amount: string;
  pending_delta: string;
  created_at: Date;
}

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string | null): { at: string; id: string } {
  if (cursor === null) return { at: '-infinity', id: '0' };
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!at || !id || !/^\d+$/.test(id) || Number.isNaN(Date.parse(at)))
    throw new Error(`statement cursor "${cursor}" is not one this ledger issued`);
  return { at, id };
}
