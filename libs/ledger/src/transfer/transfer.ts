export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A small JSON object the caller attaches to a transfer (an order id, a note); at most 4 KiB as JSON. */
export type Metadata = { [key: string]: JsonValue };

/** A category the caller chooses: a non-negative integer or a short string that is not all digits. */
export type TransferCode = number | string;

interface TransferInputBase {
  /** Client-supplied, unique for ever; replaying it with the same payload returns the first result. */
  id: string;
  metadata?: Metadata | null;
  /** Links this transfer to the next one in the batch: the chain up to the first unlinked one is all-or-nothing. */
  linked?: boolean;
}

export interface SingleTransferInput extends TransferInputBase {
  type?: 'single';
  debitAccountId: string;
  creditAccountId: string;
  /** Decimal string in `currency`, e.g. "12.30"; at most the currency's decimals; must be positive. */
  amount: string;
  currency: string;
  code: TransferCode;
}

/** Reserves `amount` (a hold) until posted, voided or expired. */
export interface PendingTransferInput extends Omit<SingleTransferInput, 'type'> {
  type: 'pending';
  /** Seconds until the hold expires (read from the ledger's clock); omit for no expiry. */
  timeoutSeconds?: number | null;
}

/** Posts a pending transfer, in full or partially (the rest is released). */
export interface PostPendingInput extends TransferInputBase {
  type: 'post_pending';
  pendingId: string;
  /** Defaults to the full pending amount. */
  amount?: string | null;
  /** If given, must equal the pending transfer's currency. */
  currency?: string | null;
  /** Defaults to the pending transfer's code. */
  code?: TransferCode | null;
}

export interface VoidPendingInput extends TransferInputBase {
  type: 'void_pending';
  pendingId: string;
  code?: TransferCode | null;
}

export type TransferInput = SingleTransferInput | PendingTransferInput | PostPendingInput | VoidPendingInput;

/** expire_pending transfers are written by the ledger itself (`expirePending`), never by callers. */
export type TransferType = 'single' | 'pending' | 'post_pending' | 'void_pending' | 'expire_pending';

export type PendingStatus = 'open' | 'posted' | 'voided' | 'expired';

/** A transfer as recorded in the journal; immutable once written. */
export interface Transfer {
  id: string;
  type: TransferType;
  debitAccountId: string;
  creditAccountId: string;
  /** Posted amount (single, post_pending), held amount (pending) or released amount (void/expire). */
  amount: string;
  currency: string;
  code: TransferCode;
  metadata: Metadata | null;
  /** The pending transfer a post/void/expire resolves. */
  pendingId: string | null;
  /** When a pending transfer expires. */
  timeoutAt: Date | null;
  createdAt: Date;
}

/** Id prefix of ledger-written expiry transfers; client ids cannot start with "~". */
export const EXPIRY_ID_PREFIX = '~expired:';
export function expiryTransferId(pendingId: string): string {
  return EXPIRY_ID_PREFIX + pendingId;
}
