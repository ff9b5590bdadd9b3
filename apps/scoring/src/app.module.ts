import { type DynamicModule, Module } from '@nestjs/common';
import { systemClock } from '@paylend/ledger';
import {
  configOf,
  PeersController,
  pingController,
  PlatformModule,
  PRISMA,
  type ServiceRuntime,
} from '@paylend/platform';
import {
  createScoringPrisma,
  DECISION_READER,
  prismaDecisionReader,
  type ScoringPrismaClient,
} from '@paylend/scoring-data-access';
import { driftSettingsOf, type ScoringConfigSchema } from './config/scoring-config';
import { BehaviourEventsController } from './features/behaviour-events.controller';
import { CLOCK, DRIFT_SETTINGS, loadScoringModel, SCORING_MODEL } from './model/scoring-model';
import { MonitoringController } from './monitoring/monitoring.controller';
import { ApplicationScorer } from './scoring/application-scorer';
import { ScoringController } from './scoring/scoring.controller';

@Module({})
export class AppModule {
  static register(runtime: ServiceRuntime): DynamicModule {
    const config = configOf<typeof ScoringConfigSchema>(runtime);
    // Loaded before Nest starts so a bad model file stops the service with a message naming the setting.
    const model = loadScoringModel(config.SCORING_MODEL_FILE);
    return {
      module: AppModule,
      imports: [PlatformModule.forRuntime(runtime)],
      controllers: [
        PeersController,
        pingController('scoring'),
        ScoringController,
        MonitoringController,
        BehaviourEventsController,
      ],
      providers: [
        {
          provide: PRISMA,
          useFactory: () => {
            const prisma = createScoringPrisma(runtime.config.databaseUrl);
            runtime.onClose(() => prisma.$disconnect());
            return prisma;
          },
        },
        { provide: SCORING_MODEL, useValue: model },
        { provide: DRIFT_SETTINGS, useValue: driftSettingsOf(config) },
        { provide: CLOCK, useValue: systemClock },
        {
          provide: DECISION_READER,
          inject: [PRISMA],
          useFactory: (prisma: ScoringPrismaClient) => prismaDecisionReader(prisma),
        },
        ApplicationScorer,
      ],
    };
  }
}
