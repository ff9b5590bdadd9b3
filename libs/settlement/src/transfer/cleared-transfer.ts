export type TransferKind = 'payment' | 'refund';

/** A transfer cleared into a settlement window, in integer minor units of its currency. */
export interface ClearedTransfer {
  id: string;
  payer: string;
  payee: string;
  /** Positive minor units. */
  amountMinor: bigint;
  currency: string;
  /** Defaults to 'payment'. A refund runs merchant (payer) to customer (payee). */
  kind?: TransferKind;
  /**
   * Fee in minor units charged to the merchant side — the payee of a payment, the payer of a refund — and
   * credited to the model's fee participant. Defaults to zero.
   */
  feeMinor?: bigint;
}
