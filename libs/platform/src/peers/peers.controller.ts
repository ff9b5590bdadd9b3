import { Controller, Get, Inject, type Type } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { pingCommand, ServiceStarted, type ServiceStarted as ServiceStartedEvent } from '@paylend/contracts';
import { InboxContext } from '../messaging/inbox-transport';
import { ServiceRuntime } from '../runtime/service-runtime';

/** The slice of a service's Prisma client the peers feature reads through (every service has the table). */
export interface PeerSightingReader {
  peerSighting: {
    findMany(args: {
      orderBy: { seenAt: 'asc' | 'desc' };
    }): Promise<Array<{ service: string; instanceId: string; startedAt: Date; seenAt: Date }>>;
  };
}

export const PRISMA = Symbol('PRISMA');

/**
 * The example event's consumer, identical in every service: records each `platform.service.started.v1`
 * it consumes (in the inbox transaction) and lists them through the service's Prisma client.
 */
@Controller('peers')
export class PeersController {
  constructor(
    @Inject(PRISMA) private readonly prisma: PeerSightingReader,
    @Inject(ServiceRuntime) private readonly runtime: ServiceRuntime,
  ) {}

  @EventPattern(ServiceStarted.topic)
  async onServiceStarted(@Payload() event: ServiceStartedEvent, @Ctx() ctx: InboxContext): Promise<void> {
    await ctx.tx.query(
      `INSERT INTO public.peer_sightings (service, instance_id, started_at) VALUES ($1, $2, $3)
       ON CONFLICT (service, instance_id) DO UPDATE SET started_at = EXCLUDED.started_at, seen_at = now()`,
      [event.service, event.instanceId, event.startedAt],
    );
    this.runtime.logger.info({ peer: event.service, peerInstance: event.instanceId }, 'saw a service start');
  }

  @Get()
  async list() {
    const rows = await this.prisma.peerSighting.findMany({ orderBy: { seenAt: 'asc' } });
    return rows.map((r) => ({ ...r, startedAt: r.startedAt.toISOString(), seenAt: r.seenAt.toISOString() }));
  }
}

/** Answers `<service>.ping.cmd.v1`: a request/reply round trip with no effect (demo and smoke checks). */
export function pingController(service: 'wallet' | 'payments' | 'lending' | 'scoring'): Type<unknown> {
  @Controller()
  class PingController {
    constructor(@Inject(ServiceRuntime) private readonly runtime: ServiceRuntime) {}

    @MessagePattern(pingCommand(service).topic)
    pong() {
      return {
        ok: true,
        value: { service, instanceId: this.runtime.config.INSTANCE_ID, receivedAt: new Date().toISOString() },
      };
    }
  }
  return PingController;
}
