import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * A set of Prisma-layout migrations (`<dir>/<timestamp>_<name>/migration.sql`) applied in name order.
 * Several sets may share one database (the ledger's journal and the wallet's own tables, say), so each
 * applied migration is recorded under its set's name.
 */
export interface MigrationSet {
  name: string;
  dir: string;
}

export interface MigrationRecord {
  set: string;
  migration: string;
  checksum: string;
}

export class MigrationChecksumError extends Error {
  constructor(readonly record: MigrationRecord) {
    super(
      `migration ${record.set}/${record.migration} was edited after it was applied; ` +
        'add a new migration instead of changing an applied one',
    );
  }
}

export function listMigrations(
  set: MigrationSet,
): Array<{ migration: string; sql: string; checksum: string }> {
  if (!existsSync(set.dir))
    throw new Error(`migration folder ${set.dir} of set "${set.name}" does not exist`);
  return readdirSync(set.dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(set.dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort()
    .map((migration) => {
      const sql = readFileSync(join(set.dir, migration, 'migration.sql'), 'utf8');
      return { migration, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

// Serialises concurrent migrators (two services starting at once) on one database.
const ADVISORY_LOCK_KEY = 0x7061796c; // "payl"

/** Applies every pending migration of every set, each in its own transaction; returns what it applied. */
export async function migrate(databaseUrl: string, sets: MigrationSet[]): Promise<MigrationRecord[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const applied: MigrationRecord[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    // Kept out of the application schemas so that Prisma's schema diff never sees it.
    await client.query('CREATE SCHEMA IF NOT EXISTS paylend_meta');
    await client.query(`CREATE TABLE IF NOT EXISTS paylend_meta.migrations (
      set_name text NOT NULL, migration text NOT NULL, checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (set_name, migration))`);
    for (const set of sets) {
      const done = new Map<string, string>(
        (
          await client.query<{ migration: string; checksum: string }>(
            'SELECT migration, checksum FROM paylend_meta.migrations WHERE set_name = $1',
            [set.name],
          )
        ).rows.map((r) => [r.migration, r.checksum]),
      );
      for (const m of listMigrations(set)) {
        const seen = done.get(m.migration);
        if (seen !== undefined) {
          if (seen !== m.checksum) throw new MigrationChecksumError({ set: set.name, ...m });
          continue;
        }
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query(
            'INSERT INTO paylend_meta.migrations (set_name, migration, checksum) VALUES ($1, $2, $3)',
            [set.name, m.migration, m.checksum],
          );
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw new Error(`migration ${set.name}/${m.migration} failed: ${(err as Error).message}`);
        }
        applied.push({ set: set.name, migration: m.migration, checksum: m.checksum });
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
  return applied;
}
