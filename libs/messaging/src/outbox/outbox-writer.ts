import { randomUUID } from 'node:crypto';
import type { ClientBase } from 'pg';
import { type MessageContract, validateMessage } from '@paylend/contracts';
import { HEADER } from '../kafka/headers';

export interface OutboxEntry {
  messageId: string;
  topic: string;
  key: string;
  value: unknown;
  headers: Record<string, string>;
}

/**
 * Writes messages to the outbox on the caller's transaction, so the message exists if and only if the
 * change it announces committed. Values are validated against their contract before they are written.
 */
export async function enqueue<T>(
  tx: ClientBase,
  contract: MessageContract<T>,
  value: T,
  extraHeaders: Record<string, string> = {},
): Promise<OutboxEntry> {
  const [entry] = await enqueueMany(tx, contract, [value], extraHeaders);
  return entry!;
}

export async function enqueueMany<T>(
  tx: ClientBase,
  contract: MessageContract<T>,
  values: T[],
  extraHeaders: Record<string, string> = {},
): Promise<OutboxEntry[]> {
  return enqueueAll(tx, [outboxBatch(contract, values)], extraHeaders);
}

/** Messages of one contract, for `enqueueAll`. */
export interface OutboxBatch {
  readonly entries: (extraHeaders: Record<string, string>) => OutboxEntry[];
}

export function outboxBatch<T>(contract: MessageContract<T>, values: T[]): OutboxBatch {
  return {
    entries: (extraHeaders) =>
      values.map((v) => {
        const value = validateMessage(contract, v);
        const messageId = randomUUID();
        return {
          messageId,
          topic: contract.topic,
          key: contract.keyOf(value),
          value,
          headers: {
            ...extraHeaders,
            [HEADER.messageId]: messageId,
            [HEADER.occurredAt]: new Date().toISOString(),
          },
        };
      }),
  };
}

/**
 * Messages of several contracts in one statement, in the order given (the relay publishes in that order).
 * A change announced by more than one event (a capture: HoldCaptured and its TransferPosted events) costs
 * one round trip, not one per contract.
 */
export async function enqueueAll(
  tx: ClientBase,
  batches: readonly OutboxBatch[],
  extraHeaders: Record<string, string> = {},
): Promise<OutboxEntry[]> {
  const entries = batches.flatMap((b) => b.entries(extraHeaders));
  if (entries.length === 0) return [];
  // The NOTIFY wakes the relay at once instead of at its next poll; delivered only when this transaction
  // commits. It rides in the insert's statement: one round trip, not two.
  await tx.query(
    `WITH ins AS (
       INSERT INTO messaging.outbox (message_id, topic, key, value, headers)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[])
       RETURNING 1
     )
     SELECT pg_notify('paylend_outbox', '') FROM (SELECT 1 FROM ins LIMIT 1) one`,
    [
      entries.map((e) => e.messageId),
      entries.map((e) => e.topic),
      entries.map((e) => e.key),
      entries.map((e) => JSON.stringify(e.value)),
      entries.map((e) => JSON.stringify(e.headers)),
    ],
  );
  return entries;
}
