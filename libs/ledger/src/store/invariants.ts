import { Queryable } from './rows';

/**
 * Checks the journal's invariants with plain SQL; returns one sentence per violation (empty when sound).
 * Tests run it after every step; an operator can run it any time.
 */
export async function checkInvariants(db: Queryable): Promise<string[]> {
  const problems: string[] = [];
  const unbalanced = await db.query<{ currency: string }>(
    `SELECT currency FROM ledger.accounts GROUP BY currency
     HAVING sum(debits_posted) <> sum(credits_posted) OR sum(debits_pending) <> sum(credits_pending)`,
  );
  for (const r of unbalanced.rows)
    problems.push(`currency ${r.currency}: total debits differ from total credits`);
  const limits = await db.query<{ id: string }>(
    `SELECT id FROM ledger.accounts
     WHERE (debits_must_not_exceed_credits AND debits_posted + debits_pending > credits_posted + credit_limit)
        OR (credits_must_not_exceed_debits AND credits_posted + credits_pending > debits_posted + credit_limit)
        OR least(debits_posted, credits_posted, debits_pending, credits_pending) < 0`,
  );
  for (const r of limits.rows) problems.push(`account ${r.id} breaks its balance flag or limit`);
  const amounts = await db.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM ledger.transfers WHERE amount <= 0`,
  );
  if (amounts.rows[0]!.n !== '0') problems.push(`${amounts.rows[0]!.n} transfers with a non-positive amount`);
  const drift = await db.query<{ id: string }>(
    `SELECT a.id FROM ledger.accounts a LEFT JOIN (
       SELECT account_id,
         sum(posted_amount) FILTER (WHERE side = 'D') AS dp, sum(posted_amount) FILTER (WHERE side = 'C') AS cp,
         sum(pending_delta) FILTER (WHERE side = 'D') AS dpe, sum(pending_delta) FILTER (WHERE side = 'C') AS cpe
       FROM ledger.entries GROUP BY account_id) e ON e.account_id = a.id
     WHERE a.debits_posted <> coalesce(e.dp, 0) OR a.credits_posted <> coalesce(e.cp, 0)
        OR a.debits_pending <> coalesce(e.dpe, 0) OR a.credits_pending <> coalesce(e.cpe, 0)`,
  );
  for (const r of drift.rows) problems.push(`account ${r.id}: balances differ from the sum of its entries`);
  const last = await db.query<{ id: string }>(
    `SELECT a.id FROM ledger.accounts a JOIN LATERAL (
       SELECT * FROM ledger.entries e WHERE e.account_id = a.id ORDER BY created_at DESC, id DESC LIMIT 1) e ON true
     WHERE (e.debits_posted, e.credits_posted, e.debits_pending, e.credits_pending)
        <> (a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending)`,
  );
  for (const r of last.rows)
    problems.push(`account ${r.id}: last entry's balance-after differs from the account`);
  const holds = await db.query<{ id: string }>(
    `SELECT a.id FROM ledger.accounts a LEFT JOIN (
       SELECT x.account_id, sum(t.amount) AS held FROM ledger.open_pendings o JOIN ledger.transfers t ON t.id = o.transfer_id
       CROSS JOIN LATERAL (VALUES (t.debit_account_id, 'D'), (t.credit_account_id, 'C')) AS x(account_id, side)
       GROUP BY x.account_id) h ON h.account_id = a.id
     WHERE a.debits_pending + a.credits_pending <> coalesce(h.held, 0)`,
  );
  for (const r of holds.rows) problems.push(`account ${r.id}: pending balances differ from its open holds`);
  return problems;
}
