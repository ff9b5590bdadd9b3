import type { ClientBase } from 'pg';
import type { RepaymentRecorded } from '@paylend/contracts';
import { Money } from '@paylend/ledger';
import type { BehaviourFeatures } from '../policy/behaviour-policy';

const DAY_MS = 86_400_000;

/** Whole days from the end of the due date to the payment; 0 when paid by the end of the due date. */
export function daysLate(dueDate: string, paidAt: string): number {
  const endOfDue = Date.parse(`${dueDate}T00:00:00.000Z`) + DAY_MS;
  return Math.max(0, Math.ceil((Date.parse(paidAt) - endOfDue) / DAY_MS));
}

/**
 * The per-borrower behaviour feature store. Writers take the inbox transaction, so each event's effect
 * commits with its inbox record; each also records the business id it counted (repayment id, transfer
 * id), so a fact re-published under a new message id is still counted once. Returns whether it applied.
 */
export async function recordRepayment(tx: ClientBase, r: RepaymentRecorded): Promise<boolean> {
  const late = daysLate(r.dueDate, r.paidAt);
  const inserted = await tx.query(
    `INSERT INTO repayment_facts (repayment_id, borrower_id, loan_id, due_date, paid_at, on_time, days_late, amount, currency)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (repayment_id) DO NOTHING`,
    [
      r.repaymentId,
      r.borrowerId,
      r.loanId,
      r.dueDate,
      r.paidAt,
      r.onTime,
      late,
      r.amount.amount,
      r.amount.currency,
    ],
  );
  if (inserted.rowCount === 0) return false;
  await tx.query(
    `INSERT INTO borrower_features AS f (borrower_id, on_time_repayments, late_repayments, max_days_late, last_repayment_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (borrower_id) DO UPDATE SET
       on_time_repayments = f.on_time_repayments + EXCLUDED.on_time_repayments,
       late_repayments = f.late_repayments + EXCLUDED.late_repayments,
       max_days_late = GREATEST(f.max_days_late, EXCLUDED.max_days_late),
       last_repayment_at = GREATEST(f.last_repayment_at, EXCLUDED.last_repayment_at),
       updated_at = now()`,
    [r.borrowerId, r.onTime ? 1 : 0, r.onTime ? 0 : 1, late, r.paidAt],
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

/** The borrower's features as of now, with inflows in `currency` (other currencies are not converted). */
export async function readFeatures(
  tx: ClientBase,
  borrowerId: string,
  currency: string,
): Promise<BehaviourFeatures> {
  const { rows } = await tx.query<{
    on_time: number | null;
    late: number | null;
    opened_at: Date | null;
    inflows: string | null;
  }>(
    `SELECT
       (SELECT on_time_repayments FROM borrower_features WHERE borrower_id = $1) AS on_time,
       (SELECT late_repayments FROM borrower_features WHERE borrower_id = $1) AS late,
       (SELECT min(opened_at) FROM wallet_owners WHERE owner_id = $1) AS opened_at,
       (SELECT sum(i.total)::text FROM wallet_inflows i JOIN wallet_owners o USING (wallet_id)
         WHERE o.owner_id = $1 AND i.currency = $2) AS inflows`,
    [borrowerId, currency],
  );
  const row = rows[0]!;
  return {
    onTimeRepayments: row.on_time ?? 0,
    lateRepayments: row.late ?? 0,
    walletOpenedAt: row.opened_at,
    // NUMERIC(38,8) may carry trailing zeros beyond the currency's exponent; inflows are whole minor units.
    inflows: Money.of(row.inflows ?? '0', currency, 'DOWN'),
  };
}
