import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export { PrismaClient as GatewayPrismaClient };

/** The gateway service's Prisma client over the pg driver adapter (no engine binary needed). */
export function createGatewayPrisma(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 4 }) });
}
