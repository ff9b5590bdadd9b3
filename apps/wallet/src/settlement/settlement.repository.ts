import {
  formatMinorUnits,
  isoExponent,
  requireExponent,
  type SettlementInstruction,
  type SettlementWindow,
  type WindowStatus,
} from '@paylend/settlement';
import type { Sql } from '@paylend/wallet-data-access';

/** A window row: the engine's window plus when the clock closes it and who closed / settled it. */
export interface WindowRow extends SettlementWindow {
  closesAt: string;
  closedBy: string | null;
  settledBy: string | null;
}

export interface ClearedRow {
  transferId: string;
  windowId: string;
  kind: 'payment' | 'refund';
  payer: string;
  payee: string;
  amountMinor: bigint;
  feeMinor: bigint;
  currency: string;
  orderId: string;
  merchantId: string;
  merchantWalletId: string;
  feeTransferId: string | null;
  clearedAt: Date;
}

interface RawWindow {
  id: string;
  scheme: string;
  sequence: number;
  status: WindowStatus;
  opened_at: Date;
  closes_at: Date;
  closed_at: Date | null;
  closed_by: string | null;
  pending_at: Date | null;
  settled_at: Date | null;
  settled_by: string | null;
  aborted_at: Date | null;
  abort_reason: string | null;
  carried_to: string | null;
}

const WINDOW_COLUMNS =
  'id, scheme, sequence, status, opened_at, closes_at, closed_at, closed_by, pending_at, settled_at, settled_by, aborted_at, abort_reason, carried_to';

function toWindow(r: RawWindow): WindowRow {
  const w: WindowRow = {
    id: r.id,
    scheme: r.scheme,
    sequence: r.sequence,
    status: r.status,
    openedAt: r.opened_at.toISOString(),
    closesAt: r.closes_at.toISOString(),
    closedBy: r.closed_by,
    settledBy: r.settled_by,
  };
  if (r.closed_at) w.closedAt = r.closed_at.toISOString();
  if (r.pending_at) w.pendingAt = r.pending_at.toISOString();
  if (r.settled_at) w.settledAt = r.settled_at.toISOString();
  if (r.aborted_at) w.abortedAt = r.aborted_at.toISOString();
  if (r.abort_reason) w.abortReason = r.abort_reason;
  if (r.carried_to) w.carriedTo = r.carried_to;
  return w;
}

