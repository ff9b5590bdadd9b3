import { join } from 'node:path';
import { databaseUrl, DEFAULT_POSTGRES_URL } from '@paylend/pg-migrate';

export const ROOT = join(__dirname, '..', '..');

/**
 * A migration set: Prisma-layout migrations, and the Prisma schema they implement where there is one
 * (the messaging tables are raw SQL only). Several sets share one service database.
 */
export interface SetSpec {
  dir: string;
  schema?: string;
}

export const MIGRATION_SETS = {
  messaging: { dir: 'libs/messaging/migrations' },
  ledger: { dir: 'libs/ledger/prisma/migrations', schema: 'libs/ledger/prisma/schema.prisma' },
  settlement: { dir: 'libs/settlement/prisma/migrations', schema: 'libs/settlement/prisma/schema.prisma' },
  wallet: {
    dir: 'libs/wallet/data-access/prisma/migrations',
    schema: 'libs/wallet/data-access/prisma/schema.prisma',
  },
  payments: {
    dir: 'libs/payments/data-access/prisma/migrations',
    schema: 'libs/payments/data-access/prisma/schema.prisma',
  },
  lending: {
    dir: 'libs/lending/data-access/prisma/migrations',
    schema: 'libs/lending/data-access/prisma/schema.prisma',
  },
  scoring: {
    dir: 'libs/scoring/data-access/prisma/migrations',
    schema: 'libs/scoring/data-access/prisma/schema.prisma',
  },
  gateway: {
    dir: 'libs/gateway/data-access/prisma/migrations',
    schema: 'libs/gateway/data-access/prisma/schema.prisma',
  },
} satisfies Record<string, SetSpec>;

export type SetName = keyof typeof MIGRATION_SETS;

/** Each service owns one database; these are the sets applied to it, in order. */
export const SERVICE_DATABASES = {
  wallet: ['messaging', 'ledger', 'wallet', 'settlement'],
  payments: ['messaging', 'payments'],
  lending: ['messaging', 'lending'],
  scoring: ['messaging', 'scoring'],
  gateway: ['messaging', 'gateway'],
} satisfies Record<string, SetName[]>;

export type ServiceName = keyof typeof SERVICE_DATABASES;
export const SERVICES = Object.keys(SERVICE_DATABASES) as ServiceName[];

/** `<SERVICE>_DATABASE_URL` if set, else database `paylend_<service>` on the server at DATABASE_URL. */
export function serviceDatabaseUrl(service: string, env: NodeJS.ProcessEnv = process.env): string {
  const own = env[`${service.toUpperCase()}_DATABASE_URL`];
  if (own) return own;
  return databaseUrl(env['DATABASE_URL'] ?? DEFAULT_POSTGRES_URL, `paylend_${service}`);
}

export function serviceDatabaseName(service: string, env: NodeJS.ProcessEnv = process.env): string {
  return new URL(serviceDatabaseUrl(service, env)).pathname.replace(/^\//, '');
}

export function setsOf(service: ServiceName) {
  return SERVICE_DATABASES[service].map((name) => ({ name, dir: join(ROOT, MIGRATION_SETS[name].dir) }));
}
