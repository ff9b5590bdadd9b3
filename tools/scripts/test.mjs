#!/usr/bin/env node
// `npm test`: everything from a clean clone to a verdict. Installs dependencies, generates the Prisma
// clients, checks migrations match the schemas, starts Kafka (reusing a running broker), migrates, runs
// lint, typecheck, unit and integration tests, stops the broker it started, and exits non-zero on any failure.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  acquireLock,
  banner,
  ensureDependencies,
  killAllChildren,
  ROOT,
  run,
  stepper,
} from './lib/steps.mjs';

const started = Date.now();
const step = stepper(10);
const release = acquireLock('npm test');
let stopBroker = async () => {};

async function main() {
  banner('PayLend — npm test');
  await ensureDependencies(step);

  step('Kafka: starting the pinned broker (downloads its jars from Maven Central on first use)');
  const { ensureKafka, stopKafka } = await import('../kafka/kafka.mjs');
  // A broker started here starts empty: every run creates its own topics and groups, and what earlier runs
  // left (hundreds of partitions, stale group members) only slows the broker and muddles the groups.
  const broker = await ensureKafka({
    freshIfStarting: true,
    log: (l) => process.stdout.write(`        ${l}\n`),
  });
  if (broker.startedByUs) stopBroker = () => stopKafka({ log: () => {} });
  process.env.KAFKA_BROKERS = broker.brokers;

  step('Prisma: generating clients');
  await run('node', ['tools/db/db.mjs', 'generate']);
  step('Prisma: checking every schema.prisma change has its migration');
  await run('node', ['tools/db/db.mjs', 'check']);
  step('PostgreSQL: creating and migrating the service databases');
  await run('node', ['tools/db/db.mjs', 'migrate']);

  step('lint (ESLint with Nx module boundaries) and format check');
  await run('npx', ['nx', 'show', 'projects'], { stdio: 'ignore' }); // builds the project graph the boundary rule reads
  await run('npx', ['eslint', '.', '--max-warnings=0']);
  await run('npx', ['prettier', '--check', '--log-level=warn', '.']);
  step('typecheck (tsc --noEmit, strict)');
  await run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);

  const results = join(ROOT, 'tmp', 'jest');
  rmSync(results, { recursive: true, force: true });
  mkdirSync(results, { recursive: true });
  step('unit tests (*.spec.ts)');
  const unit = await run(
    'npx',
    ['jest', '-c', 'jest.unit.config.cjs', '--json', `--outputFile=${results}/unit.json`],
    {
      allowFailure: true,
    },
  );
  step('integration tests (*.int-spec.ts) against the real PostgreSQL and Kafka');
  const int = await run(
    'npx',
    // --forceExit: a kafkajs socket left half-closed by a test that kills a service must not hang CI.
    [
      'jest',
      '-c',
      'jest.int.config.cjs',
      '--runInBand',
      '--forceExit',
      '--json',
      `--outputFile=${results}/int.json`,
    ],
    { allowFailure: true },
  );
  step('summary');
  let passed = 0;
  let failed = 0;
  for (const f of ['unit.json', 'int.json']) {
    const file = join(results, f);
    if (!existsSync(file)) {
      failed += 1;
      continue;
    }
    const r = JSON.parse(readFileSync(file, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
  }
  process.stdout.write(`wall time ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return unit === 0 && int === 0 && failed === 0 ? 0 : 1;
}

async function finish(code) {
  await stopBroker().catch(() => {});
  release();
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    process.stdout.write(`\n${signal}: stopping\n`);
    killAllChildren();
    void finish(130);
  });
}

main().then(finish, (err) => {
  process.stderr.write(`\nnpm test failed: ${err.message}\n`);
  void finish(1);
});
