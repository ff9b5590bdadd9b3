import { z } from 'zod';
import { defineCommand } from '../message-contract';
import { replyEnvelope } from '../common/reply.schema';

/** A request/reply round trip with no effect, used by readiness probes of callers and by the demo. */
export const PingSchema = z.object({ from: z.string().min(1).max(64), sentAt: z.iso.datetime() }).strict();
export const PongSchema = z
  .object({ service: z.string(), instanceId: z.string(), receivedAt: z.iso.datetime() })
  .strict();

export function pingCommand(service: 'wallet' | 'payments' | 'lending' | 'scoring') {
  return defineCommand({
    context: service,
    command: 'ping',
    version: 1,
    schema: PingSchema,
    reply: replyEnvelope(PongSchema),
    key: (v) => v.from,
  });
}
