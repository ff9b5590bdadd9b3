#!/usr/bin/env node
// `npm run bench -- <name>...` runs bench/<name>.bench.ts (all of them when no name is given).
// Each benchmark writes bench/results/<name>.json and prints its table.
import { spawnSync } from 'node:child_process';
import { ensureDependencies, run, stepper } from './lib/steps.mjs';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const available = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : available;
for (const name of names) {
  if (!existsSync(join(root, 'bench', `${name}.bench.ts`))) {
    console.error(`no benchmark "${name}"; available: ${available.join(', ')}`);
    process.exit(2);
  }
}
// Like the two README commands, a benchmark sets up what it needs: dependencies, Prisma clients and, for
// the benchmarks that go through services, the broker. The ledger and settlement benchmarks do not touch
// Kafka, and an idle broker's JVM still takes CPU from them on this 2-core machine, so none is started for them.
const NEEDS_KAFKA = new Set(['payments', 'scoring', 'wallet']);
const needsKafka = names.some((name) => NEEDS_KAFKA.has(name));
const step = stepper(needsKafka ? 3 : 2);
await ensureDependencies(step);
step('Prisma: generating clients');
await run('node', ['tools/db/db.mjs', 'generate']);
let stopBroker = async () => {};
if (needsKafka) {
  step('Kafka: starting the pinned broker, or reusing the running one');
  const { ensureKafka, stopKafka } = await import('../kafka/kafka.mjs');
  const broker = await ensureKafka({
    freshIfStarting: true,
    log: (l) => process.stdout.write(`        ${l}\n`),
  });
  process.env.KAFKA_BROKERS ??= broker.brokers;
  // A broker this run started is stopped when it ends, as npm test does; one that was already running stays.
  stopBroker = async () => {
    if (broker.startedByUs) await stopKafka({ log: () => {} });
  };
}
for (const name of names) {
  console.log(`\n== bench ${name} ==`);
  const r = spawnSync(
    process.execPath,
    ['-r', '@swc-node/register', join(root, 'bench', `${name}.bench.ts`)],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, SWC_NODE_PROJECT: join(root, 'tsconfig.base.json'), NODE_ENV: 'production' },
    },
  );
  if (r.status !== 0) {
    await stopBroker();
    process.exit(r.status ?? 1);
  }
}
await stopBroker();
