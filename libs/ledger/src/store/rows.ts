import { AccountSpec, AccountStatus, BalanceMinor } from '../account';
import { AccountState, StoredTransfer } from '../engine/batch-evaluator';
import { currencyOf, formatMinor } from '../money';
import { codeFromText, Metadata, TransferType } from '../transfer';

/** Anything that runs a query: a Pool, a PoolClient or a Client inside the caller's transaction. */
export interface Queryable {
  /** pg's Client/PoolClient report 'I' (idle), 'T' (in a transaction) or 'E' (failed transaction). */
  getTransactionStatus?(): string | null;
  query<R extends object = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

export const ACCOUNT_COLUMNS = `id, currency, normal_side, owner_ref, debits_must_not_exceed_credits, credits_must_not_exceed_debits,
  credit_limit::text AS credit_limit, status, debits_posted::text AS debits_posted, credits_posted::text AS credits_posted,
  debits_pending::text AS debits_pending, credits_pending::text AS credits_pending, last_entry_at, created_at`;

export interface AccountRow {
  id: string;
  currency: string;
  normal_side: 'debit' | 'credit';
  owner_ref: string | null;
  debits_must_not_exceed_credits: boolean;
  credits_must_not_exceed_debits: boolean;
  credit_limit: string;
  status: AccountStatus;
  debits_posted: string;
  credits_posted: string;
  debits_pending: string;
  credits_pending: string;
  last_entry_at: Date | null;
  created_at: Date;
}

/** What the posting path reads under the lock: no dates to parse, the last entry time as epoch ms. */
export const LOCK_COLUMNS = `id, currency, normal_side, owner_ref, debits_must_not_exceed_credits, credits_must_not_exceed_debits,
  credit_limit::text AS credit_limit, status, debits_posted::text AS debits_posted, credits_posted::text AS credits_posted,
  debits_pending::text AS debits_pending, credits_pending::text AS credits_pending,
  ceil(extract(epoch FROM last_entry_at) * 1000)::bigint::text AS last_entry_ms`;

export type LockedAccountRow = Omit<AccountRow, 'last_entry_at' | 'created_at'> & {
  last_entry_ms: string | null;
};

export function specFromRow(r: Omit<AccountRow, 'last_entry_at' | 'created_at'>): AccountSpec {
  return {
    id: r.id,
    currency: r.currency,
    normalSide: r.normal_side,
    ownerRef: r.owner_ref,
    debitsMustNotExceedCredits: r.debits_must_not_exceed_credits,
    creditsMustNotExceedDebits: r.credits_must_not_exceed_debits,
    creditLimitMinor: BigInt(r.credit_limit),
  };
}

export function balanceFromRow(r: {
  debits_posted: string;
  credits_posted: string;
  debits_pending: string;
  credits_pending: string;
}): BalanceMinor {
  return {
    debitsPosted: BigInt(r.debits_posted),
    creditsPosted: BigInt(r.credits_posted),
    debitsPending: BigInt(r.debits_pending),
    creditsPending: BigInt(r.credits_pending),
  };
}

export function stateFromRow(r: Omit<AccountRow, 'last_entry_at' | 'created_at'>): AccountState {
  return { spec: specFromRow(r), status: r.status, balance: balanceFromRow(r) };
}

/** The transfer columns as TransferRow wants them, optionally qualified by a table alias. */
export function transferColumns(alias = ''): string {
  const a = alias ? `${alias}.` : '';
  return `${a}id, ${a}type, ${a}debit_account_id, ${a}credit_account_id, ${a}amount::text AS amount, ${a}currency, ${a}code,
  ${a}metadata, ${a}pending_id, ${a}timeout_at, ${a}payload_hash, ${a}created_at`;
}
export const TRANSFER_COLUMNS = transferColumns();

export interface TransferRow {
  id: string;
  type: TransferType;
  debit_account_id: string;
  credit_account_id: string;
  amount: string;
  currency: string;
  code: string;
  metadata: Metadata | null;
  pending_id: string | null;
  timeout_at: Date | null;
  payload_hash: string;
  created_at: Date;
}

export function transferFromRow(r: TransferRow): StoredTransfer {
  const amountMinor = BigInt(r.amount);
  return {
    id: r.id,
    type: r.type,
    debitAccountId: r.debit_account_id,
    creditAccountId: r.credit_account_id,
    amount: formatMinor(amountMinor, currencyOf(r.currency).exponent),
    amountMinor,
    currency: r.currency,
    code: codeFromText(r.code),
    codeText: r.code,
    metadata: r.metadata,
    pendingId: r.pending_id,
    timeoutAt: r.timeout_at,
    createdAt: r.created_at,
    hash: r.payload_hash,
  };
}

/** JSON for a jsonb column: BigInts as strings, U+0000 dropped (jsonb refuses it), unserialisable as null. */
export function jsonForDb(value: unknown): string | null {
  try {
    const s = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    return s === undefined ? null : s.replace(/\\u0000/g, '');
  } catch {
    return null;
  }
}
