import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_POSTGRES_URL, databaseUrl } from '@paylend/pg-migrate';
import { MIGRATION_SETS, ROOT, type SetName } from './registry';

/**
 * The Prisma workflow, offline and online alike:
 *  - `schema.prisma` (Prisma 7) is the source of truth for each set's tables;
 *  - `generate` runs Prisma 7's `prisma-client` generator, which needs no engine binary (only the env var
 *    PRISMA_SCHEMA_ENGINE_BINARY to point at an existing file, which it never runs);
 *  - `new` writes the next migration's SQL with Prisma 6.19's WASM schema engine (`engine: "js"` with the
 *    pg adapter), diffing the schema as of the last migration (`migrations/schema.snapshot.prisma`) against
 *    the current one — a datamodel-to-datamodel diff, since the WASM engine cannot introspect a database
 *    through the adapter here;
 *  - migrations are applied by @paylend/pg-migrate (checksummed, one transaction each), so deploys need no
 *    engine binary either.
 */
export const SNAPSHOT = 'schema.snapshot.prisma';

function prismaEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    // Generate never runs the schema engine; any existing file satisfies the check.
    PRISMA_SCHEMA_ENGINE_BINARY: process.env['PRISMA_SCHEMA_ENGINE_BINARY'] ?? process.execPath,
    PRISMA_QUERY_ENGINE_LIBRARY: process.env['PRISMA_QUERY_ENGINE_LIBRARY'] ?? process.execPath,
  };
}

export function schemaSets(): Array<{ name: SetName; schema: string; dir: string }> {
  return (Object.entries(MIGRATION_SETS) as Array<[SetName, { dir: string; schema?: string }]>)
    .filter(([, spec]) => spec.schema !== undefined && existsSync(join(ROOT, spec.schema)))
    .map(([name, spec]) => ({ name, schema: join(ROOT, spec.schema!), dir: join(ROOT, spec.dir) }));
}

export function generateClients(log: (line: string) => void): void {
  for (const set of schemaSets()) {
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/prisma/build/index.js'), 'generate', '--schema', set.schema],
      {
        cwd: ROOT,
        env: prismaEnv(),
        encoding: 'utf8',
      },
    );
    if (r.status !== 0) throw new Error(`prisma generate failed for ${set.name}:\n${r.stdout}\n${r.stderr}`);
    log(`generated Prisma client for ${set.name}`);
  }
}

/** Prisma 6.19 wants `url` in the datasource and `engineType = "client"`; Prisma 7 forbids the former. */
function forPrisma6(schemaText: string): string {
  return schemaText
    .replace(
      /(datasource\s+\w+\s*\{[^}]*provider\s*=\s*"postgresql")/,
      '$1\n  url = "postgresql://unused@127.0.0.1/unused"',
    )
    .replace(/(generator\s+\w+\s*\{[^}]*provider\s*=\s*"prisma-client")/, '$1\n  engineType = "client"');
}

const EMPTY_SCHEMA = 'datasource db {\n  provider = "postgresql"\n}\n';

/** The SQL that takes the set's tables from its last migration's schema to the current schema.prisma. */
export function diffSql(name: SetName): { sql: string; empty: boolean } {
  const set = schemaSets().find((s) => s.name === name);
  if (!set) throw new Error(`no Prisma schema for migration set "${name}"`);
  const snapshot = join(set.dir, SNAPSHOT);
  // A schema identical to the last migration's snapshot cannot differ from it: skip the engine (~10 s).
  if (existsSync(snapshot) && readFileSync(snapshot, 'utf8') === readFileSync(set.schema, 'utf8')) {
    return { sql: '', empty: true };
  }
  const work = mkdtempSync(join(tmpdir(), 'paylend-prisma-'));
  writeFileSync(
    join(work, 'from.prisma'),
    forPrisma6(existsSync(snapshot) ? readFileSync(snapshot, 'utf8') : EMPTY_SCHEMA),
  );
  writeFileSync(join(work, 'to.prisma'), forPrisma6(readFileSync(set.schema, 'utf8')));
  // The WASM engine insists on an adapter connection even for a datamodel diff; it reads nothing from it.
  const adapterUrl = databaseUrl(process.env['DATABASE_URL'] ?? DEFAULT_POSTGRES_URL, 'postgres');
  const configDir = join(ROOT, 'tmp', 'prisma');
  mkdirSync(configDir, { recursive: true });
  const config = join(configDir, 'prisma6.config.ts');
  writeFileSync(
    config,
    `import { PrismaPg } from '@prisma/adapter-pg';\nexport default { experimental: { adapter: true }, engine: 'js', ` +
      `adapter: async () => new PrismaPg({ connectionString: ${JSON.stringify(adapterUrl)} }) };\n`,
  );
  const r = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/prisma6/build/index.js'),
      'migrate',
      'diff',
      '--config',
      config,
      '--from-schema-datamodel',
      join(work, 'from.prisma'),
      '--to-schema-datamodel',
      join(work, 'to.prisma'),
      '--script',
    ],
    { cwd: ROOT, env: prismaEnv(), encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`prisma migrate diff failed for ${name}:\n${r.stdout}\n${r.stderr}`);
  const sql = r.stdout.trim();
  return { sql, empty: sql === '' || /^-- This is an empty migration\.?$/m.test(sql) };
}

/** Writes `<dir>/<NNNN>_<label>/migration.sql` and moves the snapshot forward. */
export function newMigration(name: SetName, label: string): string | undefined {
  if (!/^[a-z0-9_]+$/.test(label)) throw new Error('migration label: lower-case letters, digits and _ only');
  const { sql, empty } = diffSql(name);
  if (empty) return undefined;
  const set = schemaSets().find((s) => s.name === name)!;
  mkdirSync(set.dir, { recursive: true });
  const existing = readdirSync(set.dir, { withFileTypes: true }).filter((e) => e.isDirectory()).length;
  const folder = join(set.dir, `${String(existing + 1).padStart(4, '0')}_${label}`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'migration.sql'), `${sql}\n`);
  copyFileSync(set.schema, join(set.dir, SNAPSHOT));
  return folder;
}
