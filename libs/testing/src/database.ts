import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  DEFAULT_POSTGRES_URL,
  databaseUrl,
  dropDatabase,
  ensureDatabase,
  migrate,
} from '@paylend/pg-migrate';

export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database on the real PostgreSQL for one test file; `migrations` are folders relative to
 * the workspace root, applied in order. Each call gets its own database, so test files never share data.
 */
export async function freshDatabase(prefix: string, migrations: string[]): Promise<TestDatabase> {
  const server = process.env['DATABASE_URL'] ?? DEFAULT_POSTGRES_URL;
  const name = `t_${prefix.replace(/[^a-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(server, name);
  const url = databaseUrl(server, name);
  await migrate(
    url,
    migrations.map((dir) => ({ name: dir, dir: join(WORKSPACE_ROOT, dir) })),
  );
  return { name, url, drop: () => dropDatabase(server, name) };
}
