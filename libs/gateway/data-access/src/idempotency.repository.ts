import type { Pool } from 'pg';

export interface IdempotencyRow {
  state: 'in_flight' | 'done';
  request_hash: string;
  locked_until: Date;
  response_status: number | null;
  response_body: unknown;
}

export interface KeyClaim {
  userId: string;
  key: string;
  requestHash: string;
  lockMs: number;
}

export interface KeyCompletion {
  userId: string;
  key: string;
  status: number;
  body: unknown;
}

/** The gateway's Idempotency-Key store, scoped per user. Every transition is one conditional statement. */
export class IdempotencyRepository {
  constructor(private readonly pool: Pool) {}

  /** Claims a fresh key; false when the user already used it. */
  async claim(userId: string, key: string, requestHash: string, lockMs: number): Promise<boolean> {
    const [claimed] = await this.claimMany([{ userId, key, requestHash, lockMs }]);
    return claimed!;
  }

  /**
   * Claims many keys in one statement; true for each claim that took a fresh key. Of two claims of the same
   * key in one call, only the first can win.
   */
  async claimMany(claims: KeyClaim[]): Promise<boolean[]> {
    return this.writeMany(claims, []);
  }

  /** Stores many final responses in one statement. */
  async completeMany(done: KeyCompletion[]): Promise<void> {
    await this.writeMany([], done);
  }

  /**
   * `claimMany` and `completeMany` in one statement (one commit): under load both kinds are always waiting,
   * and a commit costs the server more than the rows do. The two never touch the same key (a key is
   * completed only after its claim committed), so the two data-modifying parts cannot see each other.
   */
  async writeMany(claims: KeyClaim[], done: KeyCompletion[]): Promise<boolean[]> {
    const { rows } = await this.pool.query<{ user_id: string; key: string }>(
      `WITH claimed AS (
         INSERT INTO idempotency_keys (user_id, key, request_hash, state, locked_until)
         SELECT u, k, h, 'in_flight', now() + make_interval(secs => l::double precision / 1000)
         FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS x(u, k, h, l)
         ON CONFLICT (user_id, key) DO NOTHING RETURNING user_id, key
       ), completed AS (
         UPDATE idempotency_keys i SET state = 'done', response_status = u.s, response_body = u.b, updated_at = now()
         FROM unnest($5::text[], $6::text[], $7::int[], $8::jsonb[]) AS u(user_id, key, s, b)
         WHERE i.user_id = u.user_id AND i.key = u.key AND i.state = 'in_flight'
       )
       SELECT user_id, key FROM claimed`,
      [
        claims.map((c) => c.userId),
        claims.map((c) => c.key),
        claims.map((c) => c.requestHash),
        claims.map((c) => c.lockMs),
        done.map((d) => d.userId),
        done.map((d) => d.key),
        done.map((d) => d.status),
        done.map((d) => JSON.stringify(d.body)),
      ],
    );
    const won = new Set(rows.map((r) => `${r.user_id}\u0000${r.key}`));
    return claims.map((c) => won.delete(`${c.userId}\u0000${c.key}`));
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
    await this.completeMany([{ userId, key, status, body }]);
  }

  /**
   * Ends the lock of a key whose request got no final answer, so the client may retry it at once. The key
   * keeps its request's fingerprint: its operation id may still be applied (the command can still be in
   * Kafka), so only the same request may take the key over; another request under it stays a 422.
   */
  async release(userId: string, key: string): Promise<void> {
    await this.pool.query(
      `UPDATE idempotency_keys SET locked_until = now(), updated_at = now()
        WHERE user_id = $1 AND key = $2 AND state = 'in_flight'`,
      [userId, key],
    );
  }
}
