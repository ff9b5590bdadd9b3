import { runMain } from '@paylend/platform';
import { scoringService } from './scoring.service';

runMain(scoringService);
