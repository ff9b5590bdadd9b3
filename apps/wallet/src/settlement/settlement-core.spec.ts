import fc from 'fast-check';
import { endOfDay, schemeOf } from './settlement-core';

describe('endOfDay', () => {
  it('is the first UTC midnight strictly after the instant, at most a day later', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2100-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        (at) => {
          const end = endOfDay(at);
          expect(end.getTime() % 86_400_000).toBe(0);
          expect(end.getTime()).toBeGreaterThan(at.getTime());
          expect(end.getTime() - at.getTime()).toBeLessThanOrEqual(86_400_000);
        },
      ),
    );
  });

  it('closes a window opened exactly at midnight a full day later', () => {
    expect(endOfDay(new Date('2026-11-28T00:00:00.000Z')).toISOString()).toBe('2026-11-29T00:00:00.000Z');
    expect(endOfDay(new Date('2026-12-31T23:59:59.999Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});

describe('schemeOf', () => {
  it('names one QR scheme per currency', () => {
    expect(schemeOf('CNY')).toBe('qr-cny');
  });
});
