import { freshDatabase, TestDatabase } from '@paylend/testing';
import { Client, Pool } from 'pg';

export interface LedgerTestDb {
  db: TestDatabase;
  pool: Pool;
  close(): Promise<void>;
}

/**
 * A fresh migrated database and a pool on it. `close` ends the pool and waits until the server has let go
 * of its backends before dropping the database: DROP ... WITH (FORCE) would otherwise kill backends that
 * are still exiting, and their FATAL message would surface as an unhandled client error.
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
      const admin = new Client({ connectionString: db.url.replace(/\/[^/?]+(\?|$)/, '/postgres$1') });
      await admin.connect();
      try {
        for (let i = 0; i < 50; i++) {
          const { rows } = await admin.query<{ n: string }>(
            'SELECT count(*)::text AS n FROM pg_stat_activity WHERE datname = $1',
            [db.name],
          );
          if (rows[0]?.n === '0') break;
          await new Promise((r) => setTimeout(r, 20));
        }
      } finally {
        await admin.end();
      }
      await db.drop();
    },
  };
}
