import type { PoolClient } from 'pg';
import {
  type Actor,
  type AuditEntryView,
  type PayloadOf,
  WalletStatusChanged,
  type WalletView,
  type auditLogCommand,
  type setWalletStatusCommand,
  type setWalletTierCommand,
} from '@paylend/contracts';
import { enqueue } from '@paylend/messaging';
import { walletRepository as repo } from '@paylend/wallet-data-access';
import { fail, ok, type Outcome, type WalletDeps, walletView } from '../wallet/wallet-core';

const isOperator = (a: Actor) => a.roles.includes('operator');

/**
 * Runs an operator action and records it in the append-only audit log in the same transaction, whatever
 * its result: who, what, on which wallet, why, from where, and how it ended.
 */
async function audited<T>(
  tx: PoolClient,
  actor: Actor,
  action: string,
  walletId: string | null,
  reason: string | null,
  run: () => Promise<Outcome<T>>,
  details?: unknown,
): Promise<Outcome<T>> {
  const result = isOperator(actor) ? await run() : fail('FORBIDDEN', `${action} is an operator action`);
  await repo.audit(tx, {
    actorId: actor.userId,
    actorRoles: actor.roles,
    actorIp: actor.ip ?? null,
    action,
    walletId,
    reason,
    result: result.ok ? 'ok' : `refused: ${result.error.code}`,
    details,
  });
  return result;
}

/** Freeze: the wallet keeps receiving but cannot send. Unfreeze: back to active. Both need a reason. */
export function setWalletStatus(
  deps: WalletDeps,
  tx: PoolClient,
  cmd: PayloadOf<typeof setWalletStatusCommand>,
) {
  return audited<WalletView>(tx, cmd.actor, `wallet.${cmd.action}`, cmd.walletId, cmd.reason, async () => {
    const w = (await repo.lock(tx, [cmd.walletId])).get(cmd.walletId);
    if (!w) return fail('WALLET_NOT_FOUND', `no wallet ${cmd.walletId}`);
    if (w.status === 'closed')
      return fail('WALLET_CLOSED', `wallet ${w.id} is closed; it cannot be frozen or unfrozen`);
    const to = cmd.action === 'freeze' ? 'frozen' : 'active';
    if (w.status !== to) {
      await repo.setStatus(tx, w.id, to);
      await enqueue(tx, WalletStatusChanged, {
        walletId: w.id,
        from: w.status,
        to,
        reason: cmd.reason,
        operatorId: cmd.actor.userId,
        at: deps.clock.now().toISOString(),
      });
    }
    return ok(await walletView(deps, { ...w, status: to }));
  });
}

export function setWalletTier(deps: WalletDeps, tx: PoolClient, cmd: PayloadOf<typeof setWalletTierCommand>) {
  return audited<WalletView>(
    tx,
    cmd.actor,
    'wallet.set-tier',
    cmd.walletId,
    cmd.reason,
    async () => {
      const w = (await repo.lock(tx, [cmd.walletId])).get(cmd.walletId);
      if (!w) return fail('WALLET_NOT_FOUND', `no wallet ${cmd.walletId}`);
      if (!deps.tiers.hasTier(cmd.tier))
        return fail('TIER_UNKNOWN', `there is no KYC tier ${cmd.tier} in the tier configuration`);
      await repo.setTier(tx, w.id, cmd.tier);
      return ok(await walletView(deps, { ...w, tier: cmd.tier }));
    },
    { tier: cmd.tier },
  );
}

export async function auditLog(
  tx: PoolClient,
  cmd: PayloadOf<typeof auditLogCommand>,
): Promise<Outcome<AuditEntryView[]>> {
  if (!isOperator(cmd.actor)) return fail('FORBIDDEN', 'the audit log is for operators');
  const rows = await repo.auditLog(tx, cmd.walletId ?? null, cmd.limit ?? 100);
  return ok(
    rows.map((r) => ({
      id: r.id,
      actorId: r.actor_id,
      actorIp: r.actor_ip,
      action: r.action,
      walletId: r.wallet_id,
      reason: r.reason,
      result: r.result,
      at: r.at.toISOString(),
    })),
  );
}
