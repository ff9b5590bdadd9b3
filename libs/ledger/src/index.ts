/**
 * @paylend/ledger — money, accounts and a double-entry journal on PostgreSQL.
 *
 * Money: `Money.of("12.30", "CNY")` (strings only; a JS number is rejected), `currencyOf`,
 * `currencyByNumeric(156)`, named `RoundingMode`s, `allocate`/`split` by largest remainder.
 *
 * Time: every timestamp, timeout and expiry reads a `Clock` (`systemClock`, or `TestClock` in tests).
 *
 * Ledger API (`Ledger`, implemented by `PgLedger` on a pg Pool and by the reference `InMemoryLedger`):
 * - `createAccounts(inputs)` — idempotent by id; flags debitsMustNotExceedCredits /
 *   creditsMustNotExceedDebits, optional `creditLimit`; status via `setAccountStatus(id, 'frozen'|...)`.
 * - `post(transfers)` — per-transfer `{ ok: true, transfer, replayed } | { ok: false, code, message }` in
 *   input order. Types: single, pending (hold, optional `timeoutSeconds`), post_pending (full or partial),
 *   void_pending. `linked: true` chains a transfer to the next: the chain succeeds or fails as one.
 *   Same id + same payload returns the first result (`replayed: true`); same id + other payload is
 *   ID_CONFLICT. A refused transfer leaves only a row in ledger.rejections and does not reserve its id,
 *   so it may be retried with the same id after its cause is fixed.
 * - `expirePending(now)` — voids timed-out holds in bulk (transfers "~expired:<id>"). A post/void of a
 *   hold past its timeout is PENDING_EXPIRED even before the sweep ran.
 * - `balances(ids)`, `balanceAsOf(id, instant)`, `statement(id, { cursor, limit })` (running balance).
 * - Status: a frozen account can still receive credits but cannot be debited (nor can a hold on it be
 *   captured; voids and expiries still release); a closed account takes no movements; closing needs an
 *   empty account.
 * - Limits: a debit past debitsMustNotExceedCredits (or a credit past creditsMustNotExceedDebits) is
 *   INSUFFICIENT_FUNDS on an account without a credit limit and LIMIT_EXCEEDED on one with a limit;
 *   holds count against the limit, incoming pendings do not help.
 * - Atomic with the caller's SQL: `pgLedger.postInTransaction(client, transfers)` inside the caller's
 *   BEGIN ... COMMIT (e.g. the wallet checks KYC limits on its own rows in the same transaction). It must
 *   be called inside an open transaction: it locks the accounts (in id order) until the caller commits.
 *   Retry the whole transaction on SQLSTATE 40P01 / 40001 / 23505.
 * - Tables: schema "ledger" (prisma/migrations, applied with @paylend/pg-migrate as set "ledger").
 *   Amounts are BIGINT minor units; the journal (transfers, entries) is append-only, enforced by triggers.
 * - `GroupCommitter` — many concurrent single-transfer callers share one commit, each gets its own result.
 * - `checkInvariants(db)` — SQL check of the journal's invariants.
 */
export * from './money';
export * from './clock';
export * from './account';
export * from './transfer';
export * from './ledger';
export { InMemoryLedger } from './engine/in-memory-ledger';
export { evaluateBatch } from './engine/batch-evaluator';
export * from './limits';
export type { AccountState, StoredTransfer, EvaluationContext, BatchEffects } from './engine/batch-evaluator';
export * from './store';
