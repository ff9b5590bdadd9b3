import { Pool } from 'pg';
import { freshDatabase, type TestDatabase } from '@paylend/testing';
import { RELAY_READ_SETTINGS, relayReadSql } from './outbox-relay';

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
