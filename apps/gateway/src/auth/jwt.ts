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

const Claims = z.object({
  sub: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'sub must be 1-128 letters, digits or . _ : -'),
  roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
});

const keyOf = (secret: string) => new TextEncoder().encode(secret);

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
  try {
    const { payload } = await jwtVerify(match[1]!, keyOf(settings.secret), {
      algorithms: ['HS256'],
      issuer: settings.issuer,
      audience: settings.audience,
      requiredClaims: ['exp', 'sub'],
      clockTolerance: 5,
    });
    const claims = Claims.safeParse(payload);
    if (!claims.success) {
      throw new AuthError(
        'TOKEN_INVALID',
        `token claims are invalid: ${claims.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    return { userId: claims.data.sub, roles: [...new Set(claims.data.roles)] };
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
