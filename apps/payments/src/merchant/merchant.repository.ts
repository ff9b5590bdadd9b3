import type { MerchantStatus, MerchantView } from '@paylend/contracts';
import type { Sql } from '../common/sql';

export interface MerchantRow {
  id: string;
  ownerUserId: string;
  name: string;
  city: string;
  country: string;
  mcc: string;
  currency: string;
  settlementAccount: string;
  feeRate: string;
  walletId: string;
  status: MerchantStatus;
  createdAt: Date;
}

const COLUMNS = `id, owner_user_id AS "ownerUserId", name, city, country, mcc, currency,
  settlement_account AS "settlementAccount", fee_rate::text AS "feeRate", wallet_id AS "walletId", status,
  created_at AS "createdAt"`;

/** Fee rates are stored as NUMERIC(7,6); the wire form drops trailing zeros ("0.006000" -> "0.006"). */
function normaliseRate(rate: string): string {
  return rate.includes('.') ? rate.replace(/0+$/, '').replace(/\.$/, '') || '0' : rate;
}

function fromDb(r: MerchantRow): MerchantRow {
  return { ...r, feeRate: normaliseRate(r.feeRate) };
}

export const merchantRepository = {
  async get(sql: Sql, id: string, lock = false): Promise<MerchantRow | null> {
    const { rows } = await sql.query<MerchantRow>(
      `SELECT ${COLUMNS} FROM merchants WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? fromDb(rows[0]) : null;
  },

  async getMany(sql: Sql, ids: readonly string[]): Promise<Map<string, MerchantRow>> {
    const { rows } = await sql.query<MerchantRow>(
      `SELECT ${COLUMNS} FROM merchants WHERE id = ANY($1::text[])`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [r.id, fromDb(r)]));
  },

  async insert(sql: Sql, m: Omit<MerchantRow, 'status'>): Promise<MerchantRow> {
    const { rows } = await sql.query<MerchantRow>(
      `INSERT INTO merchants (id, owner_user_id, name, city, country, mcc, currency, settlement_account, fee_rate,
         wallet_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::numeric, $10, $11) RETURNING ${COLUMNS}`,
      [
        m.id,
        m.ownerUserId,
        m.name,
        m.city,
        m.country,
        m.mcc,
        m.currency,
        m.settlementAccount,
        m.feeRate,
        m.walletId,
        m.createdAt,
      ],
    );
    return fromDb(rows[0]!);
  },

  async setStatus(sql: Sql, id: string, status: MerchantStatus): Promise<MerchantRow> {
    const { rows } = await sql.query<MerchantRow>(
      `UPDATE merchants SET status = $2 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, status],
    );
    return fromDb(rows[0]!);
  },
};

export function merchantView(m: MerchantRow): MerchantView {
  return {
    merchantId: m.id,
    ownerUserId: m.ownerUserId,
    name: m.name,
    city: m.city,
    country: m.country,
    mcc: m.mcc,
    currency: m.currency,
    settlementAccount: m.settlementAccount,
    feeRate: m.feeRate,
    walletId: m.walletId,
    status: m.status,
    createdAt: m.createdAt.toISOString(),
  };
}
