import { describeServiceLifecycle } from '@paylend/platform/testing';
import { walletService } from './wallet.service';

describeServiceLifecycle(walletService, [
  'libs/messaging/migrations',
  'libs/ledger/prisma/migrations',
  'libs/wallet/data-access/prisma/migrations',
  'libs/settlement/prisma/migrations',
]);
