import { runMain } from '@paylend/platform';
import { gatewayService } from './gateway.service';

runMain(gatewayService);
