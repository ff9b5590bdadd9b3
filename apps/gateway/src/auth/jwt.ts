import { webcrypto } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';

export const ROLES = ['consumer', 'merchant', 'borrower', 'lender', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  userId: string;
  roles: Role[];
}

export interface JwtSettings {
  secret: string;
  issuer: string;
  audience: string;
}

export type AuthFailureCode = 'TOKEN_MISSING' | 'TOKEN_INVALID' | 'TOKEN_EXPIRED';

export class AuthError extends Error {
  constructor(
    readonly code: AuthFailureCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * User ids the platform gives its own parties: a merchant's wallet is owned by `merchant:<id>` and services
 * act as `svc-<name>`. A token naming one would own what that party owns.
 */
const RESERVED_SUBJECT = /^(merchant:|svc-)/;

const Claims = z.object({
  sub: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'sub must be 1-128 letters, digits or . _ : -')
    .refine((sub) => !RESERVED_SUBJECT.test(sub), 'sub must not start with merchant: or svc- (platform ids)'),
  roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
});

const keyOf = (secret: string) => new TextEncoder().encode(secret);

const CLOCK_TOLERANCE_S = 5;
const VERIFIED_CACHE_SIZE = 50_000;

/** The HMAC key imported into WebCrypto once per secret: jose would otherwise import it on every verify. */
const verificationKeys = new Map<string, Promise<webcrypto.CryptoKey>>();
function verificationKey(secret: string): Promise<webcrypto.CryptoKey> {
  let key = verificationKeys.get(secret);
  if (!key) {
    key = webcrypto.subtle.importKey('raw', keyOf(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'verify',
    ]);
    verificationKeys.set(secret, key);
  }
  return key;
}

/**
 * Tokens already verified under these settings, until they expire. A client sends the same token with
 * every request for its lifetime; re-checking an HMAC signature we checked before only spends CPU (the
 * WebCrypto verify was the gateway's largest single cost under load). The cache holds the exact token
 * string, so any change to it is a miss and is verified in full; entries leave when the token expires.
 */
const verifiedTokens = new WeakMap<
  JwtSettings,
  Map<string, { principal: Principal; validUntilMs: number }>
>();

function cachedPrincipal(token: string, settings: JwtSettings): Principal | undefined {
  const cache = verifiedTokens.get(settings);
  const hit = cache?.get(token);
  if (!hit) return undefined;
  if (Date.now() < hit.validUntilMs) return hit.principal;
  cache!.delete(token);
  return undefined;
}

function remember(token: string, settings: JwtSettings, principal: Principal, expS: number): void {
  let cache = verifiedTokens.get(settings);
  if (!cache) verifiedTokens.set(settings, (cache = new Map()));
  // Oldest first out: a Map iterates in insertion order.
  if (cache.size >= VERIFIED_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(token, { principal, validUntilMs: (expS + CLOCK_TOLERANCE_S) * 1000 });
}

/**
 * Verifies a bearer token: HS256 only (so "none" and any other algorithm are refused), a valid signature,
 * our issuer and audience, an expiry in the future, and a subject with known roles.
 */
export async function verifyBearer(
  authorization: string | undefined,
  settings: JwtSettings,
): Promise<Principal> {
  if (!authorization) throw new AuthError('TOKEN_MISSING', 'send an Authorization: Bearer <token> header');
  const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization.trim());
  if (!match) throw new AuthError('TOKEN_INVALID', 'the Authorization header must be "Bearer <JWT>"');
  const token = match[1]!;
  const known = cachedPrincipal(token, settings);
  if (known) return known;
  try {
    const { payload } = await jwtVerify(token, await verificationKey(settings.secret), {
      algorithms: ['HS256'],
      issuer: settings.issuer,
      audience: settings.audience,
      requiredClaims: ['exp', 'sub'],
      clockTolerance: CLOCK_TOLERANCE_S,
    });
    const claims = Claims.safeParse(payload);
    if (!claims.success) {
      throw new AuthError(
        'TOKEN_INVALID',
        `token claims are invalid: ${claims.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    const principal: Principal = { userId: claims.data.sub, roles: [...new Set(claims.data.roles)] };
    remember(token, settings, principal, payload.exp!);
    return principal;
  } catch (err) {
    if (err instanceof AuthError) throw err;
    if (err instanceof errors.JWTExpired)
      throw new AuthError('TOKEN_EXPIRED', 'the token has expired; get a new one');
    throw new AuthError('TOKEN_INVALID', `the token was refused: ${(err as Error).message}`);
  }
}

/** Mints an HS256 token the gateway accepts (dev token endpoint, demo, tests, benchmarks). */
export async function issueToken(
  settings: JwtSettings,
  claims: { sub: string; roles: Role[]; ttlSeconds?: number },
): Promise<string> {
  return new SignJWT({ roles: claims.roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime(`${claims.ttlSeconds ?? 3600}s`)
    .sign(keyOf(settings.secret));
}
