import { Inject, Injectable } from '@nestjs/common';
import type {
  Actor,
  MerchantView,
  PayloadOf,
  StaticQrView,
  WebhookEndpointView,
  configureWebhookCommand,
  onboardMerchantCommand,
  setMerchantStatusCommand,
} from '@paylend/contracts';
import { currencyOf, MoneyError } from '@paylend/ledger';
import type { PoolClient } from 'pg';
import { isOperator, ownsMerchant } from '../common/actor-access';
import { CLOCK, type Clock } from '../common/clock';
import { PaymentsError } from '../common/payments-error';
import type { Sql } from '../common/sql';
import { staticQrPayload } from '../qr/merchant-qr';
import { WalletPort } from '../wallet/wallet-port';
import { newWebhookSecret } from '../webhook/webhook-signature';
import { webhookRepository } from '../webhook/webhook.repository';
import { merchantRepository as repo, merchantView, type MerchantRow } from './merchant.repository';

/** Loads a merchant the actor may act for; a foreign one is reported exactly like a missing one. */
export async function merchantFor(
  sql: Sql,
  actor: Actor,
  merchantId: string,
  lock = false,
): Promise<MerchantRow> {
  const m = await repo.get(sql, merchantId, lock);
  if (!ownsMerchant(actor, m)) {
    throw new PaymentsError('MERCHANT_NOT_FOUND', `no merchant ${merchantId} that you can act for`);
  }
  return m!;
}

export function requireActive(m: MerchantRow): void {
  if (m.status !== 'active') {
    throw new PaymentsError('MERCHANT_SUSPENDED', `merchant ${m.id} is suspended and cannot take payments`);
  }
}

@Injectable()
export class MerchantService {
  constructor(
    @Inject(WalletPort) private readonly wallet: WalletPort,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Onboards a merchant owned by the actor, opening the wallet its captures are paid into. Idempotent by id. */
  async onboard(
    tx: PoolClient,
    cmd: PayloadOf<typeof onboardMerchantCommand>,
  ): Promise<MerchantView & { created: boolean }> {
    if (!cmd.actor.roles.includes('merchant') && !isOperator(cmd.actor)) {
      throw new PaymentsError('FORBIDDEN', 'only a merchant account (or an operator) can onboard a merchant');
    }
    try {
      currencyOf(cmd.currency);
    } catch (err) {
      if (err instanceof MoneyError) throw new PaymentsError('AMOUNT_INVALID', err.message);
      throw err;
    }
    // Refused now rather than at its first QR: every merchant must fit in an EMV static QR.
    staticQrPayload({
      id: cmd.merchantId,
      name: cmd.name,
      city: cmd.city,
      country: cmd.country,
      mcc: cmd.mcc,
      currency: cmd.currency,
    });
    const existing = await repo.get(tx, cmd.merchantId, true);
    if (existing) {
      const same =
        existing.ownerUserId === cmd.actor.userId &&
        existing.name === cmd.name &&
        existing.currency === cmd.currency &&
        existing.feeRate === normaliseRate(cmd.feeRate);
      if (!same)
        throw new PaymentsError('MERCHANT_EXISTS', `merchant id ${cmd.merchantId} is taken; choose another`);
      return { ...merchantView(existing), created: false };
    }
    const wallet = await this.wallet.openMerchantWallet(cmd.merchantId, cmd.currency);
    if (!wallet.ok) {
      throw new PaymentsError(
        wallet.unavailable ? 'WALLET_UNAVAILABLE' : 'WALLET_REFUSED',
        `the wallet could not open the merchant's account: ${wallet.error.message}`,
        { walletError: wallet.error.code },
      );
    }
    const m = await repo.insert(tx, {
      id: cmd.merchantId,
      ownerUserId: cmd.actor.userId,
      name: cmd.name,
      city: cmd.city,
      country: cmd.country,
      mcc: cmd.mcc,
      currency: cmd.currency,
      settlementAccount: cmd.settlementAccount,
      feeRate: cmd.feeRate,
      walletId: wallet.value.walletId,
      createdAt: this.clock.now(),
    });
    return { ...merchantView(m), created: true };
  }

  async get(tx: PoolClient, actor: Actor, merchantId: string): Promise<MerchantView> {
    return merchantView(await merchantFor(tx, actor, merchantId));
  }

  async setStatus(tx: PoolClient, cmd: PayloadOf<typeof setMerchantStatusCommand>): Promise<MerchantView> {
    const m = await merchantFor(tx, cmd.actor, cmd.merchantId, true);
    // A merchant may suspend itself; only an operator lifts a suspension.
    if (cmd.status === 'active' && m.status !== 'active' && !isOperator(cmd.actor)) {
      throw new PaymentsError('FORBIDDEN', 'only an operator can reactivate a suspended merchant');
    }
    return merchantView(await repo.setStatus(tx, m.id, cmd.status));
  }

  async staticQr(tx: PoolClient, actor: Actor, merchantId: string): Promise<StaticQrView> {
    const m = await merchantFor(tx, actor, merchantId);
    requireActive(m);
    return { merchantId: m.id, qrPayload: staticQrPayload(m) };
  }

  /** Sets where notifications go; a new endpoint (or `rotateSecret`) gets a new signing key, shown once. */
  async configureWebhook(
    tx: PoolClient,
    cmd: PayloadOf<typeof configureWebhookCommand>,
  ): Promise<WebhookEndpointView> {
    const m = await merchantFor(tx, cmd.actor, cmd.merchantId, true);
    const current = await webhookRepository.endpoint(tx, m.id);
    const fresh = !current || cmd.rotateSecret === true;
    const key = fresh ? newWebhookSecret() : { keyId: current.keyId, secret: current.secret };
    const createdAt = this.clock.now();
    await webhookRepository.upsertEndpoint(tx, { merchantId: m.id, url: cmd.url, ...key, createdAt });
    return {
      merchantId: m.id,
      url: cmd.url,
      keyId: key.keyId,
      secret: fresh ? key.secret : null,
      createdAt: createdAt.toISOString(),
    };
  }
}

function normaliseRate(rate: string): string {
  return rate.includes('.') ? rate.replace(/0+$/, '').replace(/\.$/, '') || '0' : rate;
}
