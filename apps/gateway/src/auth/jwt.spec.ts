import { SignJWT, UnsecuredJWT } from 'jose';
import { AuthError, issueToken, verifyBearer, type JwtSettings } from './jwt';

const settings: JwtSettings = {
  secret: 'a-test-secret-that-is-long-enough-123456',
  issuer: 'paylend-test',
  audience: 'paylend-api',
};
const key = new TextEncoder().encode(settings.secret);

async function refusal(header: string | undefined): Promise<AuthError> {
  try {
    await verifyBearer(header, settings);
  } catch (err) {
    if (err instanceof AuthError) return err;
    throw err;
  }
  throw new Error('token was accepted');
}

function base(alg = 'HS256') {
  return new SignJWT({ roles: ['consumer'] })
    .setProtectedHeader({ alg })
    .setSubject('alice')
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime('1h');
}

describe('JWT bearer checks', () => {
  it('accepts a token it issued and returns the subject and roles', async () => {
    const token = await issueToken(settings, { sub: 'alice', roles: ['consumer', 'lender'] });
    await expect(verifyBearer(`Bearer ${token}`, settings)).resolves.toEqual({
      userId: 'alice',
      roles: ['consumer', 'lender'],
    });
  });

  it('refuses a missing or malformed header', async () => {
    expect((await refusal(undefined)).code).toBe('TOKEN_MISSING');
    expect((await refusal('Basic abc')).code).toBe('TOKEN_INVALID');
  });

  it('refuses alg "none"', async () => {
    const unsecured = new UnsecuredJWT({ roles: ['operator'] })
      .setSubject('mallory')
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setExpirationTime('1h')
      .encode();
    expect((await refusal(`Bearer ${unsecured}`)).code).toBe('TOKEN_INVALID');
  });

  it('refuses another algorithm, even signed with the right secret', async () => {
    const hs512 = await base('HS512').sign(key);
    expect((await refusal(`Bearer ${hs512}`)).message).toMatch(/alg/i);
  });

  it('refuses a wrong signature, a foreign issuer and a foreign audience', async () => {
    const otherKey = await base().sign(new TextEncoder().encode('another-secret-that-is-long-enough-999999'));
    expect((await refusal(`Bearer ${otherKey}`)).code).toBe('TOKEN_INVALID');
    const foreignIss = await base().setIssuer('someone-else').sign(key);
    expect((await refusal(`Bearer ${foreignIss}`)).message).toMatch(/iss/);
    const foreignAud = await base().setAudience('other-api').sign(key);
    expect((await refusal(`Bearer ${foreignAud}`)).message).toMatch(/aud/);
  });

  it('refuses an expired token and one without expiry', async () => {
    const expired = await base()
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(key);
    expect((await refusal(`Bearer ${expired}`)).code).toBe('TOKEN_EXPIRED');
    const noExp = await new SignJWT({ roles: ['consumer'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('a')
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .sign(key);
    expect((await refusal(`Bearer ${noExp}`)).message).toMatch(/exp/);
  });

  it('refuses unknown roles (a token cannot claim to be an internal service) and a bad subject', async () => {
    const service = await new SignJWT({ roles: ['service'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setExpirationTime('1h')
      .sign(key);
    expect((await refusal(`Bearer ${service}`)).message).toMatch(/roles/);
    const badSub = await base().setSubject('has spaces').sign(key);
    expect((await refusal(`Bearer ${badSub}`)).message).toMatch(/sub/);
    // A merchant's wallet is owned by merchant:<id>, a service acts as svc-<name>: no token may be either.
    for (const reserved of ['merchant:lucky-coffee', 'svc-payments']) {
      const token = await base().setSubject(reserved).sign(key);
      expect((await refusal(`Bearer ${token}`)).message).toMatch(/platform ids/);
    }
  });

  it('stops accepting a token it verified before once that token expires', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      const token = await issueToken(settings, { sub: 'carol', roles: ['consumer'], ttlSeconds: 60 });
      await expect(verifyBearer(`Bearer ${token}`, settings)).resolves.toMatchObject({ userId: 'carol' });
      // Within the lifetime (plus the 5 s tolerance) the remembered verification answers.
      jest.setSystemTime(Date.now() + 60_000);
      await expect(verifyBearer(`Bearer ${token}`, settings)).resolves.toMatchObject({ userId: 'carol' });
      jest.setSystemTime(Date.now() + 10_000);
      expect((await refusal(`Bearer ${token}`)).code).toBe('TOKEN_EXPIRED');
    } finally {
      jest.useRealTimers();
    }
  });

  it('verifies a token with one character changed in full, even after the original was accepted', async () => {
    const token = await issueToken(settings, { sub: 'dave', roles: ['consumer'] });
    await verifyBearer(`Bearer ${token}`, settings);
    // A character inside the signature (the last one also carries padding bits that decoding ignores).
    const at = token.lastIndexOf('.') + 5;
    const changed = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
    expect((await refusal(`Bearer ${changed}`)).code).toBe('TOKEN_INVALID');
  });
});
