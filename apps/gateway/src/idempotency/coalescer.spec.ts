import fc from 'fast-check';
import { Coalescer } from './coalescer';

describe('Coalescer', () => {
  it('gives every caller its own result and batches callers that arrive while a flush runs (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer(), { minLength: 1, maxLength: 200 }), async (items) => {
        const sizes: number[] = [];
        const c = new Coalescer<number, number>(async (xs) => {
          sizes.push(xs.length);
          await new Promise((r) => setTimeout(r, 1));
          return xs.map((x) => x * 2);
        }, 1);
        const out = await Promise.all(items.map((x) => c.submit(x)));
        expect(out).toEqual(items.map((x) => x * 2));
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(items.length);
        // Submitted at once: the first leaves alone, everything queued behind it leaves in the next flush.
        expect(sizes.length).toBeLessThanOrEqual(Math.min(items.length, 2));
      }),
      { numRuns: 30 },
    );
  });

  it("rejects a failed flush's callers only, and keeps serving", async () => {
    let fail = true;
    const c = new Coalescer<number, number>(async (xs) => {
      if (fail) {
        fail = false;
        throw new Error('db down');
      }
      return xs;
    }, 1);
    await expect(c.submit(1)).rejects.toThrow('db down');
    await expect(c.submit(2)).resolves.toBe(2);
  });
});
