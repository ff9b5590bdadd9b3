import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Merchant webhook signatures: HMAC-SHA256 over "<timestamp>.<body>" with the endpoint's secret. The
 * timestamp is signed so an old notification cannot be replayed outside the tolerance; the key id lets a
 * merchant rotate secrets; the event id lets it drop a notification it has already processed.
 */
export const WEBHOOK_HEADERS = {
  eventId: 'paylend-webhook-id',
  timestamp: 'paylend-webhook-timestamp',
  keyId: 'paylend-webhook-key-id',
  signature: 'paylend-webhook-signature',
} as const;

export const DEFAULT_TOLERANCE_SECONDS = 300;

export function newWebhookSecret(): { keyId: string; secret: string } {
  return {
    keyId: `whk_${randomBytes(6).toString('hex')}`,
    secret: `whsec_${randomBytes(32).toString('base64url')}`,
  };
}

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function webhookHeaders(input: {
  eventId: string;
  keyId: string;
  secret: string;
  timestamp: number;
  body: string;
}): Record<string, string> {
  return {
    'content-type': 'application/json',
    [WEBHOOK_HEADERS.eventId]: input.eventId,
    [WEBHOOK_HEADERS.timestamp]: String(input.timestamp),
    [WEBHOOK_HEADERS.keyId]: input.keyId,
    [WEBHOOK_HEADERS.signature]: signWebhook(input.secret, input.timestamp, input.body),
  };
}

export type WebhookVerification =
  | { ok: true; eventId: string; keyId: string; timestamp: number }
  | {
      ok: false;
      code: 'HEADER_MISSING' | 'KEY_UNKNOWN' | 'TIMESTAMP_OUT_OF_TOLERANCE' | 'SIGNATURE_MISMATCH';
      message: string;
    };

/**
 * What a merchant runs on receipt (exported for SDKs and tests). `headers` keys are lower case, as Node
 * gives them; `body` is the raw request body, byte for byte, not a re-serialised object.
 */
export function verifyWebhook(input: {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  secretFor: (keyId: string) => string | undefined;
  nowSeconds: number;
  toleranceSeconds?: number;
}): WebhookVerification {
  const h = (name: string) => {
    const v = input.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const eventId = h(WEBHOOK_HEADERS.eventId);
  const keyId = h(WEBHOOK_HEADERS.keyId);
  const ts = h(WEBHOOK_HEADERS.timestamp);
  const signature = h(WEBHOOK_HEADERS.signature);
  if (!eventId || !keyId || !ts || !signature || !/^[0-9]{1,12}$/.test(ts)) {
    return {
      ok: false,
      code: 'HEADER_MISSING',
      message: 'a PayLend-Webhook-* header is missing or malformed',
    };
  }
  const secret = input.secretFor(keyId);
  if (!secret) return { ok: false, code: 'KEY_UNKNOWN', message: `no secret for key id ${keyId}` };
  const timestamp = Number(ts);
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(input.nowSeconds - timestamp) > tolerance) {
    return {
      ok: false,
      code: 'TIMESTAMP_OUT_OF_TOLERANCE',
      message: `timestamp ${timestamp} is more than ${tolerance} s from now (${input.nowSeconds}): a replay or a skewed clock`,
    };
  }
  const expected = Buffer.from(signWebhook(secret, timestamp, input.body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return {
      ok: false,
      code: 'SIGNATURE_MISMATCH',
      message: 'the signature does not match the body and timestamp',
    };
  }
  return { ok: true, eventId, keyId, timestamp };
}

/** Delay before attempt `attempt + 1` after `attempt` failures: doubling from `baseMs`, capped at `maxMs`. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
