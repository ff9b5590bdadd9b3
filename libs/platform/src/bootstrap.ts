import 'reflect-metadata';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { z } from 'zod';
import { ConfigError } from './config/service-config';
import { JsonLogger } from './logging/json-logger';
import { InboxTransport } from './messaging/inbox-transport';
import { ServiceRuntime, StartupError, type RuntimeSpec } from './runtime/service-runtime';

export interface ServiceDefinition<S extends z.ZodObject> extends RuntimeSpec<S> {
  /** The app's root module, given the connected runtime. */
  module: (runtime: ServiceRuntime) => Type<unknown> | import('@nestjs/common').DynamicModule;
  /** Extra HTTP setup (OpenAPI, pipes) before listening. */
  configureHttp?: (app: INestApplication, runtime: ServiceRuntime) => void | Promise<void>;
}

export interface RunningService {
  app: INestApplication;
  runtime: ServiceRuntime;
  url: string;
  stop(): Promise<void>;
}

/**
 * Boots a PayLend service: validated config, database and broker checks (fail fast, naming the setting),
 * topics, the Nest HTTP app with the Kafka inbox transport, the outbox relay, and graceful shutdown on
 * SIGTERM/SIGINT (Nest's shutdown hooks, bounded by SHUTDOWN_GRACE_MS).
 */
export async function startService<S extends z.ZodObject>(
  def: ServiceDefinition<S>,
  opts: { handleSignals?: boolean } = {},
): Promise<RunningService> {
  const runtime = await ServiceRuntime.connect(def);
  const logger = new JsonLogger(runtime.logger);
  let app: INestApplication;
  try {
    app = await NestFactory.create(def.module(runtime), { logger, abortOnError: false });
    const transport = new InboxTransport(runtime, def.contracts);
    app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
    await def.configureHttp?.(app, runtime);
    // process.exit (not re-raising the signal) lets the last log lines flush before the process ends.
    if (opts.handleSignals !== false)
      app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
    await app.startAllMicroservices();
    await app.listen(runtime.config.HTTP_PORT, process.env['HTTP_HOST'] ?? '127.0.0.1');
    await runtime.announce();
  } catch (err) {
    await runtime.close();
    throw err;
  }
  const url = `http://127.0.0.1:${runtime.config.HTTP_PORT}`;
  runtime.logger.info({ url, consumes: def.consumes, group: runtime.config.service }, 'ready');
  if (opts.handleSignals !== false) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        // Nest runs the shutdown; this only bounds it, so a stuck dependency cannot hang the process.
        setTimeout(() => {
          runtime.logger.error(
            { graceMs: runtime.config.SHUTDOWN_GRACE_MS },
            'shutdown took too long; exiting',
          );
          process.exit(1);
        }, runtime.config.SHUTDOWN_GRACE_MS).unref();
      });
    }
  }
  return { app, runtime, url, stop: () => app.close() };
}

/** The `main.ts` of every app: start, or print why not and exit 1. */
export function runMain<S extends z.ZodObject>(def: ServiceDefinition<S>): void {
  startService(def).catch((err: unknown) => {
    const known = err instanceof ConfigError || err instanceof StartupError;
    const line = {
      level: 'fatal',
      time: new Date().toISOString(),
      service: def.service,
      code: (err as { code?: string }).code ?? 'STARTUP_FAILED',
      msg: known ? (err as Error).message : `failed to start: ${(err as Error).message}`,
    };
    process.stderr.write(`${JSON.stringify(line)}\n`);
    process.exit(1);
  });
}
