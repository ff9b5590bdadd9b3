import fc from 'fast-check';
import {
  canonicalJson,
  decide,
  isFinal,
  operationId,
  requestHash,
  type KeyRecord,
} from './idempotency-decision';

const now = new Date('2026-11-28T12:00:00Z');
const later = new Date(now.getTime() + 10_000);
const earlier = new Date(now.getTime() - 1);

describe('Idempotency-Key state machine', () => {
  const h = requestHash('POST', '/v1/wallets/w1/transfers', { amount: { amount: '1.00', currency: 'CNY' } });

  it('proceeds on a fresh key', () => {
    expect(decide(null, h, now)).toEqual({ kind: 'proceed' });
  });

  it('replays a finished request, refuses another body (422) and waits while in flight (409)', () => {
    const done: KeyRecord = { state: 'done', requestHash: h, responseStatus: 201, responseBody: { ok: 1 } };
    expect(decide(done, h, now)).toEqual({ kind: 'replay', status: 201, body: { ok: 1 } });
    expect(decide(done, 'other', now)).toEqual({ kind: 'mismatch' });
    const flying: KeyRecord = { state: 'in_flight', requestHash: h, lockedUntil: later };
    expect(decide(flying, h, now)).toEqual({ kind: 'in-flight', retryAfterMs: 10_000 });
    expect(decide(flying, 'other', now)).toEqual({ kind: 'mismatch' });
  });

  it('lets the same request take over a key whose in-flight lock lapsed', () => {
    expect(decide({ state: 'in_flight', requestHash: h, lockedUntil: earlier }, h, now)).toEqual({
      kind: 'take-over',
    });
  });

  it('keeps final answers only', () => {
    expect([200, 201, 404, 409, 422].every(isFinal)).toBe(true);
    expect([500, 502, 504].some(isFinal)).toBe(false);
  });

  it('hashes bodies by content, not key order; the path and method are part of the fingerprint (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue(), { maxKeys: 6 }), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(requestHash('POST', '/a', obj)).toBe(requestHash('post', '/a', reversed));
        expect(requestHash('POST', '/a', obj)).not.toBe(requestHash('POST', '/b', obj));
      }),
    );
    expect(requestHash('POST', '/a', { x: '1' })).not.toBe(requestHash('POST', '/a', { x: '2' }));
  });

  it('derives one operation id per user and key', () => {
    expect(operationId('alice', 'k-1234567')).toBe(operationId('alice', 'k-1234567'));
    expect(operationId('alice', 'k-1234567')).not.toBe(operationId('bob', 'k-1234567'));
    expect(operationId('alice', 'k-1234567')).toMatch(/^g_[0-9a-f]{32}$/);
  });
});
