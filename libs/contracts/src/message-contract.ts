import { z } from 'zod';
import { commandTopic, eventTopic } from './topic-names';

/**
 * A message contract: its topic, the schema of its value (validated by the producer before it is written
 * and by every consumer before it is handled) and how its key is derived, so that all messages about one
 * entity land on one partition and stay in order.
 */
export interface MessageContract<T = unknown> {
  readonly kind: 'event' | 'command';
  readonly topic: string;
  readonly schema: z.ZodType<T>;
  keyOf(value: T): string;
}

export interface CommandContract<T = unknown, R = unknown> extends MessageContract<T> {
  readonly kind: 'command';
  readonly replySchema: z.ZodType<R>;
}

export type PayloadOf<C> = C extends MessageContract<infer T> ? T : never;
export type ReplyOf<C> = C extends CommandContract<unknown, infer R> ? R : never;

export function defineEvent<T>(spec: {
  context: string;
  entity: string;
  event: string;
  version: number;
  schema: z.ZodType<T>;
  key: (value: T) => string;
}): MessageContract<T> {
  return {
    kind: 'event',
    topic: eventTopic(spec.context, spec.entity, spec.event, spec.version),
    schema: spec.schema,
    keyOf: spec.key,
  };
}

export function defineCommand<T, R>(spec: {
  context: string;
  command: string;
  version: number;
  schema: z.ZodType<T>;
  reply: z.ZodType<R>;
  key: (value: T) => string;
}): CommandContract<T, R> {
  return {
    kind: 'command',
    topic: commandTopic(spec.context, spec.command, spec.version),
    schema: spec.schema,
    replySchema: spec.reply,
    keyOf: spec.key,
  };
}

export class ContractViolation extends Error {
  readonly code = 'CONTRACT_VIOLATION';
  constructor(
    readonly topic: string,
    readonly issues: Array<{ path: string; message: string }>,
  ) {
    super(
      `message on ${topic} does not match its schema: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
    );
  }
}

/** Parses a value against its contract, returning the typed value or throwing a ContractViolation. */
export function validateMessage<T>(contract: MessageContract<T>, value: unknown): T {
  const parsed = contract.schema.safeParse(value);
  if (!parsed.success) {
    throw new ContractViolation(
      contract.topic,
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    );
  }
  return parsed.data;
}
