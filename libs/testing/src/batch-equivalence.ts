import type { Pool, PoolClient } from 'pg';

/** The highest outbox sequence number now: the events a run writes are the ones after it. */
export async function outboxMark(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ seq: string }>(
    'SELECT COALESCE(max(seq), 0)::text AS seq FROM messaging.outbox',
  );
  return rows[0]!.seq;
}

async function rolledBack<T>(pool: Pool, work: (tx: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    return await work(client);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

/**
 * Runs `cmds` through a set-based use case as the inbox does (`many`, or when it throws an error that
 * `fallsBack` accepts, `one` command at a time on the same transaction), and through `one` alone, each from
 * the same committed state in a transaction that is rolled back; returns both answers and what `state` saw
 * in each.
 */
export async function batchAgainstOneByOne<C, O, S>(
  pool: Pool,
  cmds: C[],
  many: (tx: PoolClient, cmds: C[]) => Promise<O[]>,
  one: (tx: PoolClient, cmd: C) => Promise<O>,
  state: (tx: PoolClient, outboxFrom: string) => Promise<S>,
  fallsBack: (err: unknown) => boolean = () => false,
): Promise<{ many: { out: O[]; state: S; fellBack: boolean }; one: { out: O[]; state: S } }> {
  const oneByOne = async (tx: PoolClient) => {
    const out: O[] = [];
    for (const c of cmds) out.push(await one(tx, c));
    return out;
  };
  const mark = await outboxMark(pool);
  const batched = await rolledBack(pool, async (tx) => {
    await tx.query('SAVEPOINT chunk');
    let out: O[];
    let fellBack = false;
    try {
      out = await many(tx, cmds);
      await tx.query('RELEASE SAVEPOINT chunk');
    } catch (err) {
      if (!fallsBack(err)) throw err;
      await tx.query('ROLLBACK TO SAVEPOINT chunk');
      out = await oneByOne(tx);
      fellBack = true;
    }
    return { out, fellBack, state: await state(tx, mark) };
  });
  const single = await rolledBack(pool, async (tx) => ({
    out: await oneByOne(tx),
    state: await state(tx, mark),
  }));
  return { many: batched, one: single };
}
