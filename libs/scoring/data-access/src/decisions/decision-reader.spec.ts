import Decimal from 'decimal.js';
import type { ScoringPrismaClient } from '../prisma';
import { prismaDecisionReader } from './decision-reader';

const DECISION_ID = '5b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

/** A stored decision row as Prisma returns it: numeric columns come back as decimals, trailing zeros lost. */
function storedRow(maxAmount: string, requestedAmount: string) {
  return {
    decisionId: DECISION_ID,
    applicationId: 'app-1',
    borrowerId: 'b-1',
    channel: 'gateway',
    requestId: 'r-1',
    modelName: 'german-credit',
    modelVersion: 1,
    policyVersion: 'p1',
    inputs: {},
    behaviour: {},
    requestedAmount: new Decimal(requestedAmount),
    currency: 'CNY',
    pd: 0.0122,
    score: 700,
    grade: 'A',
    subGrade: 'A1',
    decision: 'decline',
    maxAmount: new Decimal(maxAmount),
    reasonCodes: [],
    decidedAt: new Date('2026-11-29T00:00:00.000Z'),
  };
}

describe('prismaDecisionReader', () => {
  it('answers amounts with the currency minor digits, as the live reply gave them', async () => {
    const row = storedRow('0.00000000', '1000.00000000');
    const prisma = {
      scoreDecision: { findUnique: async () => row },
    } as unknown as ScoringPrismaClient;
    const d = await prismaDecisionReader(prisma).byDecisionId(DECISION_ID);
    expect(d?.maxAmount).toEqual({ amount: '0.00', currency: 'CNY' });
    expect(d?.requestedAmount).toEqual({ amount: '1000.00', currency: 'CNY' });
  });
});
