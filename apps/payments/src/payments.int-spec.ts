import { describeServiceLifecycle } from '@paylend/platform/testing';
import { paymentsService } from './payments.service';

describeServiceLifecycle(paymentsService, [
  'libs/messaging/migrations',
  'libs/payments/data-access/prisma/migrations',
]);
