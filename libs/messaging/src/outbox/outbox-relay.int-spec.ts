import fc from 'fast-check';
import { Pool } from 'pg';
import { freshDatabase, type TestDatabase } from '@paylend/testing';
import type { Producer } from 'kafkajs';
import { OutboxRelay, RELAY_READ_SETTINGS, relayReadSql } from './outbox-relay';

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await freshDatabase('outbox_relay', ['libs/messaging/migrations']);
  pool = new Pool({ connectionString: db.url, max: 2 });
});

afterAll(async () => {
  await pool.end();
  await db.drop();
});

interface PlanNode {
  'Node Type': string;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  'Actual Rows': number;
  Plans?: PlanNode[];
}

const nodeTypes = (n: PlanNode): string[] => [n['Node Type'], ...(n.Plans ?? []).flatMap(nodeTypes)];

/** The relay's read as the relay runs it, analysed: the plan and the pages it touched. */
async function explainRelayRead(): Promise<PlanNode> {
  const client = await pool.connect();
  try {
    await client.query(`BEGIN; ${RELAY_READ_SETTINGS}`);
    const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${relayReadSql(500)}`,
    );
    await client.query('COMMIT');
    return rows[0]!['QUERY PLAN'][0]!.Plan;
  } finally {
    client.release();
  }
}

describe('outbox relay read', () => {
  it('stays cheap behind many published rows that vacuum has not removed yet', async () => {
    // 20,000 rows published the way the relay publishes them (an update that leaves the unpublished index's
    // entry behind), then a few waiting; no vacuum in between, as under load.
    await pool.query(
      `INSERT INTO messaging.outbox (message_id, topic, key, value)
       SELECT gen_random_uuid(), 'relay.read.test.v1', 'k' || g, jsonb_build_object('n', g, 'pad', repeat('x', 300))
       FROM generate_series(1, 20000) g`,
    );
    await pool.query('UPDATE messaging.outbox SET published_at = now()');
    await pool.query(
      `INSERT INTO messaging.outbox (message_id, topic, key, value)
       SELECT gen_random_uuid(), 'relay.read.test.v1', 'k' || g, '{}'::jsonb FROM generate_series(1, 5) g`,
    );

    await explainRelayRead(); // the first read marks the dead entries it passes
    const plan = await explainRelayRead();

    expect(plan['Actual Rows']).toBe(5);
    expect(nodeTypes(plan)).not.toContain('Bitmap Heap Scan');
    // A bitmap scan reads every heap page of the 20,000 published rows (about 1,100) on every poll.
    expect(plan['Shared Hit Blocks'] + plan['Shared Read Blocks']).toBeLessThan(150);
  });
});

describe('outbox retention', () => {
  const day = 24 * 3600 * 1000;
  const now = new Date('2026-11-28T12:00:00.000Z');

  /** `n` rows created `ageMs` before `now`, published or not; returns their message ids. */
  async function rows(n: number, ageMs: number, published: boolean): Promise<string[]> {
    const { rows: out } = await pool.query<{ message_id: string }>(
      `INSERT INTO messaging.outbox (message_id, topic, key, value, created_at, published_at)
       SELECT gen_random_uuid(), 'retention.test.v1', 'k', '{}'::jsonb, $2::timestamptz,
              CASE WHEN $3 THEN $2::timestamptz END
       FROM generate_series(1, $1) RETURNING message_id`,
      [n, new Date(now.getTime() - ageMs), published],
    );
    return out.map((r) => r.message_id);
  }

  it('deletes published rows past retention, in batches, and keeps unpublished and recent ones', async () => {
    await pool.query('DELETE FROM messaging.outbox');
    const old = await rows(23, 9 * day, true);
    const waiting = await rows(2, 9 * day, false);
    const oldToo = await rows(7, 8 * day, true);
    const recent = await rows(5, 6 * day, true);
    const relay = new OutboxRelay({
      pool,
      producer: {} as Producer,
      retention: { keepMs: 7 * day, batch: 4 },
    });

    expect(await relay.pruneOnce(now)).toBe(old.length + oldToo.length);
    const { rows: left } = await pool.query<{ message_id: string }>(
      'SELECT message_id FROM messaging.outbox ORDER BY seq',
    );
    expect(left.map((r) => r.message_id)).toEqual([...waiting, ...recent]);
    expect(await relay.pruneOnce(now)).toBe(0);
  });

  it('deletes nothing when every row is younger than the retention, or there are none', async () => {
    await pool.query('DELETE FROM messaging.outbox');
    const relay = new OutboxRelay({ pool, producer: {} as Producer, retention: { keepMs: 7 * day } });
    expect(await relay.pruneOnce(now)).toBe(0);
    await rows(3, day, true);
    expect(await relay.pruneOnce(now)).toBe(0);
    expect((await pool.query('SELECT 1 FROM messaging.outbox')).rowCount).toBe(3);
  });

  it('finds the retention boundary wherever it falls, across gaps in seq (property)', async () => {
    const relay = new OutboxRelay({
      pool,
      producer: {} as Producer,
      retention: { keepMs: 7 * day, batch: 3 },
    });
    await fc.assert(
      fc.asyncProperty(
        // Oldest first: ages in hours, published or not, and whether the row is deleted first (a gap).
        fc.array(
          fc.record({ hours: fc.integer({ min: 1, max: 400 }), published: fc.boolean(), gap: fc.boolean() }),
          {
            maxLength: 40,
          },
        ),
        async (specs) => {
          await pool.query('DELETE FROM messaging.outbox');
          const ordered = [...specs].sort((a, b) => b.hours - a.hours);
          const expected: string[] = [];
          for (const r of ordered) {
            const [id] = await rows(1, r.hours * 3600 * 1000, r.published);
            if (r.gap) await pool.query('DELETE FROM messaging.outbox WHERE message_id = $1', [id]);
            else if (r.published && r.hours > 7 * 24) expected.push(id!);
          }
          const before = await pool.query<{ message_id: string }>('SELECT message_id FROM messaging.outbox');
          expect(await relay.pruneOnce(now)).toBe(expected.length);
          const after = new Set(
            (await pool.query<{ message_id: string }>('SELECT message_id FROM messaging.outbox')).rows.map(
              (r) => r.message_id,
            ),
          );
          expect(before.rows.map((r) => r.message_id).filter((id) => !after.has(id))).toEqual(
            expect.arrayContaining(expected),
          );
          expect(before.rows.length - after.size).toBe(expected.length);
        },
      ),
      { numRuns: 25 },
    );
  });
});
