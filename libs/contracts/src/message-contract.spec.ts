import { ContractViolation, validateMessage } from './message-contract';
import { ServiceStarted } from './platform/service-started.event';
import { MoneySchema } from './common/money.schema';

describe('message contracts', () => {
  const valid = {
    service: 'wallet',
    instanceId: 'w-1',
    startedAt: '2026-11-28T10:00:00.000Z',
    version: '0.1.0',
  };

  it('accepts a valid message and keys it by its entity', () => {
    expect(validateMessage(ServiceStarted, valid)).toEqual(valid);
    expect(ServiceStarted.keyOf(valid as never)).toBe('wallet');
    expect(ServiceStarted.topic).toBe('platform.service.started.v1');
  });

  it('names every field that is wrong', () => {
    try {
      validateMessage(ServiceStarted, { ...valid, service: 'bank', extra: 1 });
      throw new Error('expected a violation');
    } catch (err) {
      expect(err).toBeInstanceOf(ContractViolation);
      expect((err as ContractViolation).message).toMatch(/service/);
      expect((err as ContractViolation).message).toMatch(/extra/);
    }
  });

  it('carries money only as a decimal string with a currency', () => {
    expect(MoneySchema.safeParse({ amount: '12.50', currency: 'CNY' }).success).toBe(true);
    expect(MoneySchema.safeParse({ amount: 12.5, currency: 'CNY' }).success).toBe(false);
    expect(MoneySchema.safeParse({ amount: '1e3', currency: 'CNY' }).success).toBe(false);
    expect(MoneySchema.safeParse({ amount: '12.50', currency: 'cny' }).success).toBe(false);
    expect(MoneySchema.safeParse({ amount: '012', currency: 'CNY' }).success).toBe(false);
  });
});
