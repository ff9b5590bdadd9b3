import { Pool as PgPool, type Pool, type QueryResult } from 'pg';
import { freshDatabase, type TestDatabase } from './database';

/** A statement as a repository call sends it: text and parameters. */
export interface CapturedStatement {
  text: string;
  values: unknown[];
}

/**
 * The one statement a repository call sends, captured instead of run (the call sees no rows), so a test can
 * plan the code's own SQL rather than a copy of it.
 */
async function statementOf<S>(call: (sql: S) => Promise<unknown>): Promise<CapturedStatement> {
  const sent: CapturedStatement[] = [];
  const capture = {
    query: async (text: string, values: unknown[] = []) => {
      sent.push({ text, values });
      return { rows: [], rowCount: 0, command: '', oid: 0, fields: [] } as QueryResult;
    },
  };
  await call(capture as unknown as S);
  if (sent.length !== 1) throw new Error(`expected the call to send one statement, it sent ${sent.length}`);
  return sent[0]!;
}

/**
 * The statement's plan with sequential scans priced out: a test's tables are nearly empty, where a scan of
 * the whole table is rightly cheapest, and the question is which index the statement can use.
 */
export async function indexPlanOf(pool: Pool, statement: CapturedStatement): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN; SET LOCAL enable_seqscan = off');
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN ${statement.text}`,
      statement.values,
    );
    await client.query('COMMIT');
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Each named index's partial-index predicate (null for a full index), by name. */
async function indexPredicates(pool: Pool, names: string[]): Promise<Record<string, string | null>> {
  const { rows } = await pool.query<{ name: string; predicate: string | null }>(
    `SELECT c.relname AS name, pg_get_expr(i.indpred, i.indrelid) AS predicate
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = ANY($1::text[])`,
    [names],
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.predicate]));
}

/** A query a sweep polls with: its repository call, and the index it must read. */
export interface PolledQuery<S> {
  sweep: string;
  call: (sql: S) => Promise<unknown>;
  index: string;
  /** The index must also give the rows in the query's order: no sort step. */
  inIndexOrder?: boolean;
}

/**
 * The spec that a service's sweeps read partial indexes of the rows still waiting, not of every row ever
 * made (each poll would otherwise grow with history): each sweep's own statement, captured from its
 * repository call, is planned against a fresh database, and the indexes' predicates are as `predicates`.
 */
export function specWaitingRowIndexes<S>(opts: {
  database: string;
  migrations: string[];
  queries: Array<PolledQuery<S>>;
  predicates: Record<string, string>;
}): void {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await freshDatabase(opts.database, opts.migrations);
    pool = new PgPool({ connectionString: db.url, max: 2 });
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it.each(opts.queries.map((q) => [q.sweep, q] as const))(
    '%s reads the index of the rows still waiting',
    async (_sweep, q) => {
      const plan = await indexPlanOf(pool, await statementOf(q.call));
      expect(plan).toContain(q.index);
      if (q.inIndexOrder) expect(plan).not.toContain('Sort');
    },
  );

  it('those indexes are partial: they hold only the rows still waiting', async () => {
    expect(await indexPredicates(pool, Object.keys(opts.predicates))).toEqual(opts.predicates);
  });
}
