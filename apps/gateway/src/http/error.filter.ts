import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';

/**
 * Every error leaves the gateway as { code, message, details? }: our own errors as they are, Nest's and
 * Express's (malformed JSON, unknown route) mapped to stable codes, anything else as INTERNAL with the
 * cause logged, never sent (no stack traces to clients).
 */
@Catch()
export class ErrorBodyFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let status = 500;
    let body: { code: string; message: string; details?: unknown } = {
      code: 'INTERNAL',
      message: 'the gateway failed to process the request',
    };
    if (err instanceof HttpException) {
      status = err.getStatus();
      const r = err.getResponse();
      if (typeof r === 'object' && r !== null && typeof (r as { code?: unknown }).code === 'string') {
        const o = r as { code: string; message?: unknown; details?: unknown };
        body = {
          code: o.code,
          message: String(o.message ?? ''),
          ...(o.details === undefined ? {} : { details: o.details }),
        };
      } else if (status === 400 && (isBodyParserError(err.cause) || /JSON/.test(err.message))) {
        // Nest wraps body-parser's parse failure in a plain 400.
        body = { code: 'MALFORMED_JSON', message: `the request body is not valid JSON (${err.message})` };
      } else {
        const codes: Record<number, string> = {
          400: 'BAD_REQUEST',
          401: 'UNAUTHENTICATED',
          403: 'FORBIDDEN',
          404: 'NOT_FOUND',
          405: 'METHOD_NOT_ALLOWED',
          413: 'PAYLOAD_TOO_LARGE',
          415: 'UNSUPPORTED_MEDIA_TYPE',
        };
        body = {
          code: codes[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST'),
          message: status >= 500 ? body.message : err.message,
        };
      }
    } else if (isBodyParserError(err)) {
      status = err.status;
      body = {
        code: err.type === 'entity.parse.failed' ? 'MALFORMED_JSON' : 'BAD_REQUEST',
        message: 'the request body is not valid JSON',
      };
    } else {
      this.log.error(
        { err: (err as Error)?.message, stack: (err as Error)?.stack },
        'unhandled error in a request',
      );
    }
    if (
      status === 429 &&
      typeof body.details === 'object' &&
      body.details &&
      'retryAfterMs' in body.details
    ) {
      res.setHeader(
        'Retry-After',
        String(Math.ceil(Number((body.details as { retryAfterMs: number }).retryAfterMs) / 1000)),
      );
    }
    if (!res.headersSent) res.status(status).json(body);
  }
}

function isBodyParserError(err: unknown): err is { status: number; type: string } {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { status?: unknown }).status === 'number' &&
    typeof (err as { type?: unknown }).type === 'string'
  );
}
