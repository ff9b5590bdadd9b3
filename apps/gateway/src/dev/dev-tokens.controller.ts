import { Body, Controller, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { IdString } from '@paylend/contracts';
import { issueToken, type JwtSettings, ROLES } from '../auth/jwt';
import { JWT_SETTINGS } from '../http/tokens';
import { validate } from '../http/validation';

const DevTokenBody = z
  .object({
    sub: IdString,
    roles: z.array(z.enum(ROLES)).min(1),
    ttlSeconds: z.number().int().min(1).max(86_400).optional(),
  })
  .strict();

/** Mints tokens for any subject: registered only when GATEWAY_DEV_TOKENS=true (demo, tests, benchmarks). */
@ApiTags('development')
@Controller('v1/dev')
export class DevTokensController {
  constructor(@Inject(JWT_SETTINGS) private readonly jwt: JwtSettings) {}

  @Post('tokens')
  @ApiOperation({ summary: 'Development only: mint a bearer token for a subject and roles' })
  async mint(@Body() raw: unknown) {
    const body = validate(DevTokenBody, raw, 'body');
    const ttlSeconds = body.ttlSeconds ?? 3600;
    return {
      token: await issueToken(this.jwt, { sub: body.sub, roles: body.roles, ttlSeconds }),
      tokenType: 'Bearer',
      expiresIn: ttlSeconds,
    };
  }
}
