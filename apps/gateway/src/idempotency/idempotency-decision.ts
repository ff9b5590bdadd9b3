import { createHash } from 'node:crypto';

/** What the store holds for one (user, Idempotency-Key). */
export type KeyRecord =
  | { state: 'in_flight'; requestHash: string; lockedUntil: Date }
  | { state: 'done'; requestHash: string; responseStatus: number; responseBody: unknown };

export type Decision =
  | { kind: 'proceed' }
  | { kind: 'take-over' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'mismatch' }
  | { kind: 'in-flight'; retryAfterMs: number };

/**
 * The Idempotency-Key state machine, for a request whose key already has a record (a fresh key is simply
 * claimed): another request under the same key is refused (422) whatever the first one's state; the same
 * request replays the stored response once done, waits (409) while the first is in flight, and may take
 * the key over once the first's lock lapsed (its gateway died mid-request, or it ended without a final
 * answer).
 */
export function decide(existing: KeyRecord | null, requestHash: string, now: Date): Decision {
  if (existing === null) return { kind: 'proceed' };
  if (existing.requestHash !== requestHash) return { kind: 'mismatch' };
  if (existing.state === 'done')
    return { kind: 'replay', status: existing.responseStatus, body: existing.responseBody };
  const left = existing.lockedUntil.getTime() - now.getTime();
  return left > 0 ? { kind: 'in-flight', retryAfterMs: left } : { kind: 'take-over' };
}

/** Which responses are kept for replay: final answers, not the gateway's or a backend's failures (5xx). */
export function isFinal(status: number): boolean {
  return status < 500;
}

/** JSON with sorted keys, so the same body always hashes the same whatever its key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The request's fingerprint: method, path (which names the resource) and canonical body. */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method.toUpperCase()} ${path}\n${canonicalJson(body)}`)
    .digest('hex');
}

export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

/**
 * The id the gateway gives the money movement a key creates (transfer, hold, withdrawal): derived from the
 * user and the key, so a retry after a lost reply carries the same id and the ledger applies it once.
 */
export function operationId(userId: string, key: string): string {
  return `g_${createHash('sha256').update(`${userId}\u0000${key}`).digest('hex').slice(0, 32)}`;
}
