import { type ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { throwError, type Observable } from 'rxjs';

/**
 * Nest's RPC exception handler replaces a handler's error with { status, message: 'Internal server error' },
 * so the inbox would retry, dead-letter and answer with "[object Object]". This hands the original error
 * back to the inbox transport (its message names the cause); HTTP errors keep Nest's default handling.
 */
@Catch()
export class RethrowRpcErrors extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() === 'rpc') return throwError(() => exception);
    return super.catch(exception, host);
  }
}
