import {
  type DynamicModule,
  Global,
  Inject,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HealthController } from './health/health.controller';
import { ServiceRuntime } from './runtime/service-runtime';

export const PG_POOL = Symbol('PG_POOL');
export const REQUEST_CLIENT = Symbol('REQUEST_CLIENT');

/**
 * Shutdown order: readiness turns false first (load balancers stop sending), Nest then closes the HTTP
 * server and the Kafka consumer (in-flight messages finish and commit), and last the runtime releases the
 * relay, producer and database pool.
 */
class RuntimeLifecycle implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(@Inject(ServiceRuntime) private readonly runtime: ServiceRuntime) {}

  beforeApplicationShutdown(signal?: string): void {
    this.runtime.shuttingDown = true;
    this.runtime.logger.info({ signal }, 'shutting down: readiness off, draining');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.close();
    this.runtime.logger.info('stopped cleanly');
  }
}

@Global()
@Module({})
export class PlatformModule {
  static forRuntime(runtime: ServiceRuntime): DynamicModule {
    return {
      module: PlatformModule,
      controllers: [HealthController],
      providers: [
        { provide: ServiceRuntime, useValue: runtime },
        { provide: PG_POOL, useValue: runtime.pool },
        { provide: REQUEST_CLIENT, useFactory: () => runtime.requestClient },
        RuntimeLifecycle,
      ],
      exports: [ServiceRuntime, PG_POOL, REQUEST_CLIENT],
    };
  }
}
