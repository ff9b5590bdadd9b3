import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import {
  BreakResolved,
  type BreakView,
  type PayloadOf,
  type ReconciliationView,
  StatementReconciled,
  type importStatementCommand,
  type listBreaksCommand,
  type resolveBreakCommand,
} from '@paylend/contracts';
import { enqueue } from '@paylend/messaging';
import {
  type BreakCause,
  type BreakKind,
  formatMinorUnits,
  isoExponent,
  type LedgerEntry,
  parseCamt053,
  parseStatementCsv,
  type ParsedStatement,
  reconcile,
  reconciliationToJson,
  type ReconciliationBreak,
  requireExponent,
  resolveBreak,
  type ResolutionTarget,
  SettlementError,
  type SettlementPosting,
  toLedgerBatch,
} from '@paylend/settlement';
import type { Sql } from '@paylend/wallet-data-access';
import { accounts, audited, fail, ok, type Outcome, type SettlementDeps } from './settlement-core';
import { settlementRepository as repo } from './settlement.repository';

const fmt = (minor: bigint, currency: string) =>
  formatMinorUnits(minor, requireExponent(isoExponent, currency));

class LedgerRefused extends Error {}

/** Posts settlement/reconciliation postings not yet in the ledger as one linked batch on `tx`. */
async function postMissing(
  deps: SettlementDeps,
  tx: Sql,
  postings: readonly SettlementPosting[],
): Promise<number> {
  if (postings.length === 0) return 0;
  const { rows } = await tx.query<{ id: string }>(
    'SELECT id FROM ledger.transfers WHERE id = ANY($1::text[])',
    [postings.map((p) => p.id)],
  );
  const have = new Set(rows.map((r) => r.id));
  const missing = postings.filter((p) => !have.has(p.id));
  if (missing.length === 0) return 0;
  const results = await deps.ledger.postInTransaction(tx, toLedgerBatch(missing));
  const failed = results.find((r) => !r.ok);
  if (failed && !failed.ok)
    throw new LedgerRefused(`the ledger refused a reconciliation posting: ${failed.code} ${failed.message}`);
  return missing.length;
}

/** The ledger's own clearing and suspense balances (debits minus credits), read on `tx`. */
export async function ledgerAccountChecks(
  tx: Sql,
  currencies: readonly string[],
): Promise<ReconciliationView['ledgerAccounts']> {
  const out: ReconciliationView['ledgerAccounts'] = [];
  for (const currency of [...new Set(currencies)].sort()) {
    for (const role of ['clearing', 'suspense'] as const) {
      const accountId = accounts[role](currency);
      const { rows } = await tx.query<{ b: string }>(
        'SELECT (debits_posted - credits_posted)::text AS b FROM ledger.accounts WHERE id = $1',
        [accountId],
      );
      const b = BigInt(rows[0]?.b ?? '0');
      out.push({ role, accountId, currency, balance: fmt(b, currency), zero: b === 0n });
    }
  }
  return out;
}

function parse(format: 'camt053' | 'csv', content: string): Outcome<ParsedStatement> {
  try {
    return ok(format === 'camt053' ? parseCamt053(content) : parseStatementCsv(content));
  } catch (err) {
    if (err instanceof SettlementError) return fail('STATEMENT_MALFORMED', err.message);
    throw err;
  }
}

/**
 * Imports a bank statement and reconciles it against the settled windows' instructions and their ledger
 * postings: bank confirmations move clearing to bank, unexplained movements go to suspense (posted in this
 * transaction), and every break is stored OPEN for an operator to resolve.
 */
