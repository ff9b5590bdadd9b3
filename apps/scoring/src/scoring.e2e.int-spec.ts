import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import { Client } from 'pg';
import {
  ModelDriftDetected,
  PopulationStabilityCommand,
  RepaymentRecorded,
  ScoreApplicationCommand,
  TransferPosted,
  WalletOpened,
  type PopulationStabilityDto,
  type ScoreApplication,
  type ScoreDecisionDto,
} from '@paylend/contracts';
import { HEADER } from '@paylend/messaging';
import type { RunningService } from '@paylend/platform';
import { startTestService } from '@paylend/platform/testing';
import { parseGermanCredit } from '@paylend/scorecard';
import { eventually, freshDatabase, testBrokers, WORKSPACE_ROOT, type TestDatabase } from '@paylend/testing';
import { scoringService } from './scoring.service';
import { KafkaPeer } from './testing/kafka-peer';

const GOOD = {
  checking_account: 'A14',
  duration_months: 12,
  credit_history: 'A34',
  purpose: 'A43',
  credit_amount: 2000,
  savings: 'A65',
  employment_since: 'A74',
  installment_rate_pct: 2,
  property: 'A121',
  other_installment_plans: 'A143',
  housing: 'A152',
};
/** PD ≈ 13.8% with the reference model: refer on the application alone. */
const BORDERLINE = { ...GOOD, checking_account: 'A12', credit_history: 'A32', duration_months: 36 };
/** PD ≈ 93%: far below anything in training, so a batch of them drifts the population. */
const POOR = {
  ...GOOD,
  checking_account: 'A11',
  credit_history: 'A30',
  duration_months: 48,
  credit_amount: 9000,
  installment_rate_pct: 4,
  purpose: 'A40',
  savings: 'A61',
  employment_since: 'A72',
};

const DAY = 86_400_000;
let db: TestDatabase;
let svc: RunningService;
let peer: KafkaPeer;
let sql: Client;

const run = randomUUID().slice(0, 8);
const cmd = (
  borrowerId: string,
  application: Record<string, unknown>,
  amount = '1000.00',
): ScoreApplication => ({
  applicationId: `app-${randomUUID()}`,
  borrowerId: `${borrowerId}-${run}`,
  requestedAmount: { amount, currency: 'CNY' },
  application: application as ScoreApplication['application'],
});
const score = (c: ScoreApplication) => peer.requests.request(ScoreApplicationCommand, c, 15_000);
async function decided(c: ScoreApplication): Promise<ScoreDecisionDto> {
  const reply = await score(c);
  if (!reply.ok) throw new Error(`refused: ${reply.error.code} ${reply.error.message}`);
  return reply.value;
}
const repayment = (borrower: string, onTime: boolean, repaymentId = `r-${randomUUID()}`) => ({
  repaymentId,
  borrowerId: `${borrower}-${run}`,
  loanId: `loan-${run}`,
  dueDate: '2026-10-01',
  paidAt: onTime ? '2026-09-30T10:00:00.000Z' : '2026-10-09T10:00:00.000Z',
  onTime,
  amount: { amount: '100.00', currency: 'CNY' },
});
async function features(borrower: string) {
  const { rows } = await sql.query<{ on_time_repayments: number; late_repayments: number }>(
    'SELECT on_time_repayments, late_repayments FROM borrower_features WHERE borrower_id = $1',
    [`${borrower}-${run}`],
  );
  return rows[0] ?? { on_time_repayments: 0, late_repayments: 0 };
}

beforeAll(async () => {
  db = await freshDatabase('scoring_e2e', [
    'libs/messaging/migrations',
    'libs/scoring/data-access/prisma/migrations',
  ]);
  svc = await startTestService(scoringService, db.url, {
    SCORING_PSI_WINDOW: '100',
    SCORING_PSI_MIN_SAMPLE: '100',
    SCORING_PSI_CHECK_EVERY: '20',
  });
  peer = await KafkaPeer.start(testBrokers());
  sql = new Client({ connectionString: db.url });
  await sql.connect();
}, 90_000);

afterAll(async () => {
  await peer?.stop();
  await svc?.stop();
  await sql?.end();
  await db?.drop();
});

