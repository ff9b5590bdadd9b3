import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in one database transaction on a connection of its own, committing what it did, or rolling
 * it back if it throws (or, with `commit: false`, in any case: a test that compares two paths from the
 * same starting state).
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (tx: PoolClient) => Promise<T>,
  options: { commit?: boolean } = {},
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query(options.commit === false ? 'ROLLBACK' : 'COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
