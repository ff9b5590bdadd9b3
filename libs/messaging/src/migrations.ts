import { join } from 'node:path';

/** The outbox/inbox migration folder every service database applies. */
export const MESSAGING_MIGRATIONS = join(__dirname, '..', 'migrations');