describe('scoring over the real broker', () => {
  it('answers a score command with PD, score, grade, reason codes, a decision and a maximum amount, and stores it for audit', async () => {
    const empty = (await (
      await fetch(`${svc.url}/v1/scoring/monitoring/psi`)
    ).json()) as PopulationStabilityDto;
    expect(empty).toMatchObject({ psi: null, status: 'insufficient-data', sampleSize: 0, alerting: false });

    const request = cmd('good', GOOD, '1000.01');
    const d = await decided(request);
    expect(d).toMatchObject({
      applicationId: request.applicationId,
      model: { name: 'german-credit', version: 1 },
      grade: 'A',
      subGrade: 'A4',
      decision: 'approve',
      maxAmount: { amount: '1500.01', currency: 'CNY' },
      behaviour: { onTimeRepayments: 0, lateRepayments: 0, walletAgeDays: null, logOddsAdjustment: 0 },
    });
    expect(d.pd).toBeCloseTo(0.0122, 3);
    expect(d.score).toBe(717);
    for (const r of d.reasonCodes) expect(r.code).toMatch(/^SC_[A-Z_]+$/);

    const audit = await (await fetch(`${svc.url}/v1/scoring/decisions/${d.decisionId}`)).json();
    expect(audit).toMatchObject({
      decisionId: d.decisionId,
      channel: 'kafka',
      model: { name: 'german-credit', version: 1 },
      policyVersion: d.policyVersion,
      inputs: GOOD,
      requestedAmount: { amount: '1000.01', currency: 'CNY' },
      decision: 'approve',
      maxAmount: { amount: '1500.01', currency: 'CNY' },
    });
  });

  it('decides a redelivered score command once', async () => {
    const request = cmd('redelivered', GOOD);
    const messageId = await peer.publish(ScoreApplicationCommand, request);
    await peer.publish(ScoreApplicationCommand, request, messageId);
    // Same borrower, so the same partition: once this is answered, both deliveries above were handled.
    await decided(cmd('redelivered', GOOD));
    const { rows } = await sql.query('SELECT request_id FROM score_decisions WHERE application_id = $1', [
      request.applicationId,
    ]);
    expect(rows).toEqual([{ request_id: messageId }]);
  });

  it('refuses bad inputs over Kafka with stable codes and stores no decision for them', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ ...GOOD, age_years: 41 }, 'PROTECTED_ATTRIBUTE', /"age_years" is a protected attribute/],
      [{ ...GOOD, Foreign_Worker: 'A201' }, 'PROTECTED_ATTRIBUTE', /protected attribute/],
      [{ ...GOOD, duration_months: undefined }, 'MISSING_ATTRIBUTE', /"duration_months" is required/],
      [
        { ...GOOD, duration_months: 600 },
        'OUT_OF_RANGE',
        /"duration_months" must be a whole number between 1 and 120/,
      ],
      [{ ...GOOD, purpose: 'A99' }, 'INVALID_ATTRIBUTE', /purpose/],
      [{ ...GOOD, favourite_colour: 'blue' }, 'UNKNOWN_ATTRIBUTE', /no attribute "favourite_colour"/],
    ];
    for (const [application, code, message] of cases) {
      const { duration_months, ...rest } = application;
      const c = cmd('bad', duration_months === undefined ? rest : application);
      const reply = await score(c);
      expect(reply).toMatchObject({ ok: false, error: { code, message: expect.stringMatching(message) } });
      const { rows } = await sql.query('SELECT 1 FROM score_decisions WHERE application_id = $1', [
        c.applicationId,
      ]);
      expect(rows).toHaveLength(0);
    }
    const amount = await score({
      ...cmd('bad', GOOD),
      requestedAmount: { amount: '10.001', currency: 'CNY' },
    });
    expect(amount).toMatchObject({ ok: false, error: { code: 'INVALID_AMOUNT' } });
    // A request that breaks the command's wire shape is refused by the requester before it is sent.
    await expect(
      score({ ...cmd('bad', GOOD), requestedAmount: { amount: 10 as unknown as string, currency: 'CNY' } }),
    ).rejects.toMatchObject({ code: 'CONTRACT_VIOLATION' });
  });

  it('scores over HTTP with the same rules, refusing bad bodies with stable codes', async () => {
    const post = (body: unknown) =>
      fetch(`${svc.url}/v1/scoring/score`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await post(cmd('http', GOOD));
    expect(ok.status).toBe(200);
    const viaHttp = (await ok.json()) as ScoreDecisionDto;
    expect(viaHttp).toMatchObject({ decision: 'approve', grade: 'A' });
    const audit = await (await fetch(`${svc.url}/v1/scoring/decisions/${viaHttp.decisionId}`)).json();
    expect(audit).toMatchObject({ channel: 'http', inputs: GOOD, decision: 'approve' });
    expect((await fetch(`${svc.url}/v1/scoring/decisions/${randomUUID()}`)).status).toBe(404);

    const protectedBeside = await post({ ...cmd('http', GOOD), gender: 'F' });
    expect(protectedBeside.status).toBe(422);
    expect(await protectedBeside.json()).toMatchObject({ code: 'PROTECTED_ATTRIBUTE' });
    const protectedInside = await post(cmd('http', { ...GOOD, dateOfBirth: '1980-01-01' }));
    expect(await protectedInside.json()).toMatchObject({
      code: 'PROTECTED_ATTRIBUTE',
      message: expect.stringContaining('dateOfBirth'),
    });
    const malformed = await post({ applicationId: 'x' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      code: 'INVALID_REQUEST',
      details: { issues: expect.any(Array) },
    });
    const outOfRange = await post(cmd('http', { ...GOOD, installment_rate_pct: 9 }));
    expect(outOfRange.status).toBe(422);
    expect(await outOfRange.json()).toMatchObject({ code: 'OUT_OF_RANGE' });
  });

  it('shifts decisions with repayment events per the policy, applying a duplicate event once', async () => {
    expect((await decided(cmd('late', GOOD))).decision).toBe('approve');

    const late = repayment('late', false);
    const messageId = await peer.publish(RepaymentRecorded, late);
    await peer.publish(RepaymentRecorded, late, messageId); // redelivery: same message id
    await peer.publish(RepaymentRecorded, late); // re-published: same repayment id, new message id
    await peer.publish(RepaymentRecorded, repayment('late', true)); // a marker behind them on the same partition
    await eventually(
      'marker repayment applied',
      async () => (await features('late')).on_time_repayments === 1,
    );
    expect(await features('late')).toEqual({ on_time_repayments: 1, late_repayments: 1 });
    const { rows } = await sql.query('SELECT 1 FROM messaging.inbox WHERE message_id = $1', [messageId]);
    expect(rows).toHaveLength(1);

    const referred = await decided(cmd('late', GOOD));
    expect(referred).toMatchObject({
      decision: 'refer',
      behaviour: { lateRepayments: 1, onTimeRepayments: 1 },
    });
    expect(referred.reasonCodes.map((r) => r.code)).toContain('BH_LATE_REPAYMENTS');
    expect(referred.pd).toBeGreaterThan(0.0122);

    await peer.publish(RepaymentRecorded, repayment('late', false));
    await peer.publish(RepaymentRecorded, repayment('late', false));
    await eventually(
      'two more late repayments applied',
      async () => (await features('late')).late_repayments === 3,
    );
    expect(await decided(cmd('late', GOOD))).toMatchObject({
      decision: 'decline',
      maxAmount: { amount: '0.00', currency: 'CNY' },
    });
  });

  it('turns a referral into an approval with on-time repayments, wallet age and inflows', async () => {
    const alone = await decided(cmd('steady', BORDERLINE));
    expect(alone).toMatchObject({ decision: 'refer', grade: 'D' });

    const walletId = `w-steady-${run}`;
    const openedAt = new Date(Date.now() - 400 * DAY).toISOString();
    // The transfer is consumed before the wallet's opening is known: inflows are kept per wallet, so it counts.
    await peer.publish(TransferPosted, {
      transferId: `t-${randomUUID()}`,
      kind: 'top-up',
      fromWalletId: null,
      toWalletId: walletId,
      amount: { amount: '3000.00', currency: 'CNY' },
      note: null,
      at: new Date().toISOString(),
    });
    await peer.publish(WalletOpened, {
      walletId,
      userId: `steady-${run}`,
      currency: 'CNY',
      tier: 1,
      at: openedAt,
    });
    for (let i = 0; i < 8; i++) await peer.publish(RepaymentRecorded, repayment('steady', true));
    await eventually('repayments applied', async () => (await features('steady')).on_time_repayments === 8);
    await eventually('wallet and inflow applied', async () => {
      const { rows } = await sql.query(
        'SELECT 1 FROM wallet_owners o JOIN wallet_inflows i USING (wallet_id) WHERE o.wallet_id = $1',
        [walletId],
      );
      return rows.length === 1;
    });

    const later = await decided(cmd('steady', BORDERLINE));
    expect(later).toMatchObject({
      decision: 'approve',
      behaviour: {
        onTimeRepayments: 8,
        lateRepayments: 0,
        walletAgeDays: 400,
        inflows: { amount: '3000.00', currency: 'CNY' },
      },
      application: { pd: alone.application.pd, score: alone.application.score },
    });
    expect(later.pd).toBeLessThan(0.1);
    expect(later.behaviour.logOddsAdjustment).toBeCloseTo(-1.5); // clamped at the policy's floor
  });

  it('raises scoring.model.drift-detected.v1 once when a drifted batch moves the PSI above 0.25', async () => {
    const consumer: Consumer = peer.kafka.consumer({ groupId: `scoring-drift-test-${run}` });
    const seen: Array<{ messageId: string; value: unknown }> = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [ModelDriftDetected.topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push({
          messageId: message.headers?.[HEADER.messageId]?.toString() ?? '',
          value: JSON.parse(message.value!.toString()),
        });
      },
    });
    try {
      // A batch like the training population: stable, no alert.
      const german = parseGermanCredit(
        readFileSync(join(WORKSPACE_ROOT, 'libs/scorecard/data/german-credit/german.data'), 'utf8'),
      );
      const names = Object.keys(GOOD);
      const stable = german.rows
        .slice(0, 100)
        .map((row) => cmd('population', Object.fromEntries(names.map((n) => [n, row[n] ?? null]))));
      const stableReplies = await Promise.all(stable.map(score));
      expect(stableReplies.every((r) => r.ok)).toBe(true);
      const calm = (await (
        await fetch(`${svc.url}/v1/scoring/monitoring/psi`)
      ).json()) as PopulationStabilityDto;
      expect(calm).toMatchObject({ sampleSize: 100, alerting: false });
      expect(calm.psi!).toBeLessThan(0.25);

      // A batch of poor applications: the population has moved.
      await Promise.all(Array.from({ length: 100 }, () => decided(cmd('drift', POOR))));
      const drifted = (await (
        await fetch(`${svc.url}/v1/scoring/monitoring/psi`)
      ).json()) as PopulationStabilityDto;
      expect(drifted).toMatchObject({ status: 'drifted', sampleSize: 100, alerting: true, threshold: 0.25 });
      expect(drifted.psi!).toBeGreaterThan(0.25);

      const { rows } = await sql.query<{ message_id: string }>(
        'SELECT message_id FROM messaging.outbox WHERE topic = $1',
        [ModelDriftDetected.topic],
      );
      expect(rows).toHaveLength(1); // several checks ran above the threshold; one alert per crossing
      await eventually(
        'drift alert consumed from Kafka',
        () => seen.some((m) => m.messageId === rows[0]!.message_id),
        30_000,
      );
      expect(seen.find((m) => m.messageId === rows[0]!.message_id)!.value).toMatchObject({
        model: { name: 'german-credit', version: 1 },
        threshold: 0.25,
        sampleSize: 100,
        psi: expect.any(Number),
      });

      // The same report over Kafka, as the gateway reads it.
      const viaKafka = await peer.requests.request(
        PopulationStabilityCommand,
        { requestedBy: 'test' },
        15_000,
      );
      expect(viaKafka).toMatchObject({ ok: true, value: { status: 'drifted', alerting: true } });

      // The population recovers: the alert is re-armed, and the next drift raises a second one.
      const recovered = german.rows
        .slice(100, 200)
        .map((row) => cmd('population', Object.fromEntries(names.map((n) => [n, row[n] ?? null]))));
      await Promise.all(recovered.map(score));
      const calmAgain = (await (
        await fetch(`${svc.url}/v1/scoring/monitoring/psi`)
      ).json()) as PopulationStabilityDto;
      expect(calmAgain).toMatchObject({ alerting: false });
      expect(calmAgain.psi!).toBeLessThan(0.25);
      await Promise.all(Array.from({ length: 100 }, () => decided(cmd('drift', POOR))));
      const again = await sql.query('SELECT 1 FROM messaging.outbox WHERE topic = $1', [
        ModelDriftDetected.topic,
      ]);
      expect(again.rows).toHaveLength(2);
    } finally {
      await consumer.disconnect();
    }
  }, 120_000);
});
