import type { Sql } from '../common/sql';

export interface WebhookEndpointRow {
  merchantId: string;
  url: string;
  keyId: string;
  secret: string;
  createdAt: Date;
}

export interface DueDelivery {
  eventId: string;
  merchantId: string;
  body: string;
  attempts: number;
  url: string;
  keyId: string;
  secret: string;
}

export type WebhookEventType = 'order.succeeded' | 'order.failed' | 'order.expired' | 'order.refunded';

export const webhookRepository = {
  async endpoint(sql: Sql, merchantId: string): Promise<WebhookEndpointRow | null> {
    const { rows } = await sql.query<WebhookEndpointRow>(
      `SELECT merchant_id AS "merchantId", url, key_id AS "keyId", secret, created_at AS "createdAt"
       FROM webhook_endpoints WHERE merchant_id = $1`,
      [merchantId],
    );
    return rows[0] ?? null;
  },

  async upsertEndpoint(sql: Sql, e: WebhookEndpointRow): Promise<void> {
    await sql.query(
      `INSERT INTO webhook_endpoints (merchant_id, url, key_id, secret, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (merchant_id) DO UPDATE SET url = EXCLUDED.url, key_id = EXCLUDED.key_id, secret = EXCLUDED.secret,
         created_at = EXCLUDED.created_at`,
      [e.merchantId, e.url, e.keyId, e.secret, e.createdAt],
    );
  },

  /**
   * Queues notifications in the caller's transaction (so they exist if and only if the change did), for
   * merchants with an endpoint; the others query order status. Returns the event ids it queued.
   */
  async enqueueMany(
    sql: Sql,
    events: ReadonlyArray<{ eventId: string; merchantId: string; type: WebhookEventType; data: unknown }>,
    at: Date,
  ): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const { rows } = await sql.query<{ eventId: string }>(
      `WITH ins AS (
         INSERT INTO webhook_deliveries (event_id, merchant_id, event_type, body, next_attempt_at, created_at)
         SELECT u.event_id, u.merchant_id, u.event_type, u.body, now(), now()
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS u(event_id, merchant_id, event_type, body)
         JOIN webhook_endpoints e ON e.merchant_id = u.merchant_id
         RETURNING event_id
       ), wake AS (SELECT pg_notify('paylend_webhooks', '') FROM (SELECT 1 FROM ins LIMIT 1) one)
       SELECT event_id::text AS "eventId" FROM ins, (SELECT count(*) FROM wake) woke`,
      [
        events.map((e) => e.eventId),
        events.map((e) => e.merchantId),
        events.map((e) => e.type),
        events.map((e) =>
          JSON.stringify({ id: e.eventId, type: e.type, createdAt: at.toISOString(), data: e.data }),
        ),
      ],
    );
    return new Set(rows.map((r) => r.eventId));
  },

  /**
   * Claims due deliveries by pushing their next attempt out by a lease, so several instances never send the
   * same one at once and a crashed sender's claim lapses on its own.
   */
  async claimDue(sql: Sql, limit: number, leaseMs: number): Promise<DueDelivery[]> {
    const { rows } = await sql.query<DueDelivery>(
      `WITH due AS (
         SELECT event_id FROM webhook_deliveries
         WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
         ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
       )
       UPDATE webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
       FROM due, webhook_endpoints e
       WHERE d.event_id = due.event_id AND e.merchant_id = d.merchant_id
       RETURNING d.event_id AS "eventId", d.merchant_id AS "merchantId", d.body, d.attempts, e.url,
         e.key_id AS "keyId", e.secret`,
      [limit, leaseMs],
    );
    return rows;
  },

  async delivered(sql: Sql, eventId: string): Promise<void> {
    await sql.query(
      `UPDATE webhook_deliveries SET delivered_at = now(), attempts = attempts + 1, last_error = NULL WHERE event_id = $1`,
      [eventId],
    );
  },

  async failedAttempt(sql: Sql, eventId: string, error: string, retryInMs: number | null): Promise<void> {
    await sql.query(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = $2,
         next_attempt_at = CASE WHEN $3::bigint IS NULL THEN next_attempt_at
                                ELSE now() + make_interval(secs => $3::double precision / 1000) END,
         failed_at = CASE WHEN $3::bigint IS NULL THEN now() ELSE NULL END
       WHERE event_id = $1`,
      [eventId, error.slice(0, 500), retryInMs],
    );
  },
};
