import type { Sql } from '../common/sql';

export interface RefundRow {
  id: string;
  orderId: string;
  amountMinor: bigint;
  currency: string;
  reason: string | null;
  requestHash: string;
  createdAt: Date;
}

const COLUMNS = `id, order_id AS "orderId", amount_minor AS "amountMinor", currency, reason,
  request_hash AS "requestHash", created_at AS "createdAt"`;

type Raw = Omit<RefundRow, 'amountMinor'> & { amountMinor: string };
const fromDb = (r: Raw): RefundRow => ({ ...r, amountMinor: BigInt(r.amountMinor) });

export const refundRepository = {
  async get(sql: Sql, id: string): Promise<RefundRow | null> {
    const { rows } = await sql.query<Raw>(`SELECT ${COLUMNS} FROM refunds WHERE id = $1`, [id]);
    return rows[0] ? fromDb(rows[0]) : null;
  },

  async insert(sql: Sql, r: RefundRow): Promise<RefundRow> {
    const { rows } = await sql.query<Raw>(
      `INSERT INTO refunds (id, order_id, amount_minor, currency, reason, request_hash, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [r.id, r.orderId, r.amountMinor.toString(), r.currency, r.reason, r.requestHash, r.createdAt],
    );
    return fromDb(rows[0]!);
  },
};
