import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DEFAULT_POSTGRES_URL, databaseUrl, dropDatabase, ensureDatabase } from './database-url';
import { MigrationChecksumError, migrate } from './migrator';

const server = process.env['DATABASE_URL'] ?? DEFAULT_POSTGRES_URL;
const dbName = `t_pg_migrate_${process.pid}`;
const url = databaseUrl(server, dbName);

function writeMigration(dir: string, name: string, sql: string): void {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, 'migration.sql'), sql);
}

describe('migrate', () => {
  beforeAll(() => ensureDatabase(server, dbName));
  afterAll(() => dropDatabase(server, dbName));

  it('applies pending migrations once, in name order, and refuses an edited one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mig-'));
    writeMigration(dir, '0002_add_column', 'ALTER TABLE thing ADD COLUMN label text;');
    writeMigration(dir, '0001_init', 'CREATE TABLE thing (id int primary key);');

    const first = await migrate(url, [{ name: 'demo', dir }]);
    expect(first.map((r) => r.migration)).toEqual(['0001_init', '0002_add_column']);
    expect(await migrate(url, [{ name: 'demo', dir }])).toEqual([]);

    const client = new Client({ connectionString: url });
    await client.connect();
    const cols = await client.query(
      "SELECT column_name FROM information_schema.columns WHERE table_name='thing'",
    );
    await client.end();
    expect(cols.rows.map((r) => r.column_name).sort()).toEqual(['id', 'label']);

    writeMigration(dir, '0001_init', 'CREATE TABLE thing (id bigint primary key);');
    await expect(migrate(url, [{ name: 'demo', dir }])).rejects.toBeInstanceOf(MigrationChecksumError);
  });

  it('rolls back a failing migration and records nothing for it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mig-'));
    writeMigration(dir, '0001_bad', 'CREATE TABLE half (id int); SELECT no_such_function();');
    await expect(migrate(url, [{ name: 'bad', dir }])).rejects.toThrow(/bad\/0001_bad failed/);
    const client = new Client({ connectionString: url });
    await client.connect();
    const t = await client.query("SELECT to_regclass('public.half') AS t");
    const r = await client.query(
      "SELECT count(*)::int AS n FROM paylend_meta.migrations WHERE set_name='bad'",
    );
    await client.end();
    expect(t.rows[0].t).toBeNull();
    expect(r.rows[0].n).toBe(0);
  });
});
