import { freshDatabase, TestDatabase } from '@paylend/testing';
import { Pool } from 'pg';

export interface LedgerTestDb {
  db: TestDatabase;
  pool: Pool;
  close(): Promise<void>;
}

/**
 * A fresh migrated database and a pool on it. `close` ends the pool and drops the database (which waits for
 * the pool's backends to exit first).
 */
export async function ledgerTestDb(max = 8): Promise<LedgerTestDb> {
  const db = await freshDatabase('ledger', ['libs/ledger/prisma/migrations']);
  const pool = new Pool({ connectionString: db.url, max });
  pool.on('error', () => undefined);
  return {
    db,
    pool,
    async close() {
      await pool.end();
      await db.drop();
    },
  };
}
