import type { ClientBase } from 'pg';

/** Anything that runs SQL: a pool client inside the caller's transaction. */
export type Sql = Pick<ClientBase, 'query'>;

export interface WalletRow {
  id: string;
  user_id: string;
  currency: string;
  status: 'active' | 'frozen' | 'closed';
  tier: number;
  ledger_account_id: string;
  created_at: Date;
}

export interface HoldRow {
  id: string;
  wallet_id: string;
  to_wallet_id: string | null;
  credit_account: string;
  currency: string;
  amount_minor: string;
  captured_minor: string;
  status: 'open' | 'captured' | 'voided' | 'expired';
  reference: string | null;
  expires_at: Date | null;
  created_at: Date;
  /** Who placed it (null for holds placed before this was recorded). */
  placed_by: string | null;
}

export interface WithdrawalRow {
  id: string;
  wallet_id: string;
  currency: string;
  amount_minor: string;
  bank_account: string;
  status: 'pending' | 'completed' | 'failed';
  bank_reference: string | null;
  failure_reason: string | null;
  expires_at: Date;
  created_at: Date;
}

export interface AuditRow {
  id: string;
  actor_id: string;
  actor_ip: string | null;
  action: string;
  wallet_id: string | null;
  reason: string | null;
  result: string;
  at: Date;
}

const WALLET = 'id, user_id, currency, status, tier, ledger_account_id, created_at';
const HOLD =
  'id, wallet_id, to_wallet_id, credit_account, currency, amount_minor::text AS amount_minor, captured_minor::text AS captured_minor, status, reference, expires_at, created_at, placed_by';
const WITHDRAWAL =
  'id, wallet_id, currency, amount_minor::text AS amount_minor, bank_account, status, bank_reference, failure_reason, expires_at, created_at';

/**
 * The wallet's own tables, always on the caller's transaction. Row locks are taken in wallet-id order
 * before the ledger locks its accounts (also in id order), so wallet commands never deadlock each other.
 */
/** A hold as it is created (open, nothing captured). */
export interface NewHoldRow {
  id: string;
  walletId: string;
  toWalletId: string | null;
  creditAccount: string;
  currency: string;
  amountMinor: bigint;
  reference: string | null;
  expiresAt: Date | null;
  /** The instant whose UTC day the hold's outflow usage was recorded on: a release gives it back there. */
  createdAt: Date;
  /** The user id of the actor that placed it. */
  placedBy: string;
  /** A hold captured in the transaction that creates it is written captured ('open' and 0 when absent). */
  captured?: { status: 'captured'; capturedMinor: bigint };
}

