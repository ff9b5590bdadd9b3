import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { z } from 'zod';
import { openApiSchema } from './validation';

const ERROR_SCHEMA = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
};

/** OpenAPI for one authenticated route: summary, body schema, Idempotency-Key header and error shape. */
export function ApiRoute(opts: {
  summary: string;
  body?: z.ZodType;
  response?: z.ZodType;
  idempotent?: boolean;
  status?: number;
}) {
  const decorators = [
    ApiOperation({ summary: opts.summary }),
    ApiBearerAuth(),
    ApiResponse({
      status: opts.status ?? 200,
      description: 'success',
      ...(opts.response ? { schema: openApiSchema(opts.response) } : {}),
    }),
    ApiResponse({ status: 400, description: 'invalid request', schema: ERROR_SCHEMA }),
    ApiResponse({ status: 401, description: 'missing, invalid or expired token', schema: ERROR_SCHEMA }),
    ApiResponse({ status: 404, description: 'no such resource that you can access', schema: ERROR_SCHEMA }),
    ApiResponse({ status: 429, description: 'rate limited', schema: ERROR_SCHEMA }),
  ];
  if (opts.body) decorators.push(ApiBody({ schema: openApiSchema(opts.body) }));
  if (opts.idempotent) {
    decorators.push(
      ApiHeader({
        name: 'Idempotency-Key',
        required: true,
        description: 'unique per request that moves money; a replay returns the first response',
      }),
      ApiResponse({
        status: 409,
        description: 'the same key is still in flight, or a state conflict',
        schema: ERROR_SCHEMA,
      }),
      ApiResponse({
        status: 422,
        description: 'the key was used with another request, or the wallet refused',
        schema: ERROR_SCHEMA,
      }),
    );
  }
  return applyDecorators(...decorators);
}
