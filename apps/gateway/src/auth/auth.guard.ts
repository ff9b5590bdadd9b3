import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Inject,
  Injectable,
} from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '@paylend/contracts';
import { ApiError } from '../http/api-error';
import { JWT_SETTINGS, RATE_LIMITER } from '../http/tokens';
import { takeOrRefuse } from '../rate-limit/take-or-refuse';
import type { RateLimiter } from '../rate-limit/token-bucket';
import { AuthError, verifyBearer, type JwtSettings, type Principal } from './jwt';

type AuthedRequest = Request & { principal?: Principal };

/** Authenticates the bearer token (401 otherwise), then applies the caller's rate limit (429). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(JWT_SETTINGS) private readonly jwt: JwtSettings,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    try {
      req.principal = await verifyBearer(req.headers.authorization, this.jwt);
    } catch (err) {
      if (err instanceof AuthError) throw new ApiError(401, err.code, err.message);
      throw err;
    }
    takeOrRefuse(this.limiter, req.principal.userId);
    return true;
  }
}

/** The authenticated caller as the wallet sees it: subject, roles and client address. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const req = context.switchToHttp().getRequest<AuthedRequest>();
  if (!req.principal) throw new ApiError(401, 'TOKEN_MISSING', 'authentication required');
  return {
    userId: req.principal.userId,
    roles: req.principal.roles,
    ...(req.ip ? { ip: req.ip.slice(0, 64) } : {}),
  };
});
