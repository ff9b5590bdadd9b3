import { describeServiceLifecycle } from '@paylend/platform/testing';
import { lendingService } from './lending.service';

describeServiceLifecycle(lendingService, [
  'libs/messaging/migrations',
  'libs/lending/data-access/prisma/migrations',
]);
