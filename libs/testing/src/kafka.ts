import { randomBytes } from 'node:crypto';

/** The broker integration tests use: the one `npm test` started, or KAFKA_BROKERS. */
export function testBrokers(): string[] {
  return (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
}

/** A topic-safe unique name segment, so test runs never see each other's messages. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Polls `check` until it returns true or `timeoutMs` passes; the failure names what was awaited. */
export async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
