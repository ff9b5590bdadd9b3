// npm run bench -- wallet  ->  bench/results/wallet.json
//
// P2P transfers end to end: HTTP -> gateway -> Kafka -> wallet -> ledger (PostgreSQL) -> reply, with
// concurrent clients, each sending from its own wallet. Both services run as their own processes, as
// deployed. Per hop: the gateway's Server-Timing header splits its time into the Idempotency-Key store and
// the wallet round trip over Kafka; the wallet logs the time inside its command handler; the rest of the
// client's latency is HTTP. Baselines in the same run: the Kafka ping round trip through the gateway (the
// message path with no database work) and direct ledger posts (the database work with no messaging).
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { GroupCommitter, PgLedger } from '@paylend/ledger';
import { spawnService, type SpawnedService } from '@paylend/platform/testing';
import {
  CpuAccounting,
  cpuMsPerOperation,
  freshDatabase,
  percentile,
  writeBenchResult,
  type BenchMetric,
  type TestDatabase,
} from '@paylend/testing';
import { GatewayApi, type ResponseHeaders } from '../apps/gateway/src/demo/http-client';
import { BROKER_WARMUP_MS, warmUpBroker } from './broker-warm-up';
import { GATEWAY_MIGRATIONS, WALLET_MIGRATIONS } from '../apps/gateway/src/testing/wallet-stack';

// Throughput at the latency objective: a short run at each client count, then the full measurement at
// the count with the highest throughput whose short run met the p99 objective; if the full measurement
// misses it, the next such count is measured in full. A batching design gets cheaper per transfer as the
// offered load grows (bigger chunks share their commits), so one fixed count would report either a
// latency with headroom or a throughput past the objective; the sweep reports each point it tried.
const SWEEP = (process.env['BENCH_CLIENTS'] ?? '64,96,128').split(',').map(Number);
const MAX_CLIENTS = Math.max(...SWEEP);
const SWEEP_MS = Number(process.env['BENCH_SWEEP_MS'] ?? 8000);
const P99_SLO_MS = 200;
/** Callers of the direct-ledger baseline. */
const BASELINE_CALLERS = 64;
const WARMUP_MS = Number(process.env['BENCH_WARMUP_MS'] ?? 3000);
const MEASURE_MS = Number(process.env['BENCH_MEASURE_MS'] ?? 15_000);

const log = (msg: string) => console.log(`[wallet bench] ${msg}`);
const r2 = (v: number) => Number(v.toFixed(2));

interface Sample {
  ms: number;
  idem: number;
  wallet: number;
}

function serverTiming(h: ResponseHeaders): { idem: number; wallet: number } {
  const v = h.get('server-timing') ?? '';
  const get = (name: string) => Number(new RegExp(`${name};dur=([0-9.]+)`).exec(v)?.[1] ?? Number.NaN);
  return { idem: get('idem'), wallet: get('wallet') };
}

