import { ConsumerPaymentsController } from './consumer-payments.controller';
import { MerchantPaymentsController } from './merchant-payments.controller';

/** The payments routes, registered by the gateway's AppModule. */
export const PAYMENTS_CONTROLLERS = [MerchantPaymentsController, ConsumerPaymentsController];