export function importStatement(
  deps: SettlementDeps,
  tx: PoolClient,
  cmd: PayloadOf<typeof importStatementCommand>,
): Promise<Outcome<ReconciliationView>> {
  const contentHash = createHash('sha256').update(cmd.content).digest('hex');
  return audited(
    tx,
    cmd.actor,
    'settlement.import-statement',
    `sha256:${contentHash}`,
    async () => {
      const parsed = parse(cmd.format, cmd.content);
      if (!parsed.ok) return parsed;
      const { rows: seen } = await tx.query<{ id: string }>(
        'SELECT id FROM settlement.reconciliations WHERE content_hash = $1',
        [contentHash],
      );
      if (seen[0])
        return fail('STATEMENT_ALREADY_IMPORTED', `this statement was imported as ${seen[0].id}`, {
          reconciliationId: seen[0].id,
        });
      const windows = cmd.windowIds
        ? await repo.listWindows(tx, cmd.windowIds, 'SETTLED')
        : (
            await tx.query<{ id: string }>(
              `SELECT w.id FROM settlement.windows w WHERE w.status = 'SETTLED'
               AND NOT EXISTS (SELECT 1 FROM settlement.reconciliations r WHERE w.id = ANY(r.window_ids)) ORDER BY w.id`,
            )
          ).rows;
      const windowIds = windows.map((w) => w.id);
      if (cmd.windowIds && windowIds.length !== cmd.windowIds.length) {
        const missing = cmd.windowIds.filter((id) => !windowIds.includes(id));
        return fail('WINDOW_NOT_SETTLED', `windows ${missing.join(', ')} are not settled (or do not exist)`);
      }
      if (windowIds.length === 0)
        return fail('NOTHING_TO_RECONCILE', 'no settled window is waiting for a bank statement');
      // A window is reconciled against one statement only: a second, different statement for it would post
      // its bank confirmations again.
      const { rows: done } = await tx.query<{ id: string; window_id: string }>(
        `SELECT r.id, w AS window_id FROM settlement.reconciliations r, unnest(r.window_ids) AS w WHERE w = ANY($1)`,
        [windowIds],
      );
      if (done[0])
        return fail(
          'WINDOW_ALREADY_RECONCILED',
          `window ${done[0].window_id} was already reconciled by ${done[0].id}; resolve its breaks instead of importing again`,
          { reconciliationId: done[0].id },
        );
      const instructions = await repo.instructions(tx, windowIds);
      const ledgerEntries = await settlementLedgerEntries(
        tx,
        instructions.map((i) => i.reference),
      );
      const rec = reconcile(parsed.value.entries, instructions, ledgerEntries, { dateToleranceDays: 2 });
      let posted: number;
      try {
        posted = await postMissing(deps, tx, rec.postings);
      } catch (err) {
        if (err instanceof LedgerRefused) return fail('LEDGER_REFUSED', err.message);
        throw err;
      }
      const id = `rec-${contentHash.slice(0, 20)}`;
      const now = deps.clock.now();
      await tx.query(
        `INSERT INTO settlement.reconciliations (id, format, content_hash, window_ids, entry_count, matched, break_count, balanced, result,
           imported_by, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          id,
          parsed.value.format,
          contentHash,
          windowIds,
          parsed.value.entries.length,
          rec.matched.length,
          rec.breaks.length,
          rec.balanced,
          JSON.stringify(reconciliationToJson(rec)),
          cmd.actor.userId,
          now,
        ],
      );
      for (const b of rec.breaks) await insertBreak(tx, id, b, now);
      const currencies = [
        ...new Set([...instructions.map((i) => i.currency), ...parsed.value.entries.map((e) => e.currency)]),
      ];
      const view: ReconciliationView = {
        reconciliationId: id,
        format: parsed.value.format,
        windowIds,
        entries: parsed.value.entries.length,
        matched: rec.matched.length,
        reversals: rec.reversals.length,
        breaks: await breaksOf(tx, { reconciliationId: id, status: null }),
        accounts: rec.accounts.map((a) => ({
          role: a.role,
          accountId: a.accountId,
          currency: a.currency,
          balance: fmt(a.balanceMinor, a.currency),
          zero: a.zero,
        })),
        ledgerAccounts: await ledgerAccountChecks(tx, currencies),
        balanced: rec.balanced,
        postedTransfers: posted,
      };
      await enqueue(tx, StatementReconciled, {
        reconciliationId: id,
        windowIds,
        matched: view.matched,
        breaks: view.breaks.length,
        balanced: view.balanced,
        at: now.toISOString(),
      });
      return ok(view);
    },
    (r) =>
      r.ok
        ? {
            reconciliationId: r.value.reconciliationId,
            matched: r.value.matched,
            breaks: r.value.breaks.length,
            balanced: r.value.balanced,
          }
        : undefined,
  );
}

/** Served by `transfers_settlement_reference_idx` (settlement migration 0002): never a journal scan. */
export const SETTLEMENT_POSTINGS_BY_REFERENCE_SQL = `SELECT id, metadata->>'reference' AS reference, debit_account_id, credit_account_id, amount::text, currency FROM ledger.transfers
     WHERE code IN ('settlement.payout', 'settlement.collection') AND metadata->>'reference' = ANY($1::text[]) ORDER BY id`;

/** The settlement postings (payouts and collections) of these instruction references, as reconcile reads them. */
async function settlementLedgerEntries(tx: Sql, references: readonly string[]): Promise<LedgerEntry[]> {
  const { rows } = await tx.query<{
    id: string;
    reference: string;
    debit_account_id: string;
    credit_account_id: string;
    amount: string;
    currency: string;
  }>(SETTLEMENT_POSTINGS_BY_REFERENCE_SQL, [references]);
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    debitAccountId: r.debit_account_id,
    creditAccountId: r.credit_account_id,
    amountMinor: BigInt(r.amount),
    currency: r.currency,
  }));
}

async function insertBreak(
  tx: Sql,
  reconciliationId: string,
  b: ReconciliationBreak,
  at: Date,
): Promise<void> {
  const detail = reconciliationToJson({
    matched: [],
    breaks: [b],
    reversals: [],
    ignoredEntryIds: [],
    postings: [],
    accounts: [],
    balanced: false,
  });
  await tx.query(
    `INSERT INTO settlement.breaks (id, reconciliation_id, kind, cause, currency, reference, participant, residue_account, residue_minor,
       expected_minor, actual_minor, message, detail, status, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'OPEN', $14) ON CONFLICT (id) DO NOTHING`,
    [
      b.id,
      reconciliationId,
      b.kind,
      b.cause,
      b.currency,
      b.reference ?? null,
      b.participant ?? null,
      b.residue?.accountId ?? null,
      b.residue?.balanceMinor.toString() ?? null,
      b.expectedMinor?.toString() ?? null,
      b.actualMinor?.toString() ?? null,
      b.message,
      JSON.stringify(detail),
      at,
    ],
  );
}

interface BreakRowRaw {
  id: string;
  reconciliation_id: string;
  kind: BreakKind;
  cause: BreakCause;
  currency: string;
  reference: string | null;
  participant: string | null;
  residue_account: string | null;
  residue_minor: string | null;
  expected_minor: string | null;
  actual_minor: string | null;
  message: string;
  status: 'OPEN' | 'RESOLVED';
  operator: string | null;
  source_ip: string | null;
  reason: string | null;
  target: unknown;
  posting_ids: string[] | null;
  result: string | null;
  resolved_at: Date | null;
}

const BREAK_SELECT = `SELECT b.id, b.reconciliation_id, b.kind, b.cause, b.currency, b.reference, b.participant, b.residue_account,
  b.residue_minor::text, b.expected_minor::text, b.actual_minor::text, b.message, b.status,
  r.operator, r.source_ip, r.reason, r.target, r.posting_ids, r.result, r.resolved_at
  FROM settlement.breaks b LEFT JOIN settlement.break_resolutions r ON r.break_id = b.id`;

function breakView(r: BreakRowRaw): BreakView {
  const money = (v: string | null) => (v === null ? null : fmt(BigInt(v), r.currency));
  return {
    breakId: r.id,
    reconciliationId: r.reconciliation_id,
    kind: r.kind,
    cause: r.cause,
    currency: r.currency,
    reference: r.reference,
    participant: r.participant,
    expected: money(r.expected_minor),
    actual: money(r.actual_minor),
    residueAccount: r.residue_account,
    residue: money(r.residue_minor),
    message: r.message,
    status: r.status,
    resolution:
      r.operator === null || r.resolved_at === null
        ? null
        : {
            operator: r.operator,
            sourceIp: r.source_ip,
            reason: r.reason ?? '',
            target: r.target,
            postingIds: r.posting_ids ?? [],
            result: r.result ?? '',
            resolvedAt: r.resolved_at.toISOString(),
          },
  };
}

async function breaksOf(
  tx: Sql,
  q: { reconciliationId: string | null; status: 'OPEN' | 'RESOLVED' | null; id?: string },
): Promise<BreakView[]> {
  const { rows } = await tx.query<BreakRowRaw>(
    `${BREAK_SELECT} WHERE ($1::text IS NULL OR b.reconciliation_id = $1) AND ($2::text IS NULL OR b.status = $2)
       AND ($3::text IS NULL OR b.id = $3) ORDER BY b.created_at, b.id`,
    [q.reconciliationId, q.status, q.id ?? null],
  );
  return rows.map(breakView);
}

export async function listBreaks(
  tx: PoolClient,
  cmd: PayloadOf<typeof listBreaksCommand>,
): Promise<Outcome<BreakView[]>> {
  if (!cmd.actor.roles.includes('operator'))
    return fail('FORBIDDEN', 'reconciliation breaks are for operators');
  const status = cmd.status === 'ALL' ? null : (cmd.status ?? 'OPEN');
  return ok(await breaksOf(tx, { reconciliationId: cmd.reconciliationId ?? null, status }));
}

/**
 * Resolves one break: posts its residue to where the operator says (back to the merchant, to write-off,
 * nowhere when it left none) and appends who, what, when, from where and the result to the audit.
 */
export function resolveBreakCase(
  deps: SettlementDeps,
  tx: PoolClient,
  cmd: PayloadOf<typeof resolveBreakCommand>,
): Promise<
  Outcome<{ break: BreakView; ledgerAccounts: ReconciliationView['ledgerAccounts']; balanced: boolean }>
> {
  return audited(
    tx,
    cmd.actor,
    'settlement.resolve-break',
    cmd.reason,
    async () => {
      const { rows } = await tx.query<BreakRowRaw & { detail: unknown }>(
        `${BREAK_SELECT} WHERE b.id = $1 FOR UPDATE OF b`,
        [cmd.breakId],
      );
      const row = rows[0];
      if (!row) return fail('BREAK_NOT_FOUND', `no reconciliation break ${cmd.breakId}`);
      if (row.status === 'RESOLVED') {
        return fail(
          'BREAK_ALREADY_RESOLVED',
          `break ${row.id} was resolved by ${row.operator} at ${row.resolved_at?.toISOString()}`,
        );
      }
      const brk: ReconciliationBreak = {
        id: row.id,
        kind: row.kind,
        cause: row.cause,
        currency: row.currency,
        message: row.message,
        ...(row.residue_account && row.residue_minor !== null
          ? {
              residue: {
                accountId: row.residue_account,
                currency: row.currency,
                balanceMinor: BigInt(row.residue_minor),
              },
            }
          : {}),
      };
      const target = await targetFor(tx, cmd.target);
      if (!target.ok) return target;
      let resolution;
      try {
        resolution = resolveBreak(
          brk,
          { operator: cmd.actor.userId, reason: cmd.reason, target: target.value },
          deps.clock,
          accounts,
        );
      } catch (err) {
        if (err instanceof SettlementError) return fail('RESOLUTION_INVALID', err.message);
        throw err;
      }
      let posted: number;
      try {
        posted = await postMissing(deps, tx, resolution.postings);
      } catch (err) {
        if (err instanceof LedgerRefused) return fail('LEDGER_REFUSED', err.message);
        throw err;
      }
      const result = `resolved: ${posted} posting(s)${brk.residue ? ` clearing ${fmt(brk.residue.balanceMinor, brk.currency)} ${brk.currency} on ${brk.residue.accountId}` : ''}`;
      await tx.query(
        `INSERT INTO settlement.break_resolutions (break_id, operator, source_ip, reason, target, posting_ids, result, resolved_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          row.id,
          cmd.actor.userId,
          cmd.actor.ip ?? null,
          cmd.reason,
          JSON.stringify(target.value),
          resolution.postings.map((p) => p.id),
          result,
          resolution.resolvedAt,
        ],
      );
      await tx.query(`UPDATE settlement.breaks SET status = 'RESOLVED' WHERE id = $1`, [row.id]);
      await enqueue(tx, BreakResolved, {
        breakId: row.id,
        operator: cmd.actor.userId,
        sourceIp: cmd.actor.ip ?? null,
        reason: cmd.reason,
        residue: brk.residue ? fmt(brk.residue.balanceMinor, brk.currency) : null,
        currency: brk.currency,
        at: resolution.resolvedAt,
      });
      const ledgerAccounts = await ledgerAccountChecks(tx, [row.currency]);
      const [view] = await breaksOf(tx, { reconciliationId: null, status: null, id: row.id });
      return ok({ break: view!, ledgerAccounts, balanced: ledgerAccounts.every((a) => a.zero) });
    },
    (r) => ({
      breakId: cmd.breakId,
      target: cmd.target,
      result: r.ok ? r.value.break.resolution?.result : r.error.code,
    }),
  );
}

/** A participant target pays the residue back to the merchant's wallet (its ledger account). */
async function targetFor(
  tx: Sql,
  t: PayloadOf<typeof resolveBreakCommand>['target'],
): Promise<Outcome<ResolutionTarget>> {
  if (t.kind !== 'participant') return ok(t);
  const { rows } = await tx.query<{ ledger_account_id: string }>(
    `SELECT ledger_account_id FROM wallets w JOIN settlement.window_transfers t ON t.merchant_wallet_id = w.id
     WHERE t.merchant_id = $1 OR 'merchant:' || t.merchant_id = $1 LIMIT 1`,
    [t.participant],
  );
  if (!rows[0])
    return fail('RESOLUTION_INVALID', `participant ${t.participant} is not a merchant that settled here`);
  return ok({ kind: 'participant', participant: t.participant, ledgerAccountId: rows[0].ledger_account_id });
}
