import { z } from 'zod';
import { IdString, MoneySchema } from '../common/money.schema';
import { defineEvent } from '../message-contract';

export const RepaymentRecordedSchema = z
  .object({
    repaymentId: IdString,
    borrowerId: IdString,
    loanId: IdString,
    dueDate: z.iso.date(),
    paidAt: z.iso.datetime(),
    /** Paid by the end of the due date (the lending service's rule, including any grace days). */
    onTime: z.boolean(),
    amount: MoneySchema,
  })
  .strict();
export type RepaymentRecorded = z.infer<typeof RepaymentRecordedSchema>;

/** Lending records a repayment of an instalment; scoring keeps the borrower's repayment record from it. */
export const RepaymentRecorded = defineEvent({
  context: 'lending',
  entity: 'repayment',
  event: 'recorded',
  version: 1,
  schema: RepaymentRecordedSchema,
  key: (v) => v.borrowerId,
});
