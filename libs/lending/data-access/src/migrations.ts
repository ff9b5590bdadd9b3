import { join } from 'node:path';

/** This service's own migration folder (applied after the messaging set by tools/db and by tests). */
export const LENDING_MIGRATIONS = join(__dirname, '..', 'prisma', 'migrations');
