import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pingCommand, ScoreApplicationCommand, type ScoreApplication } from '@paylend/contracts';
import { startTestService } from '@paylend/platform/testing';
import { parseGermanCredit, loadModel } from '@paylend/scorecard';
import { freshDatabase, percentile, testBrokers, type BenchMetric } from '@paylend/testing';
import { scoringService } from '../apps/scoring/src/scoring.service';
import { KafkaPeer } from '../apps/scoring/src/testing/kafka-peer';

const ROOT = join(__dirname, '..');

export interface KafkaScoringResult {
  metrics: Record<string, BenchMetric>;
  notes: string;
}

interface Phase {
  latencies: number[];
  /** CPU time of this whole process (service + requester) per request, in ms. */
  cpuMsPerRequest: number;
  errors: number;
  refused: number;
  sent: number;
  seconds: number;
}

/**
 * Open-loop load: request i is due at start + i/rate, whether or not earlier ones have been answered, and
 * its latency counts from when it was due (not from when it was sent), so a stalled service shows up in
 * the tail instead of being hidden by a slower send rate (coordinated omission).
 */
async function paced(rate: number, seconds: number, send: (i: number) => Promise<boolean>): Promise<Phase> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let errors = 0;
  let refused = 0;
  const inFlight: Promise<void>[] = [];
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      send(i).then(
        (ok) => {
          latencies.push(performance.now() - due);
          if (!ok) refused++;
        },
        () => {
          errors++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  const cpu = process.cpuUsage(cpuStart);
  return {
    latencies,
    errors,
    refused,
    sent: total,
    seconds: (performance.now() - start) / 1000,
    cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / total,
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Long enough that a saturated service's backlog is measured as latency rather than dropped as errors. */
const REPLY_TIMEOUT_MS = 30_000;

/**
 * End-to-end score latency through the real broker and a running scoring service (started in-process on a
 * fresh database): a lending-like requester sends paced score commands with RequestClient and waits for
 * each reply. The baseline is the ping command at the same rate through the same service and transport
 * (inbox transaction, reply, offset commit, no scoring): the floor any command pays.
 */
export async function measureKafkaScoring(rate = 200, seconds = 15): Promise<KafkaScoringResult> {
  const model = loadModel(readFileSync(join(ROOT, 'libs/scorecard/models/german-credit.v1.json'), 'utf8'));
  const names = model.attributes.map((a) => a.name);
  const rows = parseGermanCredit(
    readFileSync(join(ROOT, 'libs/scorecard/data/german-credit/german.data'), 'utf8'),
  ).rows;
  const command = (i: number): ScoreApplication => ({
    applicationId: `bench-${Date.now()}-${i}`,
    borrowerId: `bench-borrower-${i % 500}`,
    requestedAmount: { amount: '5000.00', currency: 'CNY' },
    application: Object.fromEntries(names.map((n) => [n, rows[i % rows.length]![n] ?? null])),
  });

  const db = await freshDatabase('scoring_bench', [
    'libs/messaging/migrations',
    'libs/scoring/data-access/prisma/migrations',
  ]);
  const svc = await startTestService(scoringService, db.url, { LOG_LEVEL: 'error' });
  const peer = await KafkaPeer.start(testBrokers());
  try {
    const score = async (i: number) =>
      (await peer.requests.request(ScoreApplicationCommand, command(i), REPLY_TIMEOUT_MS)).ok;
    const ping = async () =>
      (
        await peer.requests.request(
          pingCommand('scoring'),
          { from: 'bench', sentAt: new Date().toISOString() },
          REPLY_TIMEOUT_MS,
        )
      ).ok;
    // The service answers only once its consumer has joined the group and owns the partitions; between
    // phases, requests left queued by a saturated phase must drain before the next one is measured.
    const settle = async () => {
      const since = performance.now();
      for (;;) {
        const t = performance.now();
        const answered = await peer.requests
          .request(pingCommand('scoring'), { from: 'bench', sentAt: new Date().toISOString() }, 2000)
          .then(
            () => true,
            () => false,
          );
        if (answered && performance.now() - t < 200) return;
        if (performance.now() - since > 120_000) throw new Error('the scoring service never settled');
      }
    };
    await settle();
    await paced(50, 4, score); // warm-up: JIT, connections
    await settle();
    const light = await paced(Math.min(50, rate), 5, score);
    await settle();
    const scored = await paced(rate, seconds, score);
    await settle();
    const floor = await paced(rate, seconds, ping);
    const stats = (p: Phase) => ({
      p50: round(percentile(p.latencies, 50)),
      p99: round(percentile(p.latencies, 99)),
      max: round(Math.max(...p.latencies)),
      rate: round(p.latencies.length / p.seconds),
    });
    const s = stats(scored);
    const f = stats(floor);
    const l = stats(light);
    return {
      metrics: {
        kafka_score_p99_ms: { value: s.p99, unit: 'ms', target: 50 },
        kafka_score_p50_ms: { value: s.p50, unit: 'ms' },
        kafka_score_achieved_rps: { value: s.rate, unit: 'requests/s', target: rate },
        kafka_ping_p99_ms: { value: f.p99, unit: 'ms' },
        kafka_ping_p50_ms: { value: f.p50, unit: 'ms' },
        kafka_score_p99_vs_ping_p99: { value: round(s.p99 / f.p99), unit: 'ratio' },
        kafka_score_errors: { value: scored.errors + scored.refused, unit: 'requests', target: 0 },
        kafka_score_p99_ms_at_50_rps: { value: l.p99, unit: 'ms' },
        kafka_score_cpu_ms_per_request: { value: round(scored.cpuMsPerRequest), unit: 'ms' },
        kafka_ping_cpu_ms_per_request: { value: round(floor.cpuMsPerRequest), unit: 'ms' },
      },
      notes:
        `Kafka: ${scored.sent} score commands paced open-loop at ${rate}/s for ${seconds} s from a lending-like RequestClient ` +
        `to the scoring service running in-process (startTestService, fresh database, real broker ${testBrokers().join(',')}); ` +
        `latency from each request's due time to its validated reply (p50 ${s.p50} ms, p99 ${s.p99} ms, max ${s.max} ms, ` +
        `achieved ${s.rate}/s, ${scored.errors} timeouts/errors, ${scored.refused} refusals). Each command is one inbox ` +
        `transaction (feature read + decision insert) + reply + offset commit. Baseline in the same run: ${floor.sent} ping ` +
        `commands at ${rate}/s through the same service (p50 ${f.p50} ms, p99 ${f.p99} ms, max ${f.max} ms, achieved ${f.rate}/s): ` +
        `the transport floor. At 50/s the score p50/p99 is ${l.p50}/${l.p99} ms. CPU of this process (service + requester + ` +
        `kafkajs on both ends) per request: score ${round(scored.cpuMsPerRequest)} ms, ping ${round(floor.cpuMsPerRequest)} ms; ` +
        `load average at the end ${os
          .loadavg()
          .map((x) => x.toFixed(1))
          .join('/')} on ${os.cpus().length} cores.`,
    };
  } finally {
    await peer.stop();
    await svc.stop();
    await db.drop();
  }
}
