import { freshDatabase } from '@paylend/testing';
import { PgLedger, postBatch, systemClock, TransferInput } from '@paylend/ledger';
import { Pool } from 'pg';
(async () => {
  const db = await freshDatabase('ledger_prof', ['libs/ledger/prisma/migrations']);
  const pool = new Pool({ connectionString: db.url, max: 4 });
  const l = new PgLedger(pool);
  const N = 10000;
  await l.createAccounts([{ id: 'bank', currency: 'CNY', normalSide: 'debit' }, ...Array.from({ length: N }, (_, i) => ({ id: `w${i}`, currency: 'CNY', normalSide: 'credit' as const, flags: { debitsMustNotExceedCredits: true } }))]);
  let t = performance.now();
  await l.post(Array.from({ length: N }, (_, i) => ({ id: `s${i}`, debitAccountId: 'bank', creditAccountId: `w${i}`, amount: '100000', currency: 'CNY', code: 's' })));
  console.log('seed 10k', (performance.now() - t).toFixed(0));
  let seq = 0;
  for (let round = 0; round < 4; round++) {
    const batch: TransferInput[] = Array.from({ length: 2000 }, () => {
      const a = Math.floor(Math.random() * N); let b = Math.floor(Math.random() * N); if (b === a) b = (a + 1) % N;
      return { id: `t${++seq}`, debitAccountId: `w${a}`, creditAccountId: `w${b}`, amount: '1.23', currency: 'CNY', code: 'p' };
    });
    const c = await pool.connect();
    const times: string[] = [];
    const q = { query: async (text: string, values?: unknown[]) => { const s = performance.now(); const r = await c.query(text, values); times.push(`${text.trim().slice(0, 30).replace(/\s+/g, ' ')}: ${(performance.now() - s).toFixed(1)}`); return r as never; } };
    t = performance.now();
    await c.query('BEGIN');
    await postBatch(q, systemClock, batch);
    const s = performance.now();
    await c.query('COMMIT');
    times.push(`COMMIT: ${(performance.now() - s).toFixed(1)}`);
    console.log(`total ${(performance.now() - t).toFixed(0)}`, times.join(' | '));
    c.release();
  }
  await pool.end(); await db.drop();
})();
