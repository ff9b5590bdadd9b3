import { Account, AccountErrorCode, AccountInput, AccountStatus, Balance } from './account';
import { PendingStatus, PostResult, Transfer, TransferInput, TransferType } from './transfer';

export type CreateAccountResult =
  { ok: true; account: Account; created: boolean } | { ok: false; code: AccountErrorCode; message: string };
export type StatusChangeResult =
  { ok: true; account: Account } | { ok: false; code: AccountErrorCode; message: string };

/** One journal entry of an account, with the account's balances right after it. */
export interface StatementLine {
  entryId: string;
  transferId: string;
  transferType: TransferType;
  code: Transfer['code'];
  metadata: Transfer['metadata'];
  side: 'debit' | 'credit';
  /** What moved in posted balances (0 for a hold or its release). */
  postedAmount: string;
  /** Change of the pending side: + held, - released (posting a hold releases the whole hold). */
  pendingDelta: string;
  balanceAfter: Balance;
  at: Date;
}

export interface Statement {
  accountId: string;
  lines: StatementLine[];
  /** Pass back to get the next page; null on the last page. */
  nextCursor: string | null;
}

export interface StatementQuery {
  cursor?: string | null;
  /** 1..1000, default 100. */
  limit?: number;
}

/**
 * The ledger API, implemented by the PostgreSQL store (`PgLedger`) and by the reference model
 * (`InMemoryLedger`); property tests hold the two to the same results.
 */
export interface Ledger {
  /** Creates accounts; idempotent by id (same attributes: ok with created=false; different: ID_CONFLICT). */
  createAccounts(inputs: AccountInput[]): Promise<CreateAccountResult[]>;
  getAccount(id: string): Promise<Account | null>;
  /** active <-> frozen; active|frozen -> closed when the account is empty; closed is terminal. */
  setAccountStatus(id: string, status: AccountStatus): Promise<StatusChangeResult>;
  /** Applies transfers in input order; one result per input, in the same order. */
  post(transfers: TransferInput[]): Promise<PostResult[]>;
  /** Voids in bulk every open pending transfer whose timeout is at or before `now`; returns the expiries. */
  expirePending(now?: Date): Promise<Transfer[]>;
  /** Current balances of the accounts that exist, in the order asked. */
  balances(accountIds: string[]): Promise<Balance[]>;
  /** Balances right after the last entry at or before `instant` (zero before the first); null for no account. */
  balanceAsOf(accountId: string, instant: Date): Promise<Balance | null>;
  /** Journal entries of one account, oldest first, with the running balance. */
  statement(accountId: string, query?: StatementQuery): Promise<Statement>;
  getTransfer(id: string): Promise<Transfer | null>;
  pendingStatus(pendingId: string): Promise<PendingStatus | null>;
}
