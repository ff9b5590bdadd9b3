import type { ClientBase } from 'pg';

export interface RepaymentFactRow {
  repaymentId: string;
  borrowerId: string;
  loanId: string;
  dueDate: string;
  paidAt: string;
  onTime: boolean;
  daysLate: number;
  amount: string;
  currency: string;
}

export interface BorrowerFeatureRow {
  onTimeRepayments: number;
  lateRepayments: number;
  maxDaysLate: number;
  /** The borrower's oldest wallet's opening, or null when none is known. */
  walletOpenedAt: Date | null;
  /** Sum of inflows to the borrower's wallets in the asked currency, as a NUMERIC string ("0" when none). */
  inflows: string;
}

/**
 * The per-borrower behaviour feature store. Writers take the caller's transaction (the inbox
 * transaction of the event being applied), so each effect commits with its inbox record; each also records
 * the business id it counted (repayment id, transfer id), so a fact re-published under a new message id is
 * still counted once. Each returns whether it changed anything.
 */
export async function recordRepayment(tx: ClientBase, r: RepaymentFactRow): Promise<boolean> {
  const inserted = await tx.query(
    `INSERT INTO repayment_facts (repayment_id, borrower_id, loan_id, due_date, paid_at, on_time, days_late, amount, currency)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::numeric, $9) ON CONFLICT (repayment_id) DO NOTHING`,
    [r.repaymentId, r.borrowerId, r.loanId, r.dueDate, r.paidAt, r.onTime, r.daysLate, r.amount, r.currency],
  );
  if (inserted.rowCount === 0) return false;
  await tx.query(
    `INSERT INTO borrower_features AS f
       (borrower_id, on_time_repayments, late_repayments, max_days_late, last_repayment_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (borrower_id) DO UPDATE SET
       on_time_repayments = f.on_time_repayments + EXCLUDED.on_time_repayments,
       late_repayments = f.late_repayments + EXCLUDED.late_repayments,
       max_days_late = GREATEST(f.max_days_late, EXCLUDED.max_days_late),
       last_repayment_at = GREATEST(f.last_repayment_at, EXCLUDED.last_repayment_at),
       updated_at = now()`,
    [r.borrowerId, r.onTime ? 1 : 0, r.onTime ? 0 : 1, r.daysLate, r.paidAt],
  );
  return true;
}

export async function recordWalletOpened(
  tx: ClientBase,
  w: { walletId: string; ownerId: string; openedAt: string },
): Promise<boolean> {
  const inserted = await tx.query(
    `INSERT INTO wallet_owners (wallet_id, owner_id, opened_at) VALUES ($1, $2, $3) ON CONFLICT (wallet_id) DO NOTHING`,
    [w.walletId, w.ownerId, w.openedAt],
  );
  return inserted.rowCount === 1;
}

/** Inflows are kept per wallet, so they count whether the transfer or the wallet's opening comes first. */
export async function recordInflow(
  tx: ClientBase,
  t: { transferId: string; walletId: string; amount: string; currency: string },
): Promise<boolean> {
  const counted = await tx.query(
    `INSERT INTO counted_transfers (transfer_id) VALUES ($1) ON CONFLICT (transfer_id) DO NOTHING`,
    [t.transferId],
  );
  if (counted.rowCount === 0) return false;
  await tx.query(
    `INSERT INTO wallet_inflows AS i (wallet_id, currency, total, count) VALUES ($1, $2, $3::numeric, 1)
     ON CONFLICT (wallet_id, currency) DO UPDATE SET total = i.total + EXCLUDED.total, count = i.count + 1`,
    [t.walletId, t.currency, t.amount],
  );
  return true;
}

/** One round trip: the borrower's repayment record, oldest wallet and inflows in `currency`. */
export async function readBorrowerFeatures(
  db: ClientBase,
  borrowerId: string,
  currency: string,
): Promise<BorrowerFeatureRow> {
  const { rows } = await db.query<{
    on_time: number | null;
    late: number | null;
    max_late: number | null;
    opened_at: Date | null;
    inflows: string | null;
  }>({
    // Named: planned once per connection, as it runs for every score request.
    name: 'scoring-read-borrower-features',
    text: `SELECT f.on_time_repayments AS on_time, f.late_repayments AS late, f.max_days_late AS max_late,
       (SELECT min(opened_at) FROM wallet_owners WHERE owner_id = $1) AS opened_at,
       (SELECT sum(i.total)::text FROM wallet_inflows i JOIN wallet_owners o USING (wallet_id)
         WHERE o.owner_id = $1 AND i.currency = $2) AS inflows
     FROM (SELECT 1) AS one LEFT JOIN borrower_features f ON f.borrower_id = $1`,
    values: [borrowerId, currency],
  });
  const row = rows[0]!;
  return {
    onTimeRepayments: row.on_time ?? 0,
    lateRepayments: row.late ?? 0,
    maxDaysLate: row.max_late ?? 0,
    walletOpenedAt: row.opened_at,
    inflows: row.inflows ?? '0',
  };
}