export const walletRepository = {
  async insertWallet(db: Sql, w: { id: string; userId: string; currency: string; ledgerAccountId: string }) {
    const { rows } = await db.query<WalletRow>(
      `INSERT INTO wallets (id, user_id, currency, ledger_account_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING ${WALLET}`,
      [w.id, w.userId, w.currency, w.ledgerAccountId],
    );
    return rows[0] ?? null;
  },

  async byUserAndCurrency(db: Sql, userId: string, currency: string): Promise<WalletRow | null> {
    const { rows } = await db.query<WalletRow>(
      `SELECT ${WALLET} FROM wallets WHERE user_id = $1 AND currency = $2`,
      [userId, currency],
    );
    return rows[0] ?? null;
  },

  async byUser(db: Sql, userId: string): Promise<WalletRow[]> {
    const { rows } = await db.query<WalletRow>(
      `SELECT ${WALLET} FROM wallets WHERE user_id = $1 ORDER BY currency`,
      [userId],
    );
    return rows;
  },

  async byId(db: Sql, id: string): Promise<WalletRow | null> {
    const { rows } = await db.query<WalletRow>(`SELECT ${WALLET} FROM wallets WHERE id = $1`, [id]);
    return rows[0] ?? null;
  },

  /** Locks the wallets in id order and returns them by id (missing ids are absent). */
  async lock(db: Sql, ids: string[]): Promise<Map<string, WalletRow>> {
    const { rows } = await db.query<WalletRow>(
      `SELECT ${WALLET} FROM wallets WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.id, r]));
  },

  async setStatus(db: Sql, id: string, status: WalletRow['status']): Promise<void> {
    await db.query('UPDATE wallets SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
  },

  async setTier(db: Sql, id: string, tier: number): Promise<void> {
    await db.query('UPDATE wallets SET tier = $2, updated_at = now() WHERE id = $1', [id, tier]);
  },

  /** Outflow used on `day` and in its calendar month up to that day, in minor units. */
  async outflowUsage(
    db: Sql,
    walletId: string,
    day: string,
  ): Promise<{ dailyMinor: bigint; monthlyMinor: bigint }> {
    const { rows } = await db.query<{ daily: string; monthly: string }>(
      `SELECT COALESCE(SUM(amount_minor) FILTER (WHERE day = $2::date), 0)::text AS daily,
              COALESCE(SUM(amount_minor), 0)::text AS monthly
       FROM wallet_outflows WHERE wallet_id = $1 AND day >= date_trunc('month', $2::date)::date AND day <= $2::date`,
      [walletId, day],
    );
    return { dailyMinor: BigInt(rows[0]!.daily), monthlyMinor: BigInt(rows[0]!.monthly) };
  },

  /** Adds (or, negative, gives back) outflow on a day; never below zero. */
  async addOutflow(db: Sql, walletId: string, day: string, deltaMinor: bigint): Promise<void> {
    await db.query(
      `INSERT INTO wallet_outflows (wallet_id, day, amount_minor) VALUES ($1, $2::date, GREATEST($3::bigint, 0))
       ON CONFLICT (wallet_id, day) DO UPDATE SET amount_minor = GREATEST(wallet_outflows.amount_minor + $3::bigint, 0)`,
      [walletId, day, deltaMinor.toString()],
    );
  },

  async insertHold(db: Sql, h: NewHoldRow): Promise<HoldRow> {
    return (await walletBatchRepository.insertHolds(db, [h])).get(h.id)!;
  },

  async hold(db: Sql, id: string, lock = false): Promise<HoldRow | null> {
    const { rows } = await db.query<HoldRow>(
      `SELECT ${HOLD} FROM holds WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  },

  async resolveHold(db: Sql, id: string, status: HoldRow['status'], capturedMinor: bigint): Promise<HoldRow> {
    const { rows } = await db.query<HoldRow>(
      `UPDATE holds SET status = $2, captured_minor = $3, updated_at = now() WHERE id = $1 RETURNING ${HOLD}`,
      [id, status, capturedMinor.toString()],
    );
    return rows[0]!;
  },

  async dueHolds(db: Sql, now: Date, limit: number): Promise<HoldRow[]> {
    const { rows } = await db.query<HoldRow>(
      `SELECT ${HOLD} FROM holds WHERE status = 'open' AND expires_at <= $1 ORDER BY expires_at, id LIMIT $2`,
      [now, limit],
    );
    return rows;
  },

  async insertWithdrawal(
    db: Sql,
    w: {
      id: string;
      walletId: string;
      currency: string;
      amountMinor: bigint;
      bankAccount: string;
      expiresAt: Date;
      /** The instant whose UTC day the outflow usage was recorded on: a failure gives it back there. */
      createdAt: Date;
    },
  ): Promise<WithdrawalRow> {
    const { rows } = await db.query<WithdrawalRow>(
      `INSERT INTO withdrawals (id, wallet_id, currency, amount_minor, bank_account, expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${WITHDRAWAL}`,
      [w.id, w.walletId, w.currency, w.amountMinor.toString(), w.bankAccount, w.expiresAt, w.createdAt],
    );
    return rows[0]!;
  },

  async withdrawal(db: Sql, id: string, lock = false): Promise<WithdrawalRow | null> {
    const { rows } = await db.query<WithdrawalRow>(
      `SELECT ${WITHDRAWAL} FROM withdrawals WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  },

  async resolveWithdrawal(
    db: Sql,
    id: string,
    status: 'completed' | 'failed',
    bankReference: string | null,
    failureReason: string | null,
  ): Promise<WithdrawalRow> {
    const { rows } = await db.query<WithdrawalRow>(
      `UPDATE withdrawals SET status = $2, bank_reference = $3, failure_reason = $4, updated_at = now()
       WHERE id = $1 RETURNING ${WITHDRAWAL}`,
      [id, status, bankReference, failureReason],
    );
    return rows[0]!;
  },

  async dueWithdrawals(db: Sql, now: Date, limit: number): Promise<WithdrawalRow[]> {
    const { rows } = await db.query<WithdrawalRow>(
      `SELECT ${WITHDRAWAL} FROM withdrawals WHERE status = 'pending' AND expires_at <= $1 ORDER BY expires_at, id LIMIT $2`,
      [now, limit],
    );
    return rows;
  },

  async audit(
    db: Sql,
    a: {
      actorId: string;
      actorRoles: string[];
      actorIp: string | null;
      action: string;
      walletId: string | null;
      reason: string | null;
      result: string;
      details?: unknown;
    },
  ): Promise<void> {
    await db.query(
      `INSERT INTO audit_log (actor_id, actor_roles, actor_ip, action, wallet_id, reason, result, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        a.actorId,
        a.actorRoles,
        a.actorIp,
        a.action,
        a.walletId,
        a.reason,
        a.result,
        a.details === undefined ? null : JSON.stringify(a.details),
      ],
    );
  },

  async auditLog(db: Sql, walletId: string | null, limit: number): Promise<AuditRow[]> {
    const { rows } = await db.query<AuditRow>(
      `SELECT id::text AS id, actor_id, actor_ip, action, wallet_id, reason, result, at FROM audit_log
       WHERE ($1::text IS NULL OR wallet_id = $1) ORDER BY id DESC LIMIT $2`,
      [walletId, limit],
    );
    return rows;
  },
};

/**
 * Reads of the ledger's tables on the caller's transaction. The ledger's `balances`/`getTransfer` read
 * through its own pool, so they cannot see what this transaction (or an earlier command batched into it)
 * already posted; these two queries can. (Missing in @paylend/ledger: in-transaction read variants.)
 */
export const ledgerReads = {
  /** Net posted balance of a credit-normal account in minor units (0 when absent). */
  async postedMinor(db: Sql, accountId: string): Promise<bigint> {
    const { rows } = await db.query<{ posted: string }>(
      'SELECT (credits_posted - debits_posted)::text AS posted FROM ledger.accounts WHERE id = $1',
      [accountId],
    );
    return rows[0] ? BigInt(rows[0].posted) : 0n;
  },

  async transferExists(db: Sql, transferId: string): Promise<boolean> {
    const { rows } = await db.query('SELECT 1 FROM ledger.transfers WHERE id = $1', [transferId]);
    return rows.length > 0;
  },
};

/** Set-based forms for the batched P2P path: one statement for a whole chunk of commands. */
export const walletBatchRepository = {
  async byIds(db: Sql, ids: string[]): Promise<Map<string, WalletRow>> {
    const { rows } = await db.query<WalletRow>(
      `SELECT id, user_id, currency, status, tier, ledger_account_id, created_at FROM wallets WHERE id = ANY($1::text[])`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.id, r]));
  },

  /** Wallets by "userId|currency". */
  async byUsersAndCurrencies(db: Sql, pairs: Array<[string, string]>): Promise<Map<string, WalletRow>> {
    const { rows } = await db.query<WalletRow>(
      `SELECT w.id, w.user_id, w.currency, w.status, w.tier, w.ledger_account_id, w.created_at
       FROM wallets w JOIN unnest($1::text[], $2::text[]) AS p(user_id, currency) ON w.user_id = p.user_id AND w.currency = p.currency`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
    return new Map(rows.map((r) => [`${r.user_id}|${r.currency}`, r]));
  },

  async outflowUsage(
    db: Sql,
    walletIds: string[],
    day: string,
  ): Promise<Map<string, { dailyMinor: bigint; monthlyMinor: bigint }>> {
    const { rows } = await db.query<{ wallet_id: string; daily: string; monthly: string }>(
      `SELECT wallet_id, COALESCE(SUM(amount_minor) FILTER (WHERE day = $2::date), 0)::text AS daily, COALESCE(SUM(amount_minor), 0)::text AS monthly
       FROM wallet_outflows WHERE wallet_id = ANY($1::text[]) AND day >= date_trunc('month', $2::date)::date AND day <= $2::date
       GROUP BY wallet_id`,
      [walletIds, day],
    );
    return new Map(
      rows.map((r) => [r.wallet_id, { dailyMinor: BigInt(r.daily), monthlyMinor: BigInt(r.monthly) }]),
    );
  },

  async addOutflows(db: Sql, day: string, amounts: Map<string, bigint>): Promise<void> {
    if (amounts.size === 0) return;
    await db.query(
      `INSERT INTO wallet_outflows (wallet_id, day, amount_minor) SELECT id, $1::date, amount FROM unnest($2::text[], $3::bigint[]) AS u(id, amount)
       ON CONFLICT (wallet_id, day) DO UPDATE SET amount_minor = wallet_outflows.amount_minor + EXCLUDED.amount_minor`,
      [day, [...amounts.keys()], [...amounts.values()].map(String)],
    );
  },

  /** Posted balance and held outflow of credit-normal ledger accounts, in minor units. */
  async ledgerBalances(
    db: Sql,
    accountIds: string[],
  ): Promise<Map<string, { posted: bigint; held: bigint }>> {
    const { rows } = await db.query<{ id: string; posted: string; held: string }>(
      `SELECT id, (credits_posted - debits_posted)::text AS posted, debits_pending::text AS held FROM ledger.accounts WHERE id = ANY($1::text[])`,
      [accountIds],
    );
    return new Map(rows.map((r) => [r.id, { posted: BigInt(r.posted), held: BigInt(r.held) }]));
  },

  /** Holds by id; with `lock`, locked FOR UPDATE in id order (after their wallets, as `hold(id, true)` is). */
  async holds(db: Sql, ids: string[], lock = false): Promise<Map<string, HoldRow>> {
    const { rows } = await db.query<HoldRow>(
      `SELECT ${HOLD} FROM holds WHERE id = ANY($1::text[])${lock ? ' ORDER BY id FOR UPDATE' : ''}`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.id, r]));
  },

  /** `insertHold` for many holds in one statement; the rows by id. */
  async insertHolds(db: Sql, holds: NewHoldRow[]): Promise<Map<string, HoldRow>> {
    if (holds.length === 0) return new Map();
    const { rows } = await db.query<HoldRow>(
      `INSERT INTO holds (id, wallet_id, to_wallet_id, credit_account, currency, amount_minor, reference, expires_at,
         created_at, placed_by, status, captured_minor)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[],
         $8::timestamptz[], $9::timestamptz[], $10::text[], $11::text[], $12::bigint[])
       RETURNING ${HOLD}`,
      [
        holds.map((h) => h.id),
        holds.map((h) => h.walletId),
        holds.map((h) => h.toWalletId),
        holds.map((h) => h.creditAccount),
        holds.map((h) => h.currency),
        holds.map((h) => h.amountMinor.toString()),
        holds.map((h) => h.reference),
        holds.map((h) => h.expiresAt),
        holds.map((h) => h.createdAt),
        holds.map((h) => h.placedBy),
        holds.map((h) => h.captured?.status ?? 'open'),
        holds.map((h) => (h.captured?.capturedMinor ?? 0n).toString()),
      ],
    );
    return new Map(rows.map((r) => [r.id, r]));
  },

  /** `resolveHold` for many holds at once: each gets `status` and its own captured amount. */
  async resolveHolds(
    db: Sql,
    status: HoldRow['status'],
    captured: Array<{ id: string; capturedMinor: bigint }>,
  ): Promise<Map<string, HoldRow>> {
    if (captured.length === 0) return new Map();
    const { rows } = await db.query<HoldRow>(
      `UPDATE holds SET status = $1, captured_minor = u.captured, updated_at = now()
       FROM unnest($2::text[], $3::bigint[]) AS u(id, captured) WHERE holds.id = u.id
       RETURNING ${HOLD.replace(/(^|, )/g, '$1holds.')}`,
      [status, captured.map((c) => c.id), captured.map((c) => c.capturedMinor.toString())],
    );
    return new Map(rows.map((r) => [r.id, r]));
  },

  /**
   * Gives back outflow (`minor` > 0 each, one entry per wallet and day) with `addOutflow`'s floor at zero:
   * a missing day gets a row of zero, an existing one loses at most what it has.
   */
  async giveBackOutflows(
    db: Sql,
    back: Array<{ walletId: string; day: string; minor: bigint }>,
  ): Promise<void> {
    if (back.length === 0) return;
    await db.query(
      `WITH u AS (SELECT * FROM unnest($1::text[], $2::date[], $3::bigint[]) AS u(wallet_id, day, minor))
       INSERT INTO wallet_outflows (wallet_id, day, amount_minor) SELECT wallet_id, day, 0 FROM u
       ON CONFLICT (wallet_id, day) DO UPDATE SET amount_minor = GREATEST(wallet_outflows.amount_minor -
         (SELECT u.minor FROM u WHERE u.wallet_id = EXCLUDED.wallet_id AND u.day = EXCLUDED.day), 0)`,
      [back.map((b) => b.walletId), back.map((b) => b.day), back.map((b) => b.minor.toString())],
    );
  },

  /** Amounts of the ledger transfers that exist among `ids`, in minor units. */
  async transferAmounts(db: Sql, ids: string[]): Promise<Map<string, bigint>> {
    if (ids.length === 0) return new Map();
    const { rows } = await db.query<{ id: string; amount: string }>(
      'SELECT id, amount::text AS amount FROM ledger.transfers WHERE id = ANY($1::text[])',
      [ids],
    );
    return new Map(rows.map((r) => [r.id, BigInt(r.amount)]));
  },

  async existingTransfers(db: Sql, ids: string[]): Promise<Set<string>> {
    const { rows } = await db.query<{ id: string }>(
      'SELECT id FROM ledger.transfers WHERE id = ANY($1::text[])',
      [ids],
    );
    return new Set(rows.map((r) => r.id));
  },
};
