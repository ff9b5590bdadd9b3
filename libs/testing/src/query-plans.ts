import type { Pool, QueryResult } from 'pg';

/** A statement as a repository call sends it: text and parameters. */
export interface CapturedStatement {
  text: string;
  values: unknown[];
}

/**
 * The one statement a repository call sends, captured instead of run (the call sees no rows), so a test can
 * plan the code's own SQL rather than a copy of it.
 */
export async function statementOf<S>(call: (sql: S) => Promise<unknown>): Promise<CapturedStatement> {
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
export async function indexPredicates(pool: Pool, names: string[]): Promise<Record<string, string | null>> {
  const { rows } = await pool.query<{ name: string; predicate: string | null }>(
    `SELECT c.relname AS name, pg_get_expr(i.indpred, i.indrelid) AS predicate
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = ANY($1::text[])`,
    [names],
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.predicate]));
}
