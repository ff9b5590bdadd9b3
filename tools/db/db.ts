import { dropDatabase, ensureDatabase, migrate, redact, DEFAULT_POSTGRES_URL } from '@paylend/pg-migrate';
import { diffSql, generateClients, newMigration, schemaSets } from './prisma-workflow';
import { SERVICES, serviceDatabaseName, serviceDatabaseUrl, setsOf, type SetName } from './registry';

const USAGE = `usage: npm run db -- <command>
  generate              generate every Prisma client (never stale: npm test and npm run demo run this first)
  migrate [--reset]     create each service's database if missing and apply pending migrations
                        (--reset drops the databases first)
  new <set> <label>     write the next migration of <set> from its schema.prisma changes
  check                 fail if any schema.prisma has changes without a migration
environment: DATABASE_URL (server, default ${DEFAULT_POSTGRES_URL}), <SERVICE>_DATABASE_URL (one service)`;

const log = (line: string) => process.stdout.write(`[db] ${line}\n`);

async function migrateAll(reset: boolean): Promise<void> {
  const server = process.env['DATABASE_URL'] ?? DEFAULT_POSTGRES_URL;
  for (const service of SERVICES) {
    const name = serviceDatabaseName(service);
    const serviceServer = serviceDatabaseUrl(service).replace(/\/[^/]*$/, '/postgres');
    if (reset) {
      await dropDatabase(serviceServer, name);
      log(`dropped ${name}`);
    }
    await ensureDatabase(serviceServer, name);
    const applied = await migrate(serviceDatabaseUrl(service), setsOf(service));
    log(
      `${service}: database ${name} ${applied.length ? `applied ${applied.map((a) => `${a.set}/${a.migration}`).join(', ')}` : 'up to date'}`,
    );
  }
  log(`all service databases migrated on ${redact(server)}`);
}

export async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'generate':
      generateClients(log);
      return 0;
    case 'migrate':
      await migrateAll(rest.includes('--reset'));
      return 0;
    case 'new': {
      const [set, label] = rest;
      if (!set || !label) break;
      const folder = newMigration(set as SetName, label);
      log(
        folder ? `wrote ${folder}/migration.sql` : `no changes in ${set}'s schema.prisma: nothing to write`,
      );
      return 0;
    }
    case 'check': {
      let stale = 0;
      for (const s of schemaSets()) {
        const { empty, sql } = diffSql(s.name);
        if (!empty) {
          stale++;
          log(
            `${s.name}: schema.prisma has changes without a migration; run: npm run db -- new ${s.name} <label>\n${sql}`,
          );
        } else log(`${s.name}: migrations match schema.prisma`);
      }
      return stale === 0 ? 0 : 1;
    }
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

if (require.main === module) {
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`[db] ${err.message}\n`);
      process.exit(1);
    },
  );
}
