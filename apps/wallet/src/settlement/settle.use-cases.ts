import type { PoolClient } from 'pg';
import {
  type PayloadOf,
  SettlementPosted,
  type getSettlementReportCommand,
  type settleWindowCommand,
} from '@paylend/contracts';
import { enqueue } from '@paylend/messaging';
import {
  type MerchantAccount,
  type SettlementInstruction,
  type SettlementPosting,
  report,
  settleWindow,
  toCsv,
  toJson,
  toLedgerBatch,
  TransferColumnsBuilder,
  transition,
} from '@paylend/settlement';
import type { Sql } from '@paylend/wallet-data-access';
import {
  audited,
  fail,
  merchantParticipant,
  MODEL,
  ok,
  type Outcome,
  type SettlementDeps,
  windowView,
} from './settlement-core';
import { settlementRepository as repo, type WindowRow } from './settlement.repository';

export type SettlementOutcome = {
  window: ReturnType<typeof windowView>;
  instructions: {
    reference: string;
    participant: string;
    direction: 'payout' | 'collection';
    amount: string;
    currency: string;
    bankAccount: string;
  }[];
  postedTransfers: number;
  alreadySettled: boolean;
};

class LedgerRefused extends Error {}

const instructionView = (i: SettlementInstruction) => ({
  reference: i.reference,
  participant: i.participant,
  direction: i.direction,
  amount: i.amount,
  currency: i.currency,
  bankAccount: i.bankAccount,
});

/**
 * Settles a closed window: nets its cleared transfers, pays each merchant's net from its wallet into
 * clearing as one linked ledger batch with derived ids, stores instructions and the report, and marks the
 * window SETTLED — all in the command's transaction. Settling a settled window returns what it did then.
 */
export function settle(
  deps: SettlementDeps,
  tx: PoolClient,
  cmd: PayloadOf<typeof settleWindowCommand>,
): Promise<Outcome<SettlementOutcome>> {
  return audited(
    tx,
    cmd.actor,
    'settlement.settle-window',
    cmd.windowId,
    async (): Promise<Outcome<SettlementOutcome>> => {
      const w = await repo.window(tx, cmd.windowId, true);
      if (!w) return fail('WINDOW_NOT_FOUND', `no settlement window ${cmd.windowId}`);
      if (w.status === 'SETTLED') {
        const instructions = await repo.instructions(tx, [w.id]);
        return ok({
          window: windowView(w, await repo.transferCount(tx, w.id)),
          instructions: instructions.map(instructionView),
          postedTransfers: 0,
          alreadySettled: true,
        });
      }
      if (w.status !== 'CLOSED' && w.status !== 'PENDING_SETTLEMENT') {
        return fail('WINDOW_TRANSITION', `window ${w.id} is ${w.status}: close it before settling it`);
      }
      const cleared = await repo.cleared(tx, w.id);
      const merchantWallets = new Map(cleared.map((c) => [c.merchantId, c.merchantWalletId]));
      const found = await deps.merchants.bankAccounts(cmd.actor, [...merchantWallets.keys()].sort());
      if (!found.ok) return found;
      const { rows: walletAccounts } = await tx.query<{ id: string; ledger_account_id: string }>(
        'SELECT id, ledger_account_id FROM wallets WHERE id = ANY($1::text[])',
        [[...merchantWallets.values()]],
      );
      const ledgerAccountOf = new Map(walletAccounts.map((r) => [r.id, r.ledger_account_id]));
      const directory = new Map<string, MerchantAccount>();
      for (const [merchantId, walletId] of merchantWallets) {
        const bank = found.value.get(merchantId)!;
        const ledgerAccountId = ledgerAccountOf.get(walletId);
        if (!ledgerAccountId)
          return fail(
            'MERCHANT_UNKNOWN',
            `merchant ${merchantId}'s wallet ${walletId} is not in this wallet service`,
          );
        directory.set(merchantParticipant(merchantId), {
          bankAccount: bank.bankAccount,
          accountName: bank.name,
          ledgerAccountId,
        });
      }
      // A window left PENDING_SETTLEMENT (a refused batch rolled back only the postings) is settled as it is.
      const pending: WindowRow =
        w.status === 'CLOSED' ? { ...w, ...transition(w, 'startSettlement', deps.clock) } : w;
      let outcome;
      try {
        outcome = await settleWindow(pending, MODEL, directory, portsOn(deps, tx, cleared), {
          executionDate: deps.clock.now().toISOString().slice(0, 10),
        });
      } catch (err) {
        if (err instanceof LedgerRefused) return fail('LEDGER_REFUSED', err.message);
        throw err;
      }
      const settled: WindowRow = {
        ...pending,
        ...transition(pending, 'settle', deps.clock),
        settledBy: `operator:${cmd.actor.userId}`,
      };
      await repo.saveWindow(tx, settled);
      const r = report(settled, outcome.result, outcome.instructions);
      await repo.saveReport(tx, w.id, toJson(r), toCsv(r), deps.clock.now());
      const view = windowView(settled, cleared.length);
      await enqueue(tx, SettlementPosted, {
        windowId: w.id,
        instructions: outcome.instructions.map(instructionView),
        postingIds: outcome.postings.map((p) => p.id),
        at: deps.clock.now().toISOString(),
      });
      return ok({
        window: view,
        instructions: outcome.instructions.map(instructionView),
        postedTransfers: outcome.posted.length,
        alreadySettled: false,
      });
    },
    (r) =>
      r.ok
        ? { postedTransfers: r.value.postedTransfers, instructions: r.value.instructions.length }
        : undefined,
  );
}

/** settleWindow's ports on the command's transaction, so the postings commit with the window's new state. */
function portsOn(deps: SettlementDeps, tx: Sql, cleared: Awaited<ReturnType<typeof repo.cleared>>) {
  return {
    async loadTransfers() {
      const b = new TransferColumnsBuilder(Math.max(16, cleared.length));
      for (const c of cleared) b.add(c.payer, c.payee, c.amountMinor, c.currency, c.kind, c.feeMinor);
      return b.build();
    },
    async recordedPostingIds(ids: readonly string[]) {
      const { rows } = await tx.query<{ id: string }>(
        'SELECT id FROM ledger.transfers WHERE id = ANY($1::text[])',
        [ids],
      );
      return new Set(rows.map((r) => r.id));
    },
    async postBatch(postings: readonly SettlementPosting[]) {
      const results = await deps.ledger.postInTransaction(tx, toLedgerBatch(postings));
      const failed = results.find((r) => !r.ok);
      if (failed && !failed.ok)
        throw new LedgerRefused(`the ledger refused the settlement batch: ${failed.code} ${failed.message}`);
    },
    async saveReport(_r: unknown, instructions: readonly SettlementInstruction[]) {
      await repo.saveInstructions(tx, instructions);
    },
  };
}

export async function getReport(
  tx: PoolClient,
  cmd: PayloadOf<typeof getSettlementReportCommand>,
): Promise<Outcome<{ windowId: string; format: 'json' | 'csv'; content: string }>> {
  if (!cmd.actor.roles.includes('operator')) return fail('FORBIDDEN', 'settlement reports are for operators');
  const w = await repo.window(tx, cmd.windowId);
  if (!w) return fail('WINDOW_NOT_FOUND', `no settlement window ${cmd.windowId}`);
  const r = await repo.report(tx, w.id);
  if (!r)
    return fail('WINDOW_NOT_SETTLED', `window ${w.id} is ${w.status}: its report exists once it is settled`);
  return ok({ windowId: w.id, format: cmd.format, content: cmd.format === 'csv' ? r.csv : r.json });
}
