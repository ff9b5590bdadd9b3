import { describeServiceLifecycle } from '@paylend/platform/testing';
import { scoringService } from './scoring.service';

describeServiceLifecycle(scoringService, [
  'libs/messaging/migrations',
  'libs/scoring/data-access/prisma/migrations',
]);
