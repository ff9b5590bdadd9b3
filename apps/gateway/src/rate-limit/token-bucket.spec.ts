import fc from 'fast-check';
import { RateLimiter } from './token-bucket';

describe('per-user rate limit', () => {
  it('allows a burst, then refuses with a wait, then refills over time; users are independent', () => {
    let t = 0;
    const rl = new RateLimiter(60, 3, () => t);
    expect([rl.take('a'), rl.take('a'), rl.take('a')]).toEqual([0, 0, 0]);
    expect(rl.take('a')).toBe(1000);
    expect(rl.take('b')).toBe(0);
    t += 1000;
    expect(rl.take('a')).toBe(0);
    expect(rl.take('a')).toBeGreaterThan(0);
  });

  it('never allows more than burst + rate x elapsed (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 300 }), (gaps) => {
        let t = 0;
        const rl = new RateLimiter(120, 5, () => t);
        let allowed = 0;
        for (const g of gaps) {
          t += g;
          if (rl.take('u') === 0) allowed++;
        }
        expect(allowed).toBeLessThanOrEqual(5 + Math.floor((t * 120) / 60_000));
      }),
    );
  });
});
