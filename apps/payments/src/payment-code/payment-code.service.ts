import { Inject, Injectable } from '@nestjs/common';
import type { Actor, PaymentCodeView } from '@paylend/contracts';
import type { PoolClient } from 'pg';
import { CLOCK, type Clock } from '../common/clock';
import { PaymentsError } from '../common/payments-error';
import { PAYMENTS_CONFIG, type PaymentsConfig } from '../config/payments-config';
import { WalletPort } from '../wallet/wallet-port';
import { derivePaymentCode, newWalletToken } from './payment-code';
import { paymentCodeRepository as repo } from './payment-code.repository';

@Injectable()
export class PaymentCodeService {
  constructor(
    @Inject(WalletPort) private readonly wallet: WalletPort,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
  ) {}

  /**
   * The code a consumer's app shows now. The wallet is asked once who owns it (when it gets its token);
   * after that the token row answers, so showing a code costs no wallet round trip.
   */
  async issue(tx: PoolClient, actor: Actor, walletId: string): Promise<PaymentCodeView> {
    let holder = await repo.byWallet(tx, walletId);
    if (!holder) {
      const w = await this.wallet.walletFor(actor, walletId);
      if (!w.ok) {
        if (w.unavailable) throw new PaymentsError('WALLET_UNAVAILABLE', w.error.message);
        throw new PaymentsError('FORBIDDEN', `no wallet ${walletId} that you can pay from`, {
          walletError: w.error.code,
        });
      }
      if (w.value.status !== 'active')
        throw new PaymentsError('FORBIDDEN', `wallet ${walletId} is ${w.value.status}`);
      for (let i = 0; i < 5 && !holder; i++) {
        const token = newWalletToken();
        if (await repo.register(tx, token, walletId, w.value.userId))
          holder = { token, userId: w.value.userId };
        else holder = await repo.byWallet(tx, walletId); // registered concurrently
      }
      if (!holder) throw new Error('could not draw a free payment-code token in 5 tries');
    }
    if (holder.userId !== actor.userId)
      throw new PaymentsError('FORBIDDEN', `no wallet ${walletId} that you can pay from`);
    const d = derivePaymentCode({
      secret: this.config.PAYMENT_CODE_SECRET,
      walletId,
      token: holder.token,
      at: this.clock.now(),
    });
    return {
      code: d.code,
      walletId,
      validFrom: d.validFrom.toISOString(),
      validUntil: d.validUntil.toISOString(),
    };
  }
}