/** Runs `worker` in `clients` loops for `ms`; returns completed operations per second. */
async function closedLoop(
  clients: number,
  ms: number,
  worker: (client: number) => Promise<void>,
): Promise<number> {
  const until = Date.now() + ms;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (Date.now() < until) {
        await worker(c);
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

async function ledgerBaseline(): Promise<{ perS: number; p99: number; seqP50: number }> {
  const db = await freshDatabase('bench_ledger', ['libs/ledger/prisma/migrations']);
  const pool = new Pool({ connectionString: db.url, max: 8 });
  try {
    const ledger = new PgLedger(pool);
    const ids = Array.from({ length: BASELINE_CALLERS * 2 }, (_, i) => `acc-${i}`);
    await ledger.createAccounts([
      { id: 'cash', currency: 'CNY', normalSide: 'debit' },
      ...ids.map((id) => ({
        id,
        currency: 'CNY',
        normalSide: 'credit' as const,
        flags: { debitsMustNotExceedCredits: true },
      })),
    ]);
    await ledger.post(
      ids.map((id) => ({
        id: `fund-${id}`,
        debitAccountId: 'cash',
        creditAccountId: id,
        amount: '500.00',
        currency: 'CNY',
        code: 'top-up',
      })),
    );
    const seq: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      await ledger.post([
        {
          id: `seq-${i}`,
          debitAccountId: ids[0]!,
          creditAccountId: ids[1]!,
          amount: '0.01',
          currency: 'CNY',
          code: 'p2p',
        },
      ]);
      seq.push(performance.now() - t0);
    }
    const committer = new GroupCommitter(ledger);
    const lat: number[] = [];
    const perS = await closedLoop(BASELINE_CALLERS, 5000, async (c) => {
      const t0 = performance.now();
      await committer.submit({
        id: randomUUID(),
        debitAccountId: ids[c]!,
        creditAccountId: ids[BASELINE_CALLERS + c]!,
        amount: '0.01',
        currency: 'CNY',
        code: 'p2p',
      });
      lat.push(performance.now() - t0);
    });
    return { perS, p99: percentile(lat, 99), seqP50: percentile(seq, 50) };
  } finally {
    await pool.end();
    await db.drop();
  }
}

async function main(): Promise<void> {
  const run = randomBytes(3).toString('hex');
  let walletDb: TestDatabase | undefined;
  let gatewayDb: TestDatabase | undefined;
  let wallet: SpawnedService | undefined;
  let gateway: SpawnedService | undefined;
  try {
    log('baseline: direct ledger posts (group commit, no messaging) ...');
    const direct = await ledgerBaseline();
    log(
      `  ${direct.perS.toFixed(0)} posts/s with ${BASELINE_CALLERS} callers, p99 ${direct.p99.toFixed(1)} ms; one post alone p50 ${direct.seqP50.toFixed(2)} ms`,
    );

    walletDb = await freshDatabase('bench_wallet', WALLET_MIGRATIONS);
    gatewayDb = await freshDatabase('bench_gateway', GATEWAY_MIGRATIONS);
    wallet = await spawnService('wallet', { WALLET_DATABASE_URL: walletDb.url });
    gateway = await spawnService('gateway', {
      GATEWAY_DATABASE_URL: gatewayDb.url,
      GATEWAY_DEV_TOKENS: 'true',
      GATEWAY_RATE_LIMIT_PER_MINUTE: '10000000',
      GATEWAY_RATE_LIMIT_BURST: '1000000',
    });
    const api = new GatewayApi(gateway.url);

    log(`warming up the broker and the services: ${BROKER_WARMUP_MS} ms of Kafka pings ...`);
    log(`  ${await warmUpBroker(api)} pings`);
    log('baseline: Kafka ping round trip through the gateway (no database work) ...');
    for (let i = 0; i < 50; i++) await api.call('GET', '/v1/platform/ping/wallet');
    const pingSeq: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      const r = await api.call('GET', '/v1/platform/ping/wallet');
      if (r.status !== 200) throw new Error(`ping: HTTP ${r.status}`);
      pingSeq.push(performance.now() - t0);
    }
    log(`  one at a time p50 ${percentile(pingSeq, 50).toFixed(2)} ms`);

    log(`setting up ${MAX_CLIENTS} senders and recipients (tier 0 wallets, 500.00 CNY each) ...`);
    const users = await Promise.all(
      Array.from({ length: MAX_CLIENTS * 2 }, async (_, i) => {
        const id = `bench-${run}-${i}`;
        const token = await api.devToken(id, ['consumer'], 7200);
        const w = await api.call<{ walletId: string }>('POST', '/v1/wallets', {
          token,
          body: { currency: 'CNY' },
        });
        if (w.status !== 201) throw new Error(`open wallet: ${w.status} ${JSON.stringify(w.body)}`);
        return { id, token, walletId: w.body.walletId };
      }),
    );
    // Deposits are reported by the bank's side (an operator here), never by the wallet's owner.
    const bank = await api.devToken(`bank-${run}`, ['operator'], 7200);
    for (const u of users.slice(0, MAX_CLIENTS)) {
      const r = await api.call('POST', `/v1/wallets/${u.walletId}/top-ups`, {
        token: bank,
        idempotencyKey: 'auto',
        body: {
          amount: { amount: '500.00', currency: 'CNY' },
          participant: 'bank.bench',
          depositReference: `b-${run}-${u.id}`,
        },
      });
      if (r.status !== 201) throw new Error(`top-up: ${r.status} ${JSON.stringify(r.body)}`);
    }

    let measuring = false;
    const samples: Sample[] = [];
    let failures = 0;
    const transfer = async (c: number) => {
      const from = users[c]!;
      const to = users[MAX_CLIENTS + Math.floor(Math.random() * MAX_CLIENTS)]!;
      const t0 = performance.now();
      const r = await api.call('POST', `/v1/wallets/${from.walletId}/transfers`, {
        token: from.token,
        idempotencyKey: `k-${randomUUID()}`,
        body: { toUserId: to.id, amount: { amount: '0.01', currency: 'CNY' }, note: 'bench' },
      });
      const ms = performance.now() - t0;
      if (!measuring) return;
      if (r.status !== 201) {
        failures++;
        return;
      }
      samples.push({ ms, ...serverTiming(r.headers) });
    };
    const sweep: Array<{ clients: number; perS: number; p99: number; failed: number }> = [];
    for (const n of SWEEP) {
      await closedLoop(n, WARMUP_MS, transfer);
      samples.length = 0;
      failures = 0;
      measuring = true;
      const t0 = performance.now();
      await closedLoop(n, SWEEP_MS, transfer);
      measuring = false;
      const point = {
        clients: n,
        perS: samples.length / ((performance.now() - t0) / 1000),
        p99: percentile(
          samples.map((x) => x.ms),
          99,
        ),
        failed: failures,
      };
      sweep.push(point);
      log(
        `  sweep: ${n} clients: ${point.perS.toFixed(0)} transfers/s, p99 ${point.p99.toFixed(1)} ms, ${failures} failed`,
      );
    }
    // Candidates: the sweep points within the objective, highest throughput first. The full measurement
    // must meet the objective as well; when it does not, the next candidate is measured in full.
    const candidates = sweep
      .filter((x) => x.p99 < P99_SLO_MS && x.failed === 0)
      .sort((x, y) => y.perS - x.perS);
    if (candidates.length === 0) candidates.push(sweep[0]!);
    const walletDbName = walletDb.name;
    const gatewayDbName = gatewayDb.name;
    const gatewayPid = gateway.process.pid;
    const walletPid = wallet.process.pid;
    const cpu = new CpuAccounting([
      ['load_generator', (p) => p.pid === process.pid],
      ['gateway', (p) => p.pid === gatewayPid],
      ['wallet', (p) => p.pid === walletPid],
      ['kafka', (p) => p.cmdline.includes('kafka.Kafka')],
      ['postgres_wallet_db', (p) => p.cmdline.startsWith('postgres:') && p.cmdline.includes(walletDbName)],
      ['postgres_gateway_db', (p) => p.cmdline.startsWith('postgres:') && p.cmdline.includes(gatewayDbName)],
      [
        'postgres_shared',
        (p) =>
          /^postgres: (walwriter|checkpointer|background writer|autovacuum|logical|stats)/.test(p.cmdline),
      ],
    ]);
    let clients = 0;
    let logMark = 0;
    let elapsedS = 0;
    let cpuUsed: Record<string, number> = {};
    for (const candidate of candidates) {
      clients = candidate.clients;
      samples.length = 0;
      failures = 0;
      log(
        `warm-up ${WARMUP_MS} ms, then measuring P2P transfers for ${MEASURE_MS} ms with ${clients} concurrent clients ...`,
      );
      await closedLoop(clients, WARMUP_MS, transfer);
      logMark = wallet.lines.length;
      measuring = true;
      cpu.start();
      const started = performance.now();
      await closedLoop(clients, MEASURE_MS, transfer);
      elapsedS = (performance.now() - started) / 1000;
      cpuUsed = cpu.stop();
      measuring = false;
      const fullP99 = percentile(
        samples.map((x) => x.ms),
        99,
      );
      if (fullP99 < P99_SLO_MS && failures === 0) break;
      log(`  p99 ${fullP99.toFixed(1)} ms with ${clients} clients is over the objective`);
    }

    log(`baseline: Kafka ping round trips through the gateway with ${clients} clients ...`);
    const pingLat: number[] = [];
    const pingPerS = await closedLoop(clients, 5000, async () => {
      const t0 = performance.now();
      await api.call('GET', '/v1/platform/ping/wallet');
      pingLat.push(performance.now() - t0);
    });
    log(`  ${pingPerS.toFixed(0)} pings/s, p99 ${percentile(pingLat, 99).toFixed(1)} ms`);
    await new Promise((r) => setTimeout(r, 5500)); // the wallet's next latency log line
    const perS = samples.length / elapsedS;
    const cpuPerTransfer = cpuMsPerOperation(cpuUsed, samples.length);
    log(
      `  CPU ms per transfer by process (window ${cpuUsed['wall_s']!.toFixed(1)} s): ${Object.entries(
        cpuPerTransfer,
      )
        .map(([k, v]) => `${k} ${v.toFixed(3)}`)
        .join(', ')}`,
    );

    // Handler latency lines the wallet logged while we measured (n-weighted p50, worst p99).
    const handler = wallet.lines
      .slice(logMark)
      .filter((l) => l.includes('"msg":"handler latency"'))
      .map(
        (l) =>
          (JSON.parse(l) as { stats: Record<string, { n: number; p50: number; p99: number }> }).stats[
            'p2pTransfer'
          ],
      )
      .filter((s): s is { n: number; p50: number; p99: number } => !!s);
    const lastStats = wallet.lines
      .slice(logMark)
      .filter((l) => l.includes('"msg":"handler latency"'))
      .pop();
    if (lastStats)
      log(
        `  wallet handler stats (last interval): ${JSON.stringify((JSON.parse(lastStats) as { stats: unknown }).stats)}`,
      );
    const warnings = wallet.lines.slice(logMark).filter((l) => /"level":"(warn|error)"/.test(l));
    log(
      `  wallet warnings while measuring: ${warnings.length}${warnings.length ? ` (last: ${warnings[warnings.length - 1]!.slice(0, 300)})` : ''}`,
    );
    const hn = handler.reduce((s, h) => s + h.n, 0);
    const handlerP50 = hn ? handler.reduce((s, h) => s + h.p50 * h.n, 0) / hn : Number.NaN;
    const handlerP99 = handler.reduce((m, h) => Math.max(m, h.p99), 0);

    // Money is conserved: what the senders lost, the recipients gained, to the minor unit.
    const balances = await Promise.all(
      users.map(
        async (u) =>
          (
            await api.call<{ balance: { amount: string } }>('GET', `/v1/wallets/${u.walletId}`, {
              token: u.token,
            })
          ).body.balance.amount,
      ),
    );
    const cents = (a: string) => BigInt(a.replace('.', ''));
    const total = balances.reduce((s, b) => s + cents(b), 0n);
    if (total !== BigInt(MAX_CLIENTS) * 50_000n)
      throw new Error(`money not conserved: ${total} cents across all wallets`);

    const lat = samples.map((s) => s.ms);
    const idem = samples.map((s) => s.idem).filter(Number.isFinite);
    const walletRtt = samples.map((s) => s.wallet).filter(Number.isFinite);
    const http = samples.map((s) => s.ms - s.idem - s.wallet).filter(Number.isFinite);
    const p99 = percentile(lat, 99);
    log(
      `P2P: ${perS.toFixed(0)} transfers/s, p50 ${percentile(lat, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, ${failures} failed`,
    );
    log(
      `  hop gateway Idempotency-Key store: p50 ${percentile(idem, 50).toFixed(2)} ms, p99 ${percentile(idem, 99).toFixed(2)} ms`,
    );
    log(
      `  hop gateway -> Kafka -> wallet -> reply: p50 ${percentile(walletRtt, 50).toFixed(2)} ms, p99 ${percentile(walletRtt, 99).toFixed(2)} ms`,
    );
    log(
      `  hop inside the wallet handler (DB work before commit): p50 ${handlerP50.toFixed(2)} ms, p99 ${handlerP99.toFixed(2)} ms`,
    );
    log(
      `  hop HTTP and gateway routing (client total - the above): p50 ${percentile(http, 50).toFixed(2)} ms, p99 ${percentile(http, 99).toFixed(2)} ms`,
    );

    const metrics: Record<string, BenchMetric> = {
      p2p_transfers_per_s: { value: r2(perS), unit: 'transfers/s', target: 1000 },
      p2p_p99_ms: { value: r2(p99), unit: 'ms', target: 200 },
      p2p_p50_ms: { value: r2(percentile(lat, 50)), unit: 'ms' },
      p2p_failed: { value: failures, unit: 'requests', target: 0 },
      hop_gateway_idempotency_p50_ms: { value: r2(percentile(idem, 50)), unit: 'ms' },
      hop_gateway_idempotency_p99_ms: { value: r2(percentile(idem, 99)), unit: 'ms' },
      hop_kafka_wallet_roundtrip_p50_ms: { value: r2(percentile(walletRtt, 50)), unit: 'ms' },
      hop_kafka_wallet_roundtrip_p99_ms: { value: r2(percentile(walletRtt, 99)), unit: 'ms' },
      hop_wallet_handler_p50_ms: { value: r2(handlerP50), unit: 'ms' },
      hop_wallet_handler_p99_ms: { value: r2(handlerP99), unit: 'ms' },
      hop_http_p50_ms: { value: r2(percentile(http, 50)), unit: 'ms' },
      baseline_ping_rtt_p50_ms: { value: r2(percentile(pingSeq, 50)), unit: 'ms' },
      baseline_ping_per_s: { value: r2(pingPerS), unit: 'pings/s' },
      baseline_ledger_direct_per_s: { value: r2(direct.perS), unit: 'posts/s' },
      ratio_p2p_vs_ping_throughput: { value: r2(perS / pingPerS), unit: 'ratio' },
      ratio_p2p_vs_ledger_direct_throughput: { value: r2(perS / direct.perS), unit: 'ratio' },
      p2p_clients: { value: clients, unit: 'clients' },
      ...Object.fromEntries(
        sweep.flatMap((x) => [
          [`sweep_${x.clients}_clients_transfers_per_s`, { value: r2(x.perS), unit: 'transfers/s' }],
          [`sweep_${x.clients}_clients_p99_ms`, { value: r2(x.p99), unit: 'ms' }],
        ]),
      ),
      ...Object.fromEntries(
        Object.entries(cpuPerTransfer).map(([k, v]) => [
          `cpu_ms_per_transfer_${k}`,
          { value: Number(v.toFixed(3)), unit: 'cpu-ms' },
        ]),
      ),
    };
    writeBenchResult(
      'wallet',
      metrics,
      `Swept ${SWEEP.join('/')} concurrent HTTP clients for ${SWEEP_MS} ms each (sweep_* metrics); measured in full at ${clients}, ` +
        `the highest-throughput sweep point whose p99 met the ${P99_SLO_MS} ms objective in the sweep and in the full run. Each client sends 0.01 CNY P2P transfers from its own tier-0 wallet to a random one of ${MAX_CLIENTS} ` +
        `recipients, with a fresh Idempotency-Key per request; gateway and wallet as separate processes on this 2-core machine, ` +
        `sharing it with PostgreSQL, Kafka and the load generator. Broker and services warmed by ${BROKER_WARMUP_MS} ms of Kafka pings first (a JVM just started costs ~3x the CPU per request); P2P warm-up ${WARMUP_MS} ms, measured ${MEASURE_MS} ms; money conservation checked ` +
        `after the run. Baselines in the same run: Kafka ping through the gateway (${clients} clients) and direct ledger posts via GroupCommitter ` +
        `(${BASELINE_CALLERS} callers, no messaging).`,
    );
  } catch (err) {
    const problems = (wallet?.lines ?? []).filter((l) => /"level":"(error|fatal)"/.test(l));
    if (problems.length) console.error(`wallet errors:\n${problems.slice(-10).join('\n')}`);
    throw err;
  } finally {
    await gateway?.terminate('SIGTERM');
    await wallet?.terminate('SIGTERM');
    await walletDb?.drop();
    await gatewayDb?.drop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
