import fc from 'fast-check';
import { Pool } from 'pg';
import { LedgerTestDb, ledgerTestDb } from '../testing/ledger-test-db';
import { sqlLiteral, TextArrayBuilder } from './pg-arrays';

// The writer inlines its arrays into the SQL text (so COMMIT can share the round trip): any string must come
// back from the server exactly as sent, whatever quotes, backslashes, braces or commas it holds.
let t: LedgerTestDb;
let pool: Pool;

beforeAll(async () => {
  t = await ledgerTestDb(1);
  pool = t.pool;
});

afterAll(async () => {
  await t.close();
});

const noNul = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\u0000'));

describe('inline literals', () => {
  it('round-trip any text array through the server unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(noNul, { nil: null }), { maxLength: 8 }), async (xs) => {
        const { rows } = await pool.query<{ a: Array<string | null> }>(
          `SELECT ${TextArrayBuilder.of(xs).literal()}::text[] AS a`,
        );
        expect(rows[0]!.a).toEqual(xs);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trip any scalar under either standard_conforming_strings setting', async () => {
    for (const setting of ['on', 'off']) {
      const c = await pool.connect();
      try {
        await c.query(`SET standard_conforming_strings = ${setting}`);
        await fc.assert(
          fc.asyncProperty(noNul, async (s) => {
            const { rows } = await c.query<{ s: string }>(`SELECT ${sqlLiteral(s)}::text AS s`);
            expect(rows[0]!.s).toBe(s);
          }),
          { numRuns: 100 },
        );
      } finally {
        await c.query('RESET standard_conforming_strings');
        c.release();
      }
    }
  });

  it('refuses NUL, which PostgreSQL text cannot hold', () => {
    expect(() => sqlLiteral('a\u0000b')).toThrow(/U\+0000/);
  });
});
