import { z } from 'zod';
import { defineCommand } from '../message-contract';
import { replyEnvelope } from '../common/reply.schema';

/** A request/reply round trip with no effect, used by readiness probes of callers and by the demo. */
export const PingSchema = z.object({ from: z.string().min(1).max(64), sentAt: z.iso.datetime() }).strict();
export const PongSchema = z
  .object({ service: z.string(), instanceId: z.string(), receivedAt: z.iso.datetime() })
  .strict();

type PingedService = 'wallet' | 'payments' | 'lending' | 'scoring';

const PongReply = replyEnvelope(PongSchema);
const pingContracts = new Map<PingedService, ReturnType<typeof definePing>>();

function definePing(service: PingedService) {
  return defineCommand({
    context: service,
    command: 'ping',
    version: 1,
    schema: PingSchema,
    reply: PongReply,
    key: (v) => v.from,
  });
}

/**
 * One contract per service, built once: zod compiles a schema's parser on its first parse, so a contract
 * built per ping compiled its reply schema on every ping.
 */
export function pingCommand(service: PingedService) {
  let contract = pingContracts.get(service);
  if (!contract) pingContracts.set(service, (contract = definePing(service)));
  return contract;
}
