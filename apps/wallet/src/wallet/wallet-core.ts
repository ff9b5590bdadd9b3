import type { Actor, ErrorBody, MoneyDto, WalletErrorCode, WalletView } from '@paylend/contracts';
import { Money, type Clock, type PgLedger, type TransferErrorCode, type PostResult } from '@paylend/ledger';
import { ledgerReads, type Sql, type WalletRow } from '@paylend/wallet-data-access';
import type { KycTiers } from '../kyc/kyc-tiers';

export type Failure = { ok: false; error: ErrorBody };
export type Outcome<T> = { ok: true; value: T } | Failure;

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail(code: WalletErrorCode, message: string, details?: unknown): Failure {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}

/** What every wallet use case needs: the ledger (posting on the caller's transaction), tiers and the clock. */
export interface WalletDeps {
  ledger: PgLedger;
  tiers: KycTiers;
  clock: Clock;
  /** How long a withdrawal waits for the bank before it is voided as timed out. */
  withdrawalTimeoutSeconds: number;
}

export const walletAccountId = (walletId: string) => `wallet:${walletId}`;
/** Where cash comes in from (top-ups), goes out to (withdrawals) and where captured holds land. */
export const systemAccountId = (role: 'cash-in' | 'cash-out' | 'clearing', currency: string) =>
  `sys:${role}:${currency}`;

/**
 * The platform's fee revenue per currency: a capture with a fee credits it from the receiving wallet, and
 * settlement nets it as the fee participant. Created at start by the settlement module.
 */
export const feeAccountId = (currency: string) => `settlement:fees:${currency}`;

/** Operators and other services may act on any wallet; everyone else only on their own. */
export function isPrivileged(actor: Actor): boolean {
  return actor.roles.includes('operator') || actor.roles.includes('service');
}

/** A wallet the actor may not see is reported exactly like one that does not exist. */
export function visibleTo(actor: Actor, wallet: WalletRow | null | undefined): wallet is WalletRow {
  return !!wallet && (isPrivileged(actor) || wallet.user_id === actor.userId);
}

/**
 * Money leaves a wallet only on its owner's word or a platform service's (a payment it takes). Operators see
 * every wallet and may freeze it or change its tier, but moving a customer's money out is not theirs to do.
 */
export function mayMoveFrom(actor: Actor, wallet: WalletRow): Failure | null {
  if (wallet.user_id === actor.userId || actor.roles.includes('service')) return null;
  return fail(
    'FORBIDDEN',
    `only the owner of wallet ${wallet.id} (or a platform service) moves money out of it`,
  );
}

/**
 * Who may capture or void a hold: the actor that placed it, or an operator or service. A payment service's
 * hold on a payer's wallet is the service's to capture (with its fee) or release, not the payer's.
 */
export function mayResolve(actor: Actor, hold: { id: string; placed_by: string | null }): Failure | null {
  if (isPrivileged(actor) || hold.placed_by === null || hold.placed_by === actor.userId) return null;
  return fail(
    'FORBIDDEN',
    `hold ${hold.id} was placed by ${hold.placed_by}; only it or an operator resolves it`,
  );
}

export function walletNotFound(walletId: string): Failure {
  return fail('WALLET_NOT_FOUND', `no wallet ${walletId} that you can access`);
}

export function money(minor: bigint, currency: string): MoneyDto {
  return { amount: Money.fromMinor(minor, currency).amount, currency };
}

/** Parses a wire amount for a wallet: positive, in the wallet's currency, with at most its decimals. */
export function parseAmount(dto: MoneyDto, currency: string): { ok: true; minor: bigint } | Failure {
  if (dto.currency !== currency) {
    return fail('CURRENCY_MISMATCH', `the amount is in ${dto.currency} but the wallet holds ${currency}`);
  }
  let minor: bigint;
  try {
    minor = Money.of(dto.amount, dto.currency).toMinor();
  } catch (err) {
    return fail('AMOUNT_INVALID', (err as Error).message);
  }
  if (minor <= 0n) return fail('AMOUNT_INVALID', `amount must be positive (got "${dto.amount}")`);
  return { ok: true, minor };
}

export function statusRefusal(wallet: WalletRow, sending: boolean): Failure | null {
  if (wallet.status === 'closed') return fail('WALLET_CLOSED', `wallet ${wallet.id} is closed`);
  if (sending && wallet.status === 'frozen') {
    return fail(
      'WALLET_FROZEN',
      `wallet ${wallet.id} is frozen: it can receive money but cannot send until an operator unfreezes it`,
    );
  }
  return null;
}

const LEDGER_CODES: Partial<Record<TransferErrorCode, WalletErrorCode>> = {
  INSUFFICIENT_FUNDS: 'INSUFFICIENT_FUNDS',
  ID_CONFLICT: 'ID_CONFLICT',
  ACCOUNT_FROZEN: 'WALLET_FROZEN',
  ACCOUNT_CLOSED: 'WALLET_CLOSED',
  AMOUNT_INVALID: 'AMOUNT_INVALID',
  CURRENCY_MISMATCH: 'CURRENCY_MISMATCH',
  AMOUNT_EXCEEDS_PENDING: 'AMOUNT_EXCEEDS_HOLD',
  PENDING_EXPIRED: 'HOLD_EXPIRED',
};

/** A refused posting as a wallet failure, keeping the ledger's code in the details. */
export function ledgerRefusal(result: Extract<PostResult, { ok: false }>): Failure {
  return fail(LEDGER_CODES[result.code] ?? 'LEDGER_REFUSED', result.message, { ledgerCode: result.code });
}

export async function walletView(deps: WalletDeps, w: WalletRow): Promise<WalletView> {
  const [b] = await deps.ledger.balances([w.ledger_account_id]);
  const zero = Money.zero(w.currency).amount;
  return {
    walletId: w.id,
    userId: w.user_id,
    currency: w.currency,
    status: w.status,
    tier: w.tier,
    balance: { amount: b?.posted ?? zero, currency: w.currency },
    available: { amount: b?.available ?? zero, currency: w.currency },
    createdAt: w.created_at.toISOString(),
  };
}

/** Posted balance in minor units, read in the caller's transaction (the wallet row lock keeps it still). */
export function postedMinor(tx: Sql, w: WalletRow): Promise<bigint> {
  return ledgerReads.postedMinor(tx, w.ledger_account_id);
}

export function limitFailure(
  refusal: { code: WalletErrorCode; limitMinor: bigint; wouldBeMinor: bigint },
  wallet: WalletRow,
): Failure {
  const limit = money(refusal.limitMinor, wallet.currency);
  const wouldBe = money(refusal.wouldBeMinor, wallet.currency);
  const what: Record<string, string> = {
    LIMIT_PER_TRANSACTION: 'the per-transaction limit',
    LIMIT_DAILY_OUTFLOW: "today's outflow limit",
    LIMIT_MONTHLY_OUTFLOW: "this month's outflow limit",
    LIMIT_BALANCE_CAP: "the recipient's balance cap",
  };
  return fail(
    refusal.code,
    `this would exceed ${what[refusal.code] ?? 'a limit'} of KYC tier ${wallet.tier}: ${wouldBe.amount} > ${limit.amount} ${wallet.currency}; verify your identity to raise the tier`,
    { limit, wouldBe, tier: wallet.tier },
  );
}
