import type { Pool } from 'pg';

export interface IdempotencyRow {
  state: 'in_flight' | 'done';
  request_hash: string;
  locked_until: Date;
  response_status: number | null;
  response_body: unknown;
}

/** The gateway's Idempotency-Key store, scoped per user. Every transition is one conditional statement. */
export class IdempotencyRepository {
  constructor(private readonly pool: Pool) {}

  /** Claims a fresh key; false when the user already used it. */
  async claim(userId: string, key: string, requestHash: string, lockMs: number): Promise<boolean> {
    const r = await this.pool.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, state, locked_until)
       VALUES ($1, $2, $3, 'in_flight', now() + make_interval(secs => $4::double precision / 1000))
       ON CONFLICT (user_id, key) DO NOTHING`,
      [userId, key, requestHash, lockMs],
    );
    return r.rowCount === 1;
  }

  async find(userId: string, key: string): Promise<IdempotencyRow | null> {
    const { rows } = await this.pool.query<IdempotencyRow>(
      `SELECT state, request_hash, locked_until, response_status, response_body FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
      [userId, key],
    );
    return rows[0] ?? null;
  }

  /** Takes over an in-flight key whose lock lapsed; false if someone else did first or it finished. */
  async takeOver(userId: string, key: string, requestHash: string, lockMs: number): Promise<boolean> {
    const r = await this.pool.query(
      `UPDATE idempotency_keys SET locked_until = now() + make_interval(secs => $4::double precision / 1000), updated_at = now()
       WHERE user_id = $1 AND key = $2 AND request_hash = $3 AND state = 'in_flight' AND locked_until <= now()`,
      [userId, key, requestHash, lockMs],
    );
    return r.rowCount === 1;
  }

  async complete(userId: string, key: string, status: number, body: unknown): Promise<void> {
    await this.pool.query(
      `UPDATE idempotency_keys SET state = 'done', response_status = $3, response_body = $4, updated_at = now()
       WHERE user_id = $1 AND key = $2 AND state = 'in_flight'`,
      [userId, key, status, JSON.stringify(body)],
    );
  }

  /** Frees a key whose request ended without a final answer, so the client may retry it. */
  async release(userId: string, key: string): Promise<void> {
    await this.pool.query(`DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND state = 'in_flight'`, [userId, key]);
  }
}
