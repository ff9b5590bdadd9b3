import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnService, type SpawnedService } from '@paylend/platform/testing';
import { freshDatabase, WORKSPACE_ROOT, type TestDatabase } from '@paylend/testing';
import { aloneInGroups } from './alone-in-groups';
import { startWalletStack, type WalletStack } from '../testing/wallet-stack';

/* The payments scenario of `npm run demo`, run as the demo runs it, against a fresh stack. */
jest.setTimeout(180_000);

let stack: WalletStack;
let paymentsDb: TestDatabase;
let payments: SpawnedService;

beforeAll(async () => {
  stack = await startWalletStack();
  paymentsDb = await freshDatabase('payments', [
    'libs/messaging/migrations',
    'libs/payments/data-access/prisma/migrations',
  ]);
  payments = await spawnService('payments', { PAYMENTS_DATABASE_URL: paymentsDb.url }, 90_000);
  await aloneInGroups(['wallet', 'payments'], 100_000);
}, 180_000);

afterAll(async () => {
  await payments?.terminate('SIGTERM');
  await stack?.stop();
  await paymentsDb?.drop();
});

it('the payments demo scenario runs end to end and shows verified webhooks', async () => {
  const scenario = join(WORKSPACE_ROOT, 'tools', 'scripts', 'demo', 'payments-scenario.mjs');
  const script = `import(${JSON.stringify(scenario)}).then((m) => m.default({ gatewayUrl: ${JSON.stringify(stack.gateway.url)}, services: {}, say: (l = '') => console.log(l) })).catch((e) => { console.error(e); process.exit(1); })`;
  const child = spawn(process.execPath, ['-e', script], {
    cwd: WORKSPACE_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`scenario failed (${code}):\n${out}`);
  expect(out).toMatch(/order \S+: SUCCEEDED, captured 36\.80 CNY, platform fee 0\.22 CNY/);
  expect(out).toMatch(/refused: HTTP 422 QR_TAMPERED/);
  expect(out).toMatch(/refused: HTTP 422 REFUND_EXCEEDS_CAPTURED/);
  expect(out).toMatch(/webhook ✓ order\.refunded/);
  expect(out).toMatch(/refused: HTTP 409 PAYMENT_CODE_USED/);
  expect(out).toMatch(/= 160\.70 CNY/);
  expect(out).not.toMatch(/webhook ✗/);
  const png = /saved as (\S+\.png)/.exec(out)?.[1];
  expect(png && existsSync(join(WORKSPACE_ROOT, png))).toBe(true);
  process.stdout.write(out);
});
