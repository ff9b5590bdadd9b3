import { z } from 'zod';
import { defineEvent } from '../message-contract';

/**
 * The example event: every service announces itself through its outbox when it starts, and every service
 * records the announcements it consumes. It proves the outbox -> Kafka -> inbox path in the running apps.
 */
export const ServiceStartedSchema = z
  .object({
    service: z.enum(['wallet', 'payments', 'lending', 'scoring', 'gateway']),
    instanceId: z.string().min(1).max(64),
    startedAt: z.iso.datetime(),
    version: z.string().min(1).max(32),
  })
  .strict();
export type ServiceStarted = z.infer<typeof ServiceStartedSchema>;

export const ServiceStarted = defineEvent({
  context: 'platform',
  entity: 'service',
  event: 'started',
  version: 1,
  schema: ServiceStartedSchema,
  key: (v) => v.service,
});
