import { createServer } from 'node:net';
import type { z } from 'zod';
import { startService, type RunningService, type ServiceDefinition } from '../bootstrap';

/** A free TCP port on loopback, so parallel test services never collide. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts a service in-process against the real broker and the given database, on a free port, with the
 * environment a deployment would give it. Signals are left to the test.
 */
export async function startTestService<S extends z.ZodObject>(
  def: ServiceDefinition<S>,
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<RunningService> {
  const port = await freePort();
  const serviceEnv = {
    ...process.env,
    [`${def.service.toUpperCase()}_DATABASE_URL`]: databaseUrl,
    [`${def.service.toUpperCase()}_HTTP_PORT`]: String(port),
    INSTANCE_ID: `test-${def.service}-${port}`,
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
    ...env,
  };
  return startService({ ...def, env: serviceEnv }, { handleSignals: false });
}
