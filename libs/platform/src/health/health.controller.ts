import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ServiceRuntime } from '../runtime/service-runtime';

@Controller('health')
export class HealthController {
  constructor(@Inject(ServiceRuntime) private readonly runtime: ServiceRuntime) {}

  /** Liveness: the process runs its event loop. Never checks dependencies (a restart would not fix them). */
  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok', service: this.runtime.config.service, instance: this.runtime.config.INSTANCE_ID };
  }

  /** Readiness: 200 when the database and the broker answer and the consumer runs; 503 otherwise. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response) {
    const { ready, checks } = await this.runtime.readiness();
    res.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not ready', service: this.runtime.config.service, checks };
  }
}