/** Settlement tables (schema "settlement"), always on the caller's transaction. */
export const settlementRepository = {
  async window(db: Sql, id: string, lock = false): Promise<WindowRow | null> {
    const { rows } = await db.query<RawWindow>(
      `SELECT ${WINDOW_COLUMNS} FROM settlement.windows WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? toWindow(rows[0]) : null;
  },

  /** 'share' for clearing (many at once), 'update' to close: a close waits for clearings in flight. */
  async openWindow(
    db: Sql,
    scheme: string,
    lock: 'none' | 'share' | 'update' = 'none',
  ): Promise<WindowRow | null> {
    const suffix = lock === 'share' ? ' FOR SHARE' : lock === 'update' ? ' FOR UPDATE' : '';
    const { rows } = await db.query<RawWindow>(
      `SELECT ${WINDOW_COLUMNS} FROM settlement.windows WHERE scheme = $1 AND status = 'OPEN'${suffix}`,
      [scheme],
    );
    return rows[0] ? toWindow(rows[0]) : null;
  },

  /** The window an operator request closed, and the one opened after it. */
  async closedByRequest(
    db: Sql,
    scheme: string,
    requestId: string,
  ): Promise<{ closed: WindowRow; next: WindowRow | null } | null> {
    const { rows } = await db.query<RawWindow>(
      `SELECT ${WINDOW_COLUMNS} FROM settlement.windows WHERE scheme = $1 AND close_request_id = $2`,
      [scheme, requestId],
    );
    if (!rows[0]) return null;
    const closed = toWindow(rows[0]);
    const after = await db.query<RawWindow>(
      `SELECT ${WINDOW_COLUMNS} FROM settlement.windows WHERE scheme = $1 AND sequence = $2`,
      [scheme, closed.sequence + 1],
    );
    return { closed, next: after.rows[0] ? toWindow(after.rows[0]) : null };
  },

  async recordCloseRequest(db: Sql, windowId: string, requestId: string): Promise<void> {
    await db.query('UPDATE settlement.windows SET close_request_id = $2 WHERE id = $1', [
      windowId,
      requestId,
    ]);
  },

  /** Open windows whose close time has passed: the clock closes them. */
  async dueWindows(db: Sql, now: Date): Promise<WindowRow[]> {
    const { rows } = await db.query<RawWindow>(
      `SELECT ${WINDOW_COLUMNS} FROM settlement.windows WHERE status = 'OPEN' AND closes_at <= $1 ORDER BY scheme`,
      [now],
    );
    return rows.map(toWindow);
  },

  async lastSequence(db: Sql, scheme: string): Promise<number> {
    const { rows } = await db.query<{ s: number | null }>(
      'SELECT max(sequence) AS s FROM settlement.windows WHERE scheme = $1',
      [scheme],
    );
    return rows[0]?.s ?? 0;
  },

  /** Inserts an OPEN window unless the scheme already has one (the partial unique index decides). */
  async insertOpen(db: Sql, w: WindowRow): Promise<boolean> {
    const r = await db.query(
      `INSERT INTO settlement.windows (id, scheme, sequence, status, opened_at, closes_at)
       VALUES ($1, $2, $3, 'OPEN', $4, $5)
       ON CONFLICT (scheme) WHERE status = 'OPEN' DO NOTHING`,
      [w.id, w.scheme, w.sequence, w.openedAt, w.closesAt],
    );
    return (r.rowCount ?? 0) === 1;
  },

  async saveWindow(db: Sql, w: WindowRow): Promise<void> {
    await db.query(
      `UPDATE settlement.windows SET status = $2, closed_at = $3, closed_by = $4, pending_at = $5, settled_at = $6,
         settled_by = $7, aborted_at = $8, abort_reason = $9, carried_to = $10 WHERE id = $1`,
      [
        w.id,
        w.status,
        w.closedAt ?? null,
        w.closedBy,
        w.pendingAt ?? null,
        w.settledAt ?? null,
        w.settledBy,
        w.abortedAt ?? null,
        w.abortReason ?? null,
        w.carriedTo ?? null,
      ],
    );
  },

  async listWindows(
    db: Sql,
    ids: readonly string[] | null,
    status: WindowStatus | null,
    scheme: string | null = null,
  ): Promise<WindowRow[]> {
    const { rows } = await db.query<RawWindow>(
      `SELECT ${WINDOW_COLUMNS} FROM settlement.windows
       WHERE ($1::text[] IS NULL OR id = ANY($1::text[])) AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR scheme = $3)
       ORDER BY scheme, sequence`,
      [ids, status, scheme],
    );
    return rows.map(toWindow);
  },

  async transferCount(db: Sql, windowId: string): Promise<number> {
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM settlement.window_transfers WHERE window_id = $1',
      [windowId],
    );
    return rows[0]?.n ?? 0;
  },

  /** Records a cleared transfer in a window; false when the transfer is already in one. */
  async insertCleared(db: Sql, t: ClearedRow): Promise<boolean> {
    return (await settlementRepository.insertClearedMany(db, [t])).size === 1;
  },

  /** Clears transfers in one statement; one already cleared is left as it is. Returns the ids inserted. */
  async insertClearedMany(db: Sql, rows: readonly ClearedRow[]): Promise<Set<string>> {
    const col = <T>(f: (t: ClearedRow) => T) => rows.map(f);
    const inserted = await db.query<{ transfer_id: string }>(
      `INSERT INTO settlement.window_transfers (transfer_id, window_id, kind, payer, payee, amount_minor, fee_minor, currency,
         order_id, merchant_id, merchant_wallet_id, fee_transfer_id, cleared_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[],
         $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[])
       ON CONFLICT (transfer_id) DO NOTHING RETURNING transfer_id`,
      [
        col((t) => t.transferId),
        col((t) => t.windowId),
        col((t) => t.kind),
        col((t) => t.payer),
        col((t) => t.payee),
        col((t) => t.amountMinor.toString()),
        col((t) => t.feeMinor.toString()),
        col((t) => t.currency),
        col((t) => t.orderId),
        col((t) => t.merchantId),
        col((t) => t.merchantWalletId),
        col((t) => t.feeTransferId),
        col((t) => t.clearedAt),
      ],
    );
    return new Set(inserted.rows.map((r) => r.transfer_id));
  },

  async cleared(db: Sql, windowId: string): Promise<ClearedRow[]> {
    const { rows } = await db.query<{
      transfer_id: string;
      window_id: string;
      kind: 'payment' | 'refund';
      payer: string;
      payee: string;
      amount_minor: string;
      fee_minor: string;
      currency: string;
      order_id: string;
      merchant_id: string;
      merchant_wallet_id: string;
      fee_transfer_id: string | null;
      cleared_at: Date;
    }>(
      `SELECT transfer_id, window_id, kind, payer, payee, amount_minor::text, fee_minor::text, currency, order_id, merchant_id,
         merchant_wallet_id, fee_transfer_id, cleared_at
       FROM settlement.window_transfers WHERE window_id = $1 ORDER BY transfer_id`,
      [windowId],
    );
    return rows.map((r) => ({
      transferId: r.transfer_id,
      windowId: r.window_id,
      kind: r.kind,
      payer: r.payer,
      payee: r.payee,
      amountMinor: BigInt(r.amount_minor),
      feeMinor: BigInt(r.fee_minor),
      currency: r.currency,
      orderId: r.order_id,
      merchantId: r.merchant_id,
      merchantWalletId: r.merchant_wallet_id,
      feeTransferId: r.fee_transfer_id,
      clearedAt: r.cleared_at,
    }));
  },

  async saveInstructions(db: Sql, instructions: readonly SettlementInstruction[]): Promise<void> {
    if (instructions.length === 0) return;
    await db.query(
      `INSERT INTO settlement.instructions (reference, window_id, participant, currency, direction, amount_minor, bank_account,
         account_name, ledger_account_id, execution_date)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[])
       ON CONFLICT (reference) DO NOTHING`,
      [
        instructions.map((i) => i.reference),
        instructions.map((i) => i.windowId),
        instructions.map((i) => i.participant),
        instructions.map((i) => i.currency),
        instructions.map((i) => i.direction),
        instructions.map((i) => i.amountMinor.toString()),
        instructions.map((i) => i.bankAccount),
        instructions.map((i) => i.accountName ?? null),
        instructions.map((i) => i.ledgerAccountId ?? null),
        instructions.map((i) => i.executionDate ?? null),
      ],
    );
  },

  async instructions(db: Sql, windowIds: readonly string[]): Promise<SettlementInstruction[]> {
    const { rows } = await db.query<{
      reference: string;
      window_id: string;
      participant: string;
      currency: string;
      direction: 'payout' | 'collection';
      amount_minor: string;
      bank_account: string;
      account_name: string | null;
      ledger_account_id: string | null;
      execution_date: string | null;
    }>(
      `SELECT reference, window_id, participant, currency, direction, amount_minor::text, bank_account, account_name,
         ledger_account_id, execution_date
       FROM settlement.instructions WHERE window_id = ANY($1::text[]) ORDER BY reference`,
      [windowIds],
    );
    return rows.map((r) => {
      const i: SettlementInstruction = {
        reference: r.reference,
        windowId: r.window_id,
        participant: r.participant,
        currency: r.currency,
        direction: r.direction,
        amountMinor: BigInt(r.amount_minor),
        amount: formatMinorUnits(BigInt(r.amount_minor), requireExponent(isoExponent, r.currency)),
        bankAccount: r.bank_account,
      };
      if (r.account_name) i.accountName = r.account_name;
      if (r.ledger_account_id) i.ledgerAccountId = r.ledger_account_id;
      if (r.execution_date) i.executionDate = r.execution_date;
      return i;
    });
  },

  async saveReport(db: Sql, windowId: string, json: string, csv: string, at: Date): Promise<void> {
    await db.query(
      `INSERT INTO settlement.reports (window_id, json, csv, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (window_id) DO NOTHING`,
      [windowId, json, csv, at],
    );
  },

  async report(db: Sql, windowId: string): Promise<{ json: string; csv: string } | null> {
    const { rows } = await db.query<{ json: string; csv: string }>(
      'SELECT json, csv FROM settlement.reports WHERE window_id = $1',
      [windowId],
    );
    return rows[0] ?? null;
  },
};
