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
  /** Test seam: runs after the batch is published and before it is marked, to simulate a crash there. */
  afterPublish?: (messageIds: string[]) => Promise<void>;
}

interface OutboxRow {
  seq: string;
  message_id: string;
  topic: string;
  key: string;
  value: unknown;
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
  return `SELECT seq, message_id, topic, key, value, headers FROM messaging.outbox
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

  constructor(private readonly opts: OutboxRelayOptions) {}

  private get batchSize(): number {
    return this.opts.batchSize ?? 500;
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
        list.push({ key: row.key, value: JSON.stringify(row.value), headers: row.headers });
        byTopic.set(row.topic, list);
      }
      await this.opts.producer.sendBatch({
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
      await this.opts.afterPublish?.(rows.map((r) => r.message_id));
      // seq values are bigints read from the database, safe to inline.
      await client.query(
        `UPDATE messaging.outbox SET published_at = now()
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
