import { Money } from '@paylend/ledger';
import type { ScoringPrismaClient } from '../prisma';

export const DECISION_READER = Symbol('DECISION_READER');

export interface StoredDecision {
  decisionId: string;
  applicationId: string;
  borrowerId: string;
  channel: string;
  requestId: string;
  model: { name: string; version: number };
  policyVersion: string;
  inputs: unknown;
  behaviour: unknown;
  requestedAmount: { amount: string; currency: string };
  pd: number;
  score: number;
  grade: string;
  subGrade: string;
  decision: string;
  maxAmount: { amount: string; currency: string };
  reasonCodes: unknown;
  decidedAt: string;
}

export interface DecisionReader {
  byDecisionId(decisionId: string): Promise<StoredDecision | null>;
  countByApplication(applicationId: string): Promise<number>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads stored decisions through the service's Prisma client (audit and tests). */
export function prismaDecisionReader(prisma: ScoringPrismaClient): DecisionReader {
  return {
    async byDecisionId(decisionId) {
      if (!UUID.test(decisionId)) return null;
      const d = await prisma.scoreDecision.findUnique({ where: { decisionId } });
      if (!d) return null;
      return {
        decisionId: d.decisionId,
        applicationId: d.applicationId,
        borrowerId: d.borrowerId,
        channel: d.channel,
        requestId: d.requestId,
        model: { name: d.modelName, version: d.modelVersion },
        policyVersion: d.policyVersion,
        inputs: d.inputs,
        behaviour: d.behaviour,
        // Stored as numeric; answered as the live reply gave it, with the currency's minor digits ("0.00").
        requestedAmount: Money.of(d.requestedAmount.toFixed(), d.currency).toJSON(),
        pd: d.pd,
        score: d.score,
        grade: d.grade,
        subGrade: d.subGrade,
        decision: d.decision,
        maxAmount: Money.of(d.maxAmount.toFixed(), d.currency).toJSON(),
        reasonCodes: d.reasonCodes,
        decidedAt: d.decidedAt.toISOString(),
      };
    },
    countByApplication(applicationId) {
      return prisma.scoreDecision.count({ where: { applicationId } });
    },
  };
}
