import { runMain } from '@paylend/platform';
import { paymentsService } from './payments.service';

runMain(paymentsService);
