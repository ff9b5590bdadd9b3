import { runMain } from '@paylend/platform';
import { walletService } from './wallet.service';

runMain(walletService);
