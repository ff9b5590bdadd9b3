import type { Pool, PoolClient, QueryResult } from 'pg';
import type { Producer } from 'kafkajs';
import type { LogSink } from '../kafka/kafka-client';

export interface OutboxRelayOptions {
  pool: Pool;
  producer: Producer;
  /** Rows published per transaction. */
  batchSize?: number;
  /** Poll interval when no notification arrives (a notification can be missed during a reconnect). */
  pollIntervalMs?: number;
  /**
   * After a batch smaller than `batchSize`, how long the relay lets rows gather before it reads again
   * (default 10 ms). Under load every commit notifies, and without a pause the relay would spend a
   * transaction and a produce request on each commit's few rows; events are never on a request's reply path.
   */
  lingerMs?: number;
  log?: LogSink;
  /**
   * Published rows older than `keepMs` (default 7 days, Kafka's retention here) are deleted every `everyMs`
   * (default 10 minutes), `batch` rows per transaction: the outbox would otherwise grow with every message
   * ever sent. Unpublished rows are never deleted.
   */
  retention?: { keepMs?: number; everyMs?: number; batch?: number };
  /** Test seam: runs after the batch is published and before it is marked, to simulate a crash there. */
  afterPublish?: (messageIds: string[]) => Promise<void>;
}

/** `value` is the stored JSON as text: the relay forwards it as it is, never parsing and re-serialising it. */
interface OutboxRow {
  seq: string;
  message_id: string;
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

// One relay per database publishes at a time, so messages leave in commit (seq) order and per-key order
// holds; other instances wait on this session lock and take over if the holder dies.
const RELAY_LOCK_KEY = 0x72656c79; // "rely"

/**
 * The relay reads with a plain index scan, never a bitmap scan. Every published row leaves a dead entry in
 * the unpublished index until vacuum; an index scan marks such entries dead once, so later reads skip them
 * (and a page split drops them), while a bitmap scan, the planner's usual pick here, re-reads every row
 * published since the last vacuum on each poll (1-2 ms a poll in the payments benchmark, growing with the
 * table).
 */
export const RELAY_READ_SETTINGS = 'SET LOCAL enable_bitmapscan = off';

/**
 * Unpublished rows in seq order. No row locks: the relay's session lock already keeps a second relay out,
 * and the one other reader (a stopping service's last drain) at worst publishes a row twice, in seq order,
 * which the consumers' inbox absorbs.
 */
export function relayReadSql(batchSize: number): string {
  return `SELECT seq, message_id, topic, key, value::text AS value, headers FROM messaging.outbox
    WHERE published_at IS NULL ORDER BY seq LIMIT ${Math.trunc(batchSize)}`;
}

/**
 * Publishes the outbox: read unpublished rows in seq order, send them, mark them, commit. A crash after
 * the send and before the commit sends the batch again on restart: delivery is at least once, and the
 * consumers' inbox makes the effect happen once.
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private listener: PoolClient | undefined;
  private published = 0;
  private pruneTimer: NodeJS.Timeout | undefined;
  private pruning: Promise<void> | undefined;

  constructor(private readonly opts: OutboxRelayOptions) {}

  private get batchSize(): number {
    return this.opts.batchSize ?? 500;
  }

  private get retention(): Required<NonNullable<OutboxRelayOptions['retention']>> {
    return {
      keepMs: this.opts.retention?.keepMs ?? 7 * 24 * 3600 * 1000,
      everyMs: this.opts.retention?.everyMs ?? 10 * 60 * 1000,
      batch: Math.trunc(this.opts.retention?.batch ?? 5000),
    };
  }

  get publishedCount(): number {
    return this.published;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run().catch((err) => {
      this.opts.log?.('error', 'outbox relay stopped', { err: (err as Error).message });
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Publishes everything unpublished now; returns how many rows it sent. Used by tests and by the loop. */
  async drainOnce(): Promise<number> {
    const client = await this.opts.pool.connect();
    try {
      // BEGIN and the read travel together, as do the mark and COMMIT: two round trips per batch, not four.
      const [, , read] = (await client.query(
        `BEGIN; ${RELAY_READ_SETTINGS}; ${relayReadSql(this.batchSize)}`,
      )) as unknown as [unknown, unknown, QueryResult<OutboxRow>];
      const rows = read.rows;
      if (rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      const byTopic = new Map<
        string,
        Array<{ key: string; value: string; headers: Record<string, string> }>
      >();
      for (const row of rows) {
        const list = byTopic.get(row.topic) ?? [];
        list.push({ key: row.key, value: row.value, headers: row.headers });
        byTopic.set(row.topic, list);
      }
      await this.opts.producer.sendBatch({
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
      await this.opts.afterPublish?.(rows.map((r) => r.message_id));
      // seq values are bigints read from the database, safe to inline. The mark commits without waiting for
      // its WAL flush: if a crash loses it, the rows are only sent again, which delivery already allows, and
      // the relay stops queueing an fsync beside the commits that requests wait on.
      await client.query(
        `SET LOCAL synchronous_commit = off; UPDATE messaging.outbox SET published_at = now()
          WHERE seq = ANY('{${rows.map((r) => BigInt(r.seq).toString()).join(',')}}'::bigint[]); COMMIT`,
      );
      this.published += rows.length;
      return rows.length;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * Deletes published rows created more than the retention ago; returns how many. The boundary is found by
   * bisecting seq (created_at grows with seq, up to transactions that overlap), so every query is a
   * primary-key probe or range and the pass costs what it deletes, not the table's size.
   */
  async pruneOnce(now: Date = new Date()): Promise<number> {
    const { keepMs, batch } = this.retention;
    const boundary = await lastSeqCreatedBefore(this.opts.pool, new Date(now.getTime() - keepMs));
    if (boundary === undefined) return 0;
    let deleted = 0;
    for (;;) {
      const { rowCount } = await this.opts.pool.query(
        `DELETE FROM messaging.outbox WHERE seq IN (
           SELECT seq FROM messaging.outbox WHERE seq <= $1 AND published_at IS NOT NULL ORDER BY seq LIMIT $2)`,
        [boundary.toString(), batch],
      );
      deleted += rowCount ?? 0;
      if ((rowCount ?? 0) < batch) return deleted;
    }
  }

  /** Retention runs beside publishing (its own connections), only while this relay holds the relay lock. */
  private schedulePrune(delayMs: number): void {
    this.pruneTimer = setTimeout(() => {
      this.pruning = this.pruneOnce()
        .then((deleted) => {
          if (deleted > 0)
            this.opts.log?.('info', 'outbox: deleted published messages past retention', { deleted });
        })
        .catch((err: Error) =>
          this.opts.log?.('warn', 'outbox retention pass failed; will retry', { err: err.message }),
        )
        .finally(() => {
          this.pruning = undefined;
          if (this.running) this.schedulePrune(this.retention.everyMs);
        });
    }, delayMs);
    this.pruneTimer.unref();
  }

  private async run(): Promise<void> {
    const poll = this.opts.pollIntervalMs ?? 1000;
    this.listener = await this.opts.pool.connect();
    try {
      while (this.running) {
        const { rows } = await this.listener.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
          RELAY_LOCK_KEY,
        ]);
        if (rows[0]?.ok) break;
        await this.sleep(poll);
      }
      if (!this.running) return;
      this.listener.on('notification', () => this.wake?.());
      await this.listener.query('LISTEN paylend_outbox');
      this.schedulePrune(10_000);
      while (this.running) {
        let sent = 0;
        try {
          sent = await this.drainOnce();
        } catch (err) {
          this.opts.log?.('warn', 'outbox publish failed; will retry', { err: (err as Error).message });
          await this.sleep(poll);
          continue;
        }
        if (sent === 0) await this.sleep(poll);
        else if (sent < this.batchSize) await delay(this.opts.lingerMs ?? 10);
      }
    } finally {
      clearTimeout(this.pruneTimer);
      await this.pruning;
      await this.listener.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
      this.listener.release();
      this.listener = undefined;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The highest seq whose row was created before `cutoff`, or undefined when none was. Bisects on seq with
 * primary-key probes (about 2 log2(rows) of them), taking created_at as growing with seq: a row written by
 * a transaction that overlapped its neighbours may sit a little on the wrong side, which only moves the
 * boundary by those rows.
 */
async function lastSeqCreatedBefore(pool: Pool, cutoff: Date): Promise<bigint | undefined> {
  const firstAtOrAfter = async (seq: bigint) => {
    const { rows } = await pool.query<{ seq: string; old: boolean }>(
      'SELECT seq, created_at < $2 AS old FROM messaging.outbox WHERE seq >= $1 ORDER BY seq LIMIT 1',
      [seq.toString(), cutoff],
    );
    return rows[0] ? { seq: BigInt(rows[0].seq), old: rows[0].old } : undefined;
  };
  const { rows } = await pool.query<{ hi: string | null }>('SELECT max(seq) AS hi FROM messaging.outbox');
  if (rows[0]?.hi == null) return undefined;
  const first = await firstAtOrAfter(0n);
  if (!first?.old) return undefined;
  // lo: a row created before the cutoff; every row at or after hi was created after it.
  let lo = first.seq;
  let hi = BigInt(rows[0].hi) + 1n;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    const row = await firstAtOrAfter(mid);
    if (row && row.seq < hi && row.old) lo = row.seq;
    else hi = mid;
  }
  return lo;
}
