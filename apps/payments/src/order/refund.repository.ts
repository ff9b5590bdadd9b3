import type { Sql } from '../common/sql';

/** `pending`: the wallet has not confirmed the refund's transfer yet, and its amount stays reserved. */
export type RefundStatus = 'pending' | 'succeeded';

export interface RefundRow {
  id: string;
  orderId: string;
  amountMinor: bigint;
  currency: string;
  reason: string | null;
  requestHash: string;
  createdAt: Date;
  status: RefundStatus;
}

const COLUMNS = `id, order_id AS "orderId", amount_minor AS "amountMinor", currency, reason,
  request_hash AS "requestHash", created_at AS "createdAt", status`;

type Raw = Omit<RefundRow, 'amountMinor'> & { amountMinor: string };
const fromDb = (r: Raw): RefundRow => ({ ...r, amountMinor: BigInt(r.amountMinor) });

export const refundRepository = {
  async get(sql: Sql, id: string): Promise<RefundRow | null> {
    const { rows } = await sql.query<Raw>(`SELECT ${COLUMNS} FROM refunds WHERE id = $1`, [id]);
    return rows[0] ? fromDb(rows[0]) : null;
  },

  async insert(sql: Sql, r: RefundRow): Promise<RefundRow> {
    const { rows } = await sql.query<Raw>(
      `INSERT INTO refunds (id, order_id, amount_minor, currency, reason, request_hash, created_at, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [r.id, r.orderId, r.amountMinor.toString(), r.currency, r.reason, r.requestHash, r.createdAt, r.status],
    );
    return fromDb(rows[0]!);
  },

  async markSucceeded(sql: Sql, id: string): Promise<void> {
    await sql.query(`UPDATE refunds SET status = 'succeeded' WHERE id = $1 AND status = 'pending'`, [id]);
  },

  /** A pending refund the wallet refused: no transfer was made, so the reservation goes. */
  async deletePending(sql: Sql, id: string): Promise<void> {
    await sql.query(`DELETE FROM refunds WHERE id = $1 AND status = 'pending'`, [id]);
  },

  /** Minor units the order's pending refunds hold back. */
  async reservedFor(sql: Sql, orderId: string): Promise<bigint> {
    const { rows } = await sql.query<{ reserved: string }>(
      `SELECT COALESCE(SUM(amount_minor), 0)::text AS reserved FROM refunds
        WHERE order_id = $1 AND status = 'pending'`,
      [orderId],
    );
    return BigInt(rows[0]!.reserved);
  },

  /** Pending refunds written before `before`, oldest first: the ones whose first wallet answer never came. */
  async pendingSince(sql: Sql, before: Date, limit: number): Promise<RefundRow[]> {
    const { rows } = await sql.query<Raw>(
      `SELECT ${COLUMNS} FROM refunds WHERE status = 'pending' AND created_at <= $1
        ORDER BY created_at LIMIT $2`,
      [before, limit],
    );
    return rows.map(fromDb);
  },
};
