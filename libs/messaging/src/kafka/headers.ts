import type { IHeaders } from 'kafkajs';

/** Header names every PayLend message carries; the value itself is the bare JSON payload. */
export const HEADER = {
  messageId: 'message-id',
  occurredAt: 'occurred-at',
  correlationId: 'correlation-id',
  replyTo: 'reply-to',
  error: 'error',
  errorCode: 'error-code',
  originalTopic: 'original-topic',
  originalPartition: 'original-partition',
  originalOffset: 'original-offset',
  attempts: 'attempts',
} as const;

export function headerValue(headers: IHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  if (raw === undefined || raw === null) return undefined;
  const first = Array.isArray(raw) ? raw[0] : raw;
  return first === undefined ? undefined : first.toString();
}

export function stringHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = v;
  return out;
}
