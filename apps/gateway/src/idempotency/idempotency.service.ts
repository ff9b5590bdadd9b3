import type { IdempotencyRepository, KeyClaim, KeyCompletion } from '@paylend/gateway-data-access';
import { Coalescer } from './coalescer';
import { ApiError } from '../http/api-error';
import {
  decide,
  IDEMPOTENCY_KEY,
  isFinal,
  operationId,
  requestHash,
  type KeyRecord,
} from './idempotency-decision';

type KeyWrite = { kind: 'claim'; claim: KeyClaim } | { kind: 'complete'; done: KeyCompletion };

export interface HttpOutcome {
  status: number;
  body: unknown;
  replayed?: boolean;
}

/**
 * Runs a money-moving request at most once per (user, Idempotency-Key): the first request claims the key
 * and its final response is stored; the same request later replays it; a different request with the key
 * is 422; a concurrent one is 409. A 5xx (a timeout, say) ends the key's lock so the client can retry at
 * once; the retry reuses the same operation id, so the wallet applies the movement once either way. The key
 * keeps the first request's fingerprint meanwhile: its command may still be applied, so a different request
 * under the key stays a 422 rather than inheriting that operation id.
 */
export class IdempotencyService {
  /**
   * Concurrent requests share the statement (and the commit) that claims and completes their keys: one
   * queue for both kinds, so a busy gateway commits once for the claims of new requests and the answers of
   * finished ones together.
   */
  private readonly writes: Coalescer<KeyWrite, boolean>;

  constructor(
    private readonly repo: IdempotencyRepository,
    private readonly lockMs: number,
  ) {
    this.writes = new Coalescer(async (ws) => {
      const claims: KeyClaim[] = [];
      const done: KeyCompletion[] = [];
      for (const w of ws) {
        if (w.kind === 'claim') claims.push(w.claim);
        else done.push(w.done);
      }
      const won = await repo.writeMany(claims, done);
      let next = 0;
      return ws.map((w) => (w.kind === 'claim' ? won[next++]! : true));
    });
  }

  private claim(userId: string, key: string, requestHash: string): Promise<boolean> {
    return this.writes.submit({ kind: 'claim', claim: { userId, key, requestHash, lockMs: this.lockMs } });
  }

  private async complete(userId: string, key: string, status: number, body: unknown): Promise<void> {
    await this.writes.submit({ kind: 'complete', done: { userId, key, status, body } });
  }

  async run(
    req: { userId: string; key: string | undefined; method: string; path: string; body: unknown },
    handler: (operationId: string) => Promise<HttpOutcome>,
  ): Promise<HttpOutcome> {
    const key = req.key;
    if (key === undefined || key === '') {
      throw new ApiError(
        400,
        'IDEMPOTENCY_KEY_REQUIRED',
        'this request moves money: send an Idempotency-Key header (8-128 of A-Z a-z 0-9 _ . : -)',
      );
    }
    if (!IDEMPOTENCY_KEY.test(key)) {
      throw new ApiError(
        400,
        'IDEMPOTENCY_KEY_INVALID',
        'Idempotency-Key must be 8-128 characters of A-Z a-z 0-9 _ . : -',
      );
    }
    const hash = requestHash(req.method, req.path, req.body);
    if (!(await this.claim(req.userId, key, hash))) {
      const row = await this.repo.find(req.userId, key);
      const record: KeyRecord | null = !row
        ? null
        : row.state === 'done'
          ? {
              state: 'done',
              requestHash: row.request_hash,
              responseStatus: row.response_status!,
              responseBody: row.response_body,
            }
          : { state: 'in_flight', requestHash: row.request_hash, lockedUntil: row.locked_until };
      const d = decide(record, hash, new Date());
      switch (d.kind) {
        case 'replay':
          return { status: d.status, body: d.body, replayed: true };
        case 'mismatch':
          throw new ApiError(
            422,
            'IDEMPOTENCY_KEY_REUSED',
            'this Idempotency-Key was used for a different request; use a new key for a new request',
          );
        case 'in-flight':
          throw new ApiError(
            409,
            'IDEMPOTENCY_IN_FLIGHT',
            'a request with this Idempotency-Key is still being processed; retry shortly',
            {
              retryAfterMs: d.retryAfterMs,
            },
          );
        case 'proceed':
          // The key was freed between our claim and our read (its first request failed): claim it again.
          if (!(await this.claim(req.userId, key, hash))) {
            throw new ApiError(
              409,
              'IDEMPOTENCY_IN_FLIGHT',
              'a request with this Idempotency-Key is being processed; retry shortly',
            );
          }
          break;
        case 'take-over':
          if (!(await this.repo.takeOver(req.userId, key, hash, this.lockMs))) {
            throw new ApiError(
              409,
              'IDEMPOTENCY_IN_FLIGHT',
              'a request with this Idempotency-Key is being processed; retry shortly',
            );
          }
          break;
        default: {
          const never: never = d;
          throw new Error(`unhandled decision ${String(never)}`);
        }
      }
    }
    let outcome: HttpOutcome;
    try {
      outcome = await handler(operationId(req.userId, key));
    } catch (err) {
      const status = err instanceof ApiError ? err.getStatus() : 500;
      if (err instanceof ApiError && isFinal(status)) {
        await this.complete(req.userId, key, status, err.getResponse());
      } else {
        await this.repo.release(req.userId, key);
      }
      throw err;
    }
    if (isFinal(outcome.status)) await this.complete(req.userId, key, outcome.status, outcome.body);
    else await this.repo.release(req.userId, key);
    return outcome;
  }
}
