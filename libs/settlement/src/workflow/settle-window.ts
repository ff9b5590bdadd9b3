import { ExponentOf } from '../currency/exponent';
import { isoExponent } from '../currency/iso-exponent';
import { instructionsFor } from '../instruction/instructions';
import { MerchantDirectory, SettlementInstruction } from '../instruction/settlement-instruction';
import { netColumns } from '../netting/net-columns';
import { NettingModel, NettingResult } from '../netting/position';
import { TransferColumns } from '../netting/transfer-columns';
import { SettlementAccounts, defaultSettlementAccounts } from '../posting/settlement-accounts';
import { postingsFor, unrecorded } from '../posting/postings';
import { SettlementPosting } from '../posting/settlement-posting';
import { SettlementReport, report } from '../report/settlement-report';
import { SettlementWindow } from '../window/settlement-window';

/** What settling a window needs from storage; a PostgreSQL implementation lives in the service. */
export interface WindowSettlementPorts {
  /** The window's cleared transfers, already in columns (the loader interns ids as it reads). */
  loadTransfers(windowId: string): Promise<TransferColumns>;
  /** Which of these posting ids the ledger already holds. */
  recordedPostingIds(ids: readonly string[]): Promise<Set<string>>;
  /** Posts all of them in one atomic ledger batch. */
  postBatch(postings: readonly SettlementPosting[]): Promise<void>;
  saveReport(report: SettlementReport, instructions: readonly SettlementInstruction[]): Promise<void>;
}

export interface WindowSettlementOutcome {
  result: NettingResult;
  instructions: SettlementInstruction[];
  postings: SettlementPosting[];
  /** The postings this run sent to the ledger: none when the window had already been settled. */
  posted: SettlementPosting[];
  report: SettlementReport;
  timingsMs: { load: number; net: number; post: number; report: number };
}

/**
 * Read, net, post, report for one closed window. Idempotent: postings carry derived ids, and those the
 * ledger already has are not sent again, so a retry after a crash posts only what is missing (nothing, if
 * the batch had committed).
 */
export async function settleWindow(
  window: SettlementWindow,
  model: NettingModel,
  merchants: MerchantDirectory,
  ports: WindowSettlementPorts,
  options: { executionDate?: string; accounts?: SettlementAccounts; exponentOf?: ExponentOf } = {},
): Promise<WindowSettlementOutcome> {
  const exponentOf = options.exponentOf ?? isoExponent;
  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const d = now - t;
    t = now;
    return d;
  };
  const columns = await ports.loadTransfers(window.id);
  const load = lap();
  const result = netColumns(columns, model, window.id);
  const instructions = instructionsFor(result, merchants, {
    exponentOf,
    ...(options.executionDate === undefined ? {} : { executionDate: options.executionDate }),
  });
  const net = lap();
  const postings = postingsFor(instructions, options.accounts ?? defaultSettlementAccounts);
  const recorded = await ports.recordedPostingIds(postings.map((p) => p.id));
  const posted = unrecorded(postings, recorded);
  if (posted.length > 0) await ports.postBatch(posted);
  const post = lap();
  const r = report(window, result, instructions, exponentOf);
  await ports.saveReport(r, instructions);
  return { result, instructions, postings, posted, report: r, timingsMs: { load, net, post, report: lap() } };
}
