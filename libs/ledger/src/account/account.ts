export type NormalSide = 'debit' | 'credit';

/**
 * active: moves freely. frozen: may still RECEIVE credits (refunds, incoming transfers) but cannot be
 * debited, so "a frozen wallet can receive but cannot send"; capturing an earlier hold that debits it is
 * refused too, while voiding/expiring a hold (which only releases money) is allowed. closed: terminal; no
 * debits or credits at all.
 */
export type AccountStatus = 'active' | 'frozen' | 'closed';

export interface AccountFlags {
  /** Typical for credit-normal accounts holding customer money (wallets): cannot go below zero (+ credit limit). */
  debitsMustNotExceedCredits: boolean;
  /** The mirror image, for debit-normal accounts that must not go negative. */
  creditsMustNotExceedDebits: boolean;
}

export interface AccountInput {
  id: string;
  currency: string;
  normalSide: NormalSide;
  /** Who the account belongs to in the caller's world (a wallet id, a merchant id); opaque to the ledger. */
  ownerRef?: string | null;
  flags?: Partial<AccountFlags>;
  /**
   * How far the restricted side may exceed the other (an overdraft or a credit line), as a decimal string.
   * Needs exactly one of the flags; absent or "0" means none.
   */
  creditLimit?: string | null;
}

export interface Account {
  id: string;
  currency: string;
  normalSide: NormalSide;
  ownerRef: string | null;
  flags: AccountFlags;
  creditLimit: string | null;
  status: AccountStatus;
  createdAt: Date;
}

/** Balances in minor units, the way the engine and the store keep them. */
export interface BalanceMinor {
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsPending: bigint;
  creditsPending: bigint;
}

/** Balances as decimal strings of the account's currency. */
export interface Balance {
  accountId: string;
  currency: string;
  debitsPosted: string;
  creditsPosted: string;
  debitsPending: string;
  creditsPending: string;
  /** Net posted balance on the account's normal side (credits - debits for a credit-normal account). */
  posted: string;
  /** Posted balance less pending outflows (holds); pending inflows are not available until posted. */
  available: string;
  /** `available` plus the unused credit limit: what a debit may take right now. */
  spendable: string;
}

export const ZERO_BALANCE: Readonly<BalanceMinor> = Object.freeze({
  debitsPosted: 0n,
  creditsPosted: 0n,
  debitsPending: 0n,
  creditsPending: 0n,
});

/** The internal, validated form of an account: what the engine needs to judge a transfer. */
export interface AccountSpec {
  id: string;
  currency: string;
  normalSide: NormalSide;
  ownerRef: string | null;
  debitsMustNotExceedCredits: boolean;
  creditsMustNotExceedDebits: boolean;
  creditLimitMinor: bigint;
}
