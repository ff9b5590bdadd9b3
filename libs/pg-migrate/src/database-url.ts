import { Client } from 'pg';

export const DEFAULT_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432';

/** The URL of database `name` on the server that `serverUrl` points at (its own database part replaced). */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates database `name` unless it exists. Names are ours (never user input), but are still checked. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid database name "${name}"`);
  const client = new Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `cannot reach PostgreSQL at ${redact(serverUrl)} (${(err as Error).message}); ` +
        'start it or set DATABASE_URL to a reachable server',
    );
  }
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } catch (err) {
    // Two processes creating the same database at once: the loser sees a duplicate; that is fine.
    if (!/already exists|duplicate key/.test((err as Error).message)) throw err;
  } finally {
    await client.end();
  }
}

/**
 * Drops `name`. It first waits (up to `idleWaitMs`) for the database's backends to exit: a pool that was
 * just ended still has backends shutting down, and DROP ... WITH (FORCE) would kill them mid-exit, so their
 * clients would see a FATAL "terminating connection due to administrator command" as an unhandled error.
 */
export async function dropDatabase(serverUrl: string, name: string, idleWaitMs = 2_000): Promise<void> {
  const client = new Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    const deadline = Date.now() + idleWaitMs;
    for (;;) {
      const { rows } = await client.query<{ n: string }>(
        'SELECT count(*)::text AS n FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      if (rows[0]?.n === '0' || Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable URL>';
  }
}
