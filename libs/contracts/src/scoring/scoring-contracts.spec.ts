import { isCommandTopic, isEventTopic } from '../topic-names';
import { ContractViolation, validateMessage } from '../message-contract';
import { ModelDriftDetected } from './drift-detected.event';
import { PopulationStabilityCommand } from './population-stability.command';
import { RepaymentRecorded } from './repayment-recorded.event';
import { ScoreApplicationCommand } from './score-application.command';

const request = {
  applicationId: 'app-1',
  borrowerId: 'b-1',
  requestedAmount: { amount: '1000.00', currency: 'CNY' },
  application: { duration_months: 12, checking_account: 'A14', savings: null },
};

describe('scoring contracts', () => {
  it('follow the topic naming rules', () => {
    expect(ScoreApplicationCommand.topic).toBe('scoring.score-application.cmd.v1');
    expect(PopulationStabilityCommand.topic).toBe('scoring.population-stability.cmd.v1');
    expect(isCommandTopic(ScoreApplicationCommand.topic)).toBe(true);
    expect(ModelDriftDetected.topic).toBe('scoring.model.drift-detected.v1');
    expect(RepaymentRecorded.topic).toBe('lending.repayment.recorded.v1');
    expect(isEventTopic(RepaymentRecorded.topic)).toBe(true);
  });

  it('key score requests and repayments by borrower, so one borrower stays in order', () => {
    expect(ScoreApplicationCommand.keyOf(request)).toBe('b-1');
    const repayment = {
      repaymentId: 'r-1',
      borrowerId: 'b-9',
      loanId: 'l-1',
      dueDate: '2026-10-01',
      paidAt: '2026-10-01T09:00:00.000Z',
      onTime: true,
      amount: { amount: '10.00', currency: 'CNY' },
    };
    expect(RepaymentRecorded.keyOf(validateMessage(RepaymentRecorded, repayment))).toBe('b-9');
    expect(() =>
      validateMessage(RepaymentRecorded, { ...repayment, amount: { amount: 10, currency: 'CNY' } }),
    ).toThrow(ContractViolation);
  });

  it('carry money as decimal strings and refuse other shapes', () => {
    expect(validateMessage(ScoreApplicationCommand, request)).toEqual(request);
    for (const bad of [
      { ...request, requestedAmount: { amount: 1000, currency: 'CNY' } },
      { ...request, requestedAmount: { amount: '1e3', currency: 'CNY' } },
      { ...request, application: { nested: { a: 1 } } },
      { ...request, extra: true },
      { ...request, borrowerId: '' },
    ]) {
      expect(() => validateMessage(ScoreApplicationCommand, bad)).toThrow(ContractViolation);
    }
  });
});
