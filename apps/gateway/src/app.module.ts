import { type DynamicModule, Module } from '@nestjs/common';
import { PeersController, PlatformModule, PRISMA, type ServiceRuntime } from '@paylend/platform';
import { PingController } from './platform/ping.controller';
import { createGatewayPrisma } from '@paylend/gateway-data-access';

@Module({})
export class AppModule {
  static register(runtime: ServiceRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRuntime(runtime)],
      controllers: [PeersController, PingController],
      providers: [
        {
          provide: PRISMA,
          useFactory: () => {
            const prisma = createGatewayPrisma(runtime.config.databaseUrl);
            runtime.onClose(() => prisma.$disconnect());
            return prisma;
          },
        },
      ],
    };
  }
}
