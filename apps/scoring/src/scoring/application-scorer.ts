import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ClientBase } from 'pg';
import type { Reply, ReasonCodeDto, ScoreApplication, ScoreDecisionDto } from '@paylend/contracts';
import { Money, type Clock } from '@paylend/ledger';
import { logOddsBad, rawScore, scoreApplication, type Scorecard } from '@paylend/scorecard';
import { insertDecision, readBorrowerFeatures } from '@paylend/scoring-data-access';
import { validateScoreRequest } from '../application/score-request';
import type { DriftSettings } from '../config/scoring-config';
import { CLOCK, DRIFT_SETTINGS, SCORING_MODEL } from '../model/scoring-model';
import { checkDrift } from '../monitoring/drift-monitor';
import { behaviourAdjustment, type BehaviourFeatures } from '../policy/behaviour-policy';
import { decide, pointsOf, POLICY_VERSION } from '../policy/decision-policy';

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * The score use case, the same for Kafka and HTTP: validate against the model, read the borrower's
 * behaviour features, score, apply the policy, store the decision for audit and, every N-th decision,
 * check population stability — all on the caller's transaction, so a redelivered command changes nothing.
 */
@Injectable()
export class ApplicationScorer {
  constructor(
    @Inject(SCORING_MODEL) private readonly model: Scorecard,
    @Inject(DRIFT_SETTINGS) private readonly drift: DriftSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async score(
    tx: ClientBase,
    request: ScoreApplication,
    origin: { channel: 'kafka' | 'http'; requestId: string },
  ): Promise<Reply<ScoreDecisionDto>> {
    const valid = validateScoreRequest(this.model, request);
    if (!valid.ok) return { ok: false, error: valid.error.toBody() };
    const { requested, application } = valid.value;
    const model = this.model;
    const now = this.clock.now();

    const scored = scoreApplication(model, application);
    const appLogOdds = logOddsBad(model, application);
    const row = await readBorrowerFeatures(tx, request.borrowerId, requested.currency.code);
    const features: BehaviourFeatures = {
      onTimeRepayments: row.onTimeRepayments,
      lateRepayments: row.lateRepayments,
      walletOpenedAt: row.walletOpenedAt,
      // NUMERIC(38,8) carries zeros beyond the currency's exponent; the inflows themselves are whole minor units.
      inflows: Money.of(row.inflows, requested.currency.code, 'DOWN'),
    };
    const behaviour = behaviourAdjustment(features, requested, now);
    const result = decide(model, {
      applicationLogOdds: appLogOdds,
      behaviourLogOdds: behaviour.logOdds,
      lateRepayments: features.lateRepayments,
      requested,
    });

    const reasonCodes: ReasonCodeDto[] = [
      ...scored.reasonCodes.map((r) => ({
        code: `SC_${r.attribute.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`,
        source: 'scorecard' as const,
        description: `${r.attribute} in bin ${r.bin}`,
        pointsLost: round2(r.pointsLost),
      })),
      ...behaviour.effects
        .filter((e) => e.logOdds > 0)
        .map((e) => ({
          code: `BH_${e.factor}`,
          source: 'behaviour' as const,
          description: e.description,
          pointsLost: round2(pointsOf(e, model)),
        })),
    ].sort((a, b) => b.pointsLost - a.pointsLost);

    const decision: ScoreDecisionDto = {
      decisionId: randomUUID(),
      applicationId: request.applicationId,
      borrowerId: request.borrowerId,
      model: { name: model.artifact.model.name, version: model.artifact.model.version },
      policyVersion: POLICY_VERSION,
      pd: result.pd,
      score: result.score,
      grade: result.grade,
      subGrade: result.subGrade,
      decision: result.decision,
      maxAmount: { amount: result.maxAmount.amount, currency: result.maxAmount.currency.code },
      reasonCodes,
      application: { pd: scored.pd, score: scored.score },
      behaviour: {
        logOddsAdjustment: behaviour.logOdds,
        onTimeRepayments: features.onTimeRepayments,
        lateRepayments: features.lateRepayments,
        walletAgeDays: behaviour.walletAgeDays,
        inflows: { amount: features.inflows.amount, currency: features.inflows.currency.code },
      },
      decidedAt: now.toISOString(),
    };
    const seq = await insertDecision(tx, decision, {
      ...origin,
      policyVersion: POLICY_VERSION,
      inputs: application,
      behaviour: {
        features: { ...decision.behaviour, walletOpenedAt: features.walletOpenedAt?.toISOString() ?? null },
        effects: behaviour.effects,
      },
      requestedAmount: request.requestedAmount,
      applicationRawScore: rawScore(appLogOdds, model.scaling),
    });
    if (seq % BigInt(this.drift.checkEvery) === 0n) await checkDrift(tx, model, this.drift, now);
    return { ok: true, value: decision };
  }
}
