import fc from 'fast-check';
import { newWebhookSecret, retryDelayMs, verifyWebhook, webhookHeaders } from './webhook-signature';

describe('webhook signatures', () => {
  const { keyId, secret } = newWebhookSecret();
  const body = JSON.stringify({ eventId: 'e-1', type: 'order.succeeded', data: { amount: '12.30' } });
  const now = 1_800_000_000;
  const headers = webhookHeaders({ eventId: 'e-1', keyId, secret, timestamp: now, body });
  const secretFor = (k: string) => (k === keyId ? secret : undefined);

  it('verifies what it signed', () => {
    expect(verifyWebhook({ headers, body, secretFor, nowSeconds: now + 10 })).toEqual({
      ok: true,
      eventId: 'e-1',
      keyId,
      timestamp: now,
    });
  });

  it('refuses a changed body, a changed timestamp, an unknown key and a missing header', () => {
    expect(
      verifyWebhook({ headers, body: body.replace('12.30', '99.30'), secretFor, nowSeconds: now }),
    ).toMatchObject({
      ok: false,
      code: 'SIGNATURE_MISMATCH',
    });
    const shifted = { ...headers, 'paylend-webhook-timestamp': String(now + 1) };
    expect(verifyWebhook({ headers: shifted, body, secretFor, nowSeconds: now })).toMatchObject({
      code: 'SIGNATURE_MISMATCH',
    });
    expect(verifyWebhook({ headers, body, secretFor: () => undefined, nowSeconds: now })).toMatchObject({
      code: 'KEY_UNKNOWN',
    });
    const { ['paylend-webhook-signature']: _dropped, ...unsigned } = headers;
    expect(verifyWebhook({ headers: unsigned, body, secretFor, nowSeconds: now })).toMatchObject({
      code: 'HEADER_MISSING',
    });
  });

  it('refuses a replay outside the timestamp tolerance', () => {
    expect(verifyWebhook({ headers, body, secretFor, nowSeconds: now + 301 })).toMatchObject({
      code: 'TIMESTAMP_OUT_OF_TOLERANCE',
    });
    expect(verifyWebhook({ headers, body, secretFor, nowSeconds: now + 300 }).ok).toBe(true);
  });

  it('property: any change to the body breaks the signature', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), (original, other) => {
        fc.pre(original !== other);
        const h = webhookHeaders({ eventId: 'e', keyId, secret, timestamp: now, body: original });
        expect(verifyWebhook({ headers: h, body: original, secretFor, nowSeconds: now }).ok).toBe(true);
        expect(verifyWebhook({ headers: h, body: other, secretFor, nowSeconds: now }).ok).toBe(false);
      }),
    );
  });

  it('backs off by doubling up to a cap', () => {
    expect([1, 2, 3, 4, 10].map((a) => retryDelayMs(a, 500, 4000))).toEqual([500, 1000, 2000, 4000, 4000]);
  });
});
