import {
  ModelDriftDetected,
  pingCommand,
  PopulationStabilityCommand,
  RepaymentRecorded,
  ScoreApplicationCommand,
  ServiceStarted,
  TransferPosted,
  WalletOpened,
} from '@paylend/contracts';
import type { ServiceDefinition } from '@paylend/platform';
import { AppModule } from './app.module';
import { ScoringConfigSchema } from './config/scoring-config';

const consumed = [
  ServiceStarted,
  pingCommand('scoring'),
  ScoreApplicationCommand,
  PopulationStabilityCommand,
  RepaymentRecorded,
  WalletOpened,
  TransferPosted,
];

/** The scoring service: what it consumes and produces, and its Nest module. */
export const scoringService: ServiceDefinition<typeof ScoringConfigSchema> = {
  service: 'scoring',
  configSchema: ScoringConfigSchema,
  contracts: [...consumed, ModelDriftDetected],
  consumes: consumed.map((c) => c.topic),
  module: (runtime) => AppModule.register(runtime),
};
