import { runMain } from '@paylend/platform';
import { lendingService } from './lending.service';

runMain(lendingService);
