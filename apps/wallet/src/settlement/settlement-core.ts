import type { Actor, ErrorBody, SettlementErrorCodeWire, SettlementWindowView } from '@paylend/contracts';
import type { Clock, PgLedger } from '@paylend/ledger';
import { defaultSettlementAccounts, type MerchantAccount, type NettingModel } from '@paylend/settlement';
import { walletRepository, type Sql } from '@paylend/wallet-data-access';
import { feeAccountId } from '../wallet/wallet-core';
import type { WindowRow } from './settlement.repository';

export type Failure = { ok: false; error: ErrorBody };
export type Outcome<T> = { ok: true; value: T } | Failure;

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export function fail(code: SettlementErrorCodeWire, message: string, details?: unknown): Failure {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}

/** Where a merchant is paid, as the payments service (which owns merchants) knows it. */
export interface MerchantLookup {
  bankAccounts(
    actor: Actor,
    merchantIds: readonly string[],
  ): Promise<Outcome<Map<string, { bankAccount: string; name: string }>>>;
}

export interface SettlementDeps {
  ledger: PgLedger;
  clock: Clock;
  merchants: MerchantLookup;
  currencies: readonly string[];
  /**
   * False when the database lacks the "settlement" migration set (a stack that applied only the wallet's
   * older sets): order events are then acknowledged without clearing, with an error logged at start.
   */
  schemaReady: boolean;
}

/** Captures land net in the merchant's wallet; fees go to the platform, which gets no bank instruction. */
export const FEE_PARTICIPANT = 'platform:fees';
export const MODEL: NettingModel = { kind: 'multilateral-net', feeParticipant: FEE_PARTICIPANT };
export const accounts = defaultSettlementAccounts;
export { feeAccountId };
export const merchantParticipant = (merchantId: string) => `merchant:${merchantId}`;
export const schemeOf = (currency: string) => `qr-${currency.toLowerCase()}`;

/** The ledger accounts settlement posts to besides the wallets: fees, clearing, bank, suspense, write-off. */
export function settlementAccountInputs(currencies: readonly string[]) {
  return currencies.flatMap((currency) => [
    { id: feeAccountId(currency), currency, normalSide: 'credit' as const },
    { id: accounts.clearing(currency), currency, normalSide: 'credit' as const },
    { id: accounts.bank(currency), currency, normalSide: 'debit' as const },
    { id: accounts.suspense(currency), currency, normalSide: 'credit' as const },
    { id: accounts.writeOff(currency), currency, normalSide: 'debit' as const },
  ]);
}

export const isOperator = (a: Actor) => a.roles.includes('operator');

/**
 * Runs an operator action and writes the wallet's append-only audit log in the same transaction, whatever
 * the result: who, what, when (the row's time), from where (actor.ip) and how it ended.
 */
export async function audited<T>(
  tx: Sql,
  actor: Actor,
  action: string,
  reason: string | null,
  run: () => Promise<Outcome<T>>,
  details?: (r: Outcome<T>) => unknown,
): Promise<Outcome<T>> {
  const result = isOperator(actor) ? await run() : fail('FORBIDDEN', `${action} is an operator action`);
  await walletRepository.audit(tx, {
    actorId: actor.userId,
    actorRoles: actor.roles,
    actorIp: actor.ip ?? null,
    action,
    walletId: null,
    reason,
    result: result.ok ? 'ok' : `refused: ${result.error.code}`,
    details: details ? details(result) : undefined,
  });
  return result;
}

export function windowView(w: WindowRow, transferCount: number): SettlementWindowView {
  return {
    windowId: w.id,
    scheme: w.scheme,
    sequence: w.sequence,
    status: w.status,
    openedAt: w.openedAt,
    closesAt: w.closesAt,
    closedAt: w.closedAt ?? null,
    closedBy: w.closedBy,
    settledAt: w.settledAt ?? null,
    transferCount,
  };
}

/** A daily window closes at the first UTC midnight after it opened. */
export function endOfDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));
}

export type Merchants = Map<string, MerchantAccount>;
