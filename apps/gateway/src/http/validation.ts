import type { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { IdString } from '@paylend/contracts';
import { ApiError } from './api-error';

/** Parses a body or query against its schema; a mismatch is 400 VALIDATION_FAILED naming each field. */
export function validate<T>(schema: z.ZodType<T>, value: unknown, where: 'body' | 'query'): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  throw new ApiError(
    400,
    'VALIDATION_FAILED',
    `the request ${where} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || where}: ${i.message}`).join('; ')}`,
    parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  );
}

/** A zod schema as an OpenAPI schema object. */
export function openApiSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

/** Validates an id in the path (wallet, hold, withdrawal): 400 rather than a malformed command. */
export const idParam: PipeTransform<string, string> = {
  transform(value: string): string {
    const parsed = IdString.safeParse(value);
    if (!parsed.success)
      throw new ApiError(
        400,
        'VALIDATION_FAILED',
        `the id "${value.slice(0, 64)}" in the path is malformed: ${parsed.error.issues[0]?.message ?? ''}`,
      );
    return parsed.data;
  },
};
