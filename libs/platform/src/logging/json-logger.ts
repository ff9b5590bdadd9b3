import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

export type Level = 'debug' | 'info' | 'warn' | 'error';

/** One JSON object per line on stdout: time, level, service, instance, msg and any fields. */
export function createLogger(service: string, instance: string, level: Level = 'info'): Logger {
  return pino(
    {
      level,
      base: { service, instance },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    // Synchronous: a line logged just before exit ("stopped cleanly", a fatal error) is never lost.
    pino.destination({ dest: 1, sync: true }),
  );
}

/** Nest's logger interface over pino, so framework and application lines share one format. */
export class JsonLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }

  private write(level: Level, message: unknown, context?: string): void {
    if (typeof message === 'object' && message !== null) this.logger[level]({ context, ...message });
    else this.logger[level]({ context }, String(message));
  }
}

/** Adapts a pino logger to the messaging library's log sink. */
export function logSink(logger: Logger) {
  return (level: Level, msg: string, fields?: Record<string, unknown>) => logger[level](fields ?? {}, msg);
}
