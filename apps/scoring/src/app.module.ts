import { type DynamicModule, Module } from '@nestjs/common';
import {
  PeersController,
  pingController,
  PlatformModule,
  PRISMA,
  type ServiceRuntime,
} from '@paylend/platform';
import { createScoringPrisma } from '@paylend/scoring-data-access';

@Module({})
export class AppModule {
  static register(runtime: ServiceRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRuntime(runtime)],
      controllers: [PeersController, pingController('scoring')],
      providers: [
        {
          provide: PRISMA,
          useFactory: () => {
            const prisma = createScoringPrisma(runtime.config.databaseUrl);
            runtime.onClose(() => prisma.$disconnect());
            return prisma;
          },
        },
      ],
    };
  }
}
