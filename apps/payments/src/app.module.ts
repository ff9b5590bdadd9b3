import { type DynamicModule, Module } from '@nestjs/common';
import {
  PeersController,
  pingController,
  PlatformModule,
  PRISMA,
  type ServiceRuntime,
} from '@paylend/platform';
import { createPaymentsPrisma } from '@paylend/payments-data-access';
import { CLOCK, type Clock } from './common/clock';
import { PAYMENTS_CONFIG, paymentsConfig } from './config/payments-config';
import { MerchantController } from './merchant/merchant.controller';
import { MerchantService } from './merchant/merchant.service';
import { OrderController } from './order/order.controller';
import { OrderExpirySweeper } from './order/order-expiry.sweeper';
import { OrderService } from './order/order.service';
import { PaymentCodeService } from './payment-code/payment-code.service';
import { PaymentController } from './payment/payment.controller';
import { PaymentService } from './payment/payment.service';
import { PendingRecovery } from './payment/pending-recovery';
import { PaymentDriver } from './payment/payment-driver';
import { WalletPort } from './wallet/wallet-port';
import { WebhookDispatcher } from './webhook/webhook.dispatcher';

@Module({})
export class AppModule {
  static register(runtime: ServiceRuntime, clock: Clock): DynamicModule {
    const config = paymentsConfig(runtime);
    return {
      module: AppModule,
      imports: [PlatformModule.forRuntime(runtime)],
      controllers: [
        PeersController,
        pingController('payments'),
        MerchantController,
        OrderController,
        PaymentController,
      ],
      providers: [
        {
          provide: PRISMA,
          useFactory: () => {
            const prisma = createPaymentsPrisma(runtime.config.databaseUrl);
            runtime.onClose(() => prisma.$disconnect());
            return prisma;
          },
        },
        { provide: CLOCK, useValue: clock },
        { provide: PAYMENTS_CONFIG, useValue: config },
        {
          provide: WalletPort,
          useFactory: () => {
            if (!runtime.requestClient) throw new Error('payments needs the request client (requests: true)');
            return new WalletPort(runtime.requestClient, config.WALLET_TIMEOUT_MS);
          },
        },
        MerchantService,
        OrderService,
        PaymentService,
        PaymentCodeService,
        WebhookDispatcher,
        OrderExpirySweeper,
        PendingRecovery,
        PaymentDriver,
      ],
    };
  }
}
