import type { ClientBase } from 'pg';
import type { ScoreDecisionDto } from '@paylend/contracts';

export interface DecisionAudit {
  channel: 'kafka' | 'http';
  requestId: string;
  policyVersion: string;
  inputs: Record<string, unknown>;
  behaviour: Record<string, unknown>;
  requestedAmount: { amount: string; currency: string };
  applicationRawScore: number;
}

/** Stores a decision with everything it rested on; returns its sequence number (the drift check's clock). */
export async function insertDecision(
  tx: ClientBase,
  d: ScoreDecisionDto,
  audit: DecisionAudit,
): Promise<bigint> {
  const { rows } = await tx.query<{ id: string }>({
    name: 'scoring-insert-decision',
    text: `INSERT INTO score_decisions (decision_id, application_id, borrower_id, channel, request_id, model_name,
       model_version, policy_version, inputs, behaviour, requested_amount, currency, application_pd,
       application_score, application_raw_score, pd, score, grade, sub_grade, decision, max_amount,
       reason_codes, decided_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11::numeric,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21::numeric,$22,$23)
     RETURNING id`,
    values: [
      d.decisionId,
      d.applicationId,
      d.borrowerId,
      audit.channel,
      audit.requestId,
      d.model.name,
      d.model.version,
      audit.policyVersion,
      JSON.stringify(audit.inputs),
      JSON.stringify(audit.behaviour),
      audit.requestedAmount.amount,
      audit.requestedAmount.currency,
      d.application.pd,
      d.application.score,
      audit.applicationRawScore,
      d.pd,
      d.score,
      d.grade,
      d.subGrade,
      d.decision,
      d.maxAmount.amount,
      JSON.stringify(d.reasonCodes),
      d.decidedAt,
    ],
  });
  return BigInt(rows[0]!.id);
}
