import type { Sql } from '../common/sql';

export const paymentCodeRepository = {
  async byToken(sql: Sql, token: string): Promise<{ walletId: string; userId: string } | null> {
    const { rows } = await sql.query<{ walletId: string; userId: string }>(
      `SELECT wallet_id AS "walletId", user_id AS "userId" FROM payment_code_wallets WHERE token = $1`,
      [token],
    );
    return rows[0] ?? null;
  },

  async byWallet(sql: Sql, walletId: string): Promise<{ token: string; userId: string } | null> {
    const { rows } = await sql.query<{ token: string; userId: string }>(
      `SELECT token, user_id AS "userId" FROM payment_code_wallets WHERE wallet_id = $1`,
      [walletId],
    );
    return rows[0] ?? null;
  },

  /** Registers a wallet's token; false when the token is taken (the caller draws another). */
  async register(sql: Sql, token: string, walletId: string, userId: string): Promise<boolean> {
    const { rowCount } = await sql.query(
      `INSERT INTO payment_code_wallets (token, wallet_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [token, walletId, userId],
    );
    return rowCount === 1;
  },

  /** Single use: true for the first charge of a code, false for every later one. */
  async markUsed(sql: Sql, code: string, walletId: string, orderId: string, at: Date): Promise<boolean> {
    const { rowCount } = await sql.query(
      `INSERT INTO used_payment_codes (code, wallet_id, order_id, used_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [code, walletId, orderId, at],
    );
    return rowCount === 1;
  },
};
