import { Pool } from 'pg';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { ServiceStarted, type MessageContract } from '@paylend/contracts';
import {
  CoalescingSender,
  createKafka,
  enqueue,
  ensureTopics,
  OutboxRelay,
  probeBroker,
  RequestClient,
  type LogSink,
} from '@paylend/messaging';
import { redact } from '@paylend/pg-migrate';
import { BaseConfigSchema, loadConfig, type BaseConfig } from '../config/service-config';
import { createLogger, logSink } from '../logging/json-logger';

export class StartupError extends Error {
  constructor(
    readonly code: 'DATABASE_UNREACHABLE' | 'DATABASE_NOT_MIGRATED' | 'BROKER_UNREACHABLE',
    message: string,
  ) {
    super(message);
  }
}

export interface RuntimeSpec<S extends z.ZodObject = typeof BaseConfigSchema> {
  service: 'wallet' | 'payments' | 'lending' | 'scoring' | 'gateway';
  version?: string;
  configSchema?: S;
  /** Every contract this service consumes (its handlers) or produces. */
  contracts: MessageContract[];
  /** Topics this service consumes; each gets a dead-letter topic. */
  consumes: string[];
  /** Whether the service sends commands and waits for replies. */
  requests?: boolean;
  /**
   * How the inbox consumes: up to `maxBatch` messages of a partition per database transaction (default 1)
   * and `partitionsConcurrently` partitions at once (default 1). See InboxConsumerOptions.
   */
  inbox?: { maxBatch?: number; partitionsConcurrently?: number };
  env?: NodeJS.ProcessEnv;
}

/**
 * Everything a service holds besides its Nest modules: validated config, logger, the database pool, the
 * Kafka clients, the outbox relay and (for requesters) the request client. Connected and checked before
 * Nest starts, so a missing broker or database stops the service with a message naming the setting.
 */
export class ServiceRuntime<C extends BaseConfig = BaseConfig> {
  readonly logger: Logger;
  readonly log: LogSink;
  readonly pool: Pool;
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly producer: Producer;
  /** The producer for messages sent one at a time (commands, replies sent outside the inbox): coalesced. */
  readonly sender: CoalescingSender;
  readonly relay: OutboxRelay;
  requestClient: RequestClient | undefined;
  consumerStarted = false;
  shuttingDown = false;
  private readonly closers: Array<() => Promise<unknown>> = [];

  private constructor(
    readonly config: C,
    readonly spec: RuntimeSpec,
  ) {
    this.logger = createLogger(config.service, config.INSTANCE_ID, config.LOG_LEVEL);
    this.log = logSink(this.logger);
    this.pool = new Pool({ connectionString: config.databaseUrl, max: 10, connectionTimeoutMillis: 3000 });
    this.pool.on('error', (err) =>
      this.logger.error({ err: err.message }, 'idle database connection failed'),
    );
    const brokers = config.KAFKA_BROKERS.split(',');
    this.kafka = createKafka({ brokers, clientId: `${config.service}-${config.INSTANCE_ID}` }, this.log);
    this.admin = this.kafka.admin();
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    this.sender = new CoalescingSender(this.producer);
    this.relay = new OutboxRelay({ pool: this.pool, producer: this.producer, log: this.log });
  }

  static async connect<S extends z.ZodObject>(spec: RuntimeSpec<S>): Promise<ServiceRuntime> {
    const schema = (spec.configSchema ?? BaseConfigSchema) as S;
    const config = loadConfig(spec.service, schema, spec.env) as unknown as BaseConfig;
    const runtime = new ServiceRuntime(config, spec as unknown as RuntimeSpec);
    try {
      await runtime.checkDatabase();
      await runtime.connectKafka();
    } catch (err) {
      await runtime.close();
      throw err;
    }
    return runtime;
  }

  private async checkDatabase(): Promise<void> {
    const where = redact(this.config.databaseUrl);
    try {
      await this.pool.query('SELECT 1');
    } catch (err) {
      throw new StartupError(
        'DATABASE_UNREACHABLE',
        `cannot reach the ${this.config.service} database at ${where} (${(err as Error).message}); ` +
          `check DATABASE_URL or ${this.config.service.toUpperCase()}_DATABASE_URL, then run: npm run db -- migrate`,
      );
    }
    const { rows } = await this.pool.query<{ t: string | null }>(
      "SELECT to_regclass('messaging.outbox')::text AS t",
    );
    if (!rows[0]?.t) {
      throw new StartupError(
        'DATABASE_NOT_MIGRATED',
        `the ${this.config.service} database at ${where} has no PayLend tables; run: npm run db -- migrate`,
      );
    }
  }

  private async connectKafka(): Promise<void> {
    const brokers = this.config.KAFKA_BROKERS.split(',');
    try {
      await this.admin.connect();
      await probeBroker(this.admin, brokers);
    } catch (err) {
      throw new StartupError(
        'BROKER_UNREACHABLE',
        (err as Error).message.includes('KAFKA_BROKERS')
          ? (err as Error).message
          : `cannot reach Kafka at ${brokers.join(',')} (${(err as Error).message}); start it with \`npm run kafka -- start\` or set KAFKA_BROKERS`,
      );
    }
    const created = await ensureTopics(this.admin, {
      topics: [
        ...this.spec.contracts.map((c) => c.topic),
        ...(this.spec.requests ? [`${this.config.service}.replies.v1`] : []),
      ],
      consumed: this.spec.consumes,
      partitions: this.config.KAFKA_TOPIC_PARTITIONS,
    });
    if (created.length) this.logger.info({ topics: created }, 'created topics');
    await this.producer.connect();
    if (this.spec.requests) {
      this.requestClient = new RequestClient(
        this.kafka,
        this.sender,
        this.config.service,
        this.config.INSTANCE_ID,
      );
      await this.requestClient.start();
    }
  }

  /** Starts publishing the outbox and announces this instance through it (the example event). */
  async announce(): Promise<void> {
    this.relay.start();
    const client = await this.pool.connect();
    try {
      await enqueue(client, ServiceStarted, {
        service: this.spec.service,
        instanceId: this.config.INSTANCE_ID,
        startedAt: new Date().toISOString(),
        version: this.spec.version ?? '0.1.0',
      });
    } finally {
      client.release();
    }
  }

  /** Readiness: database and broker answer, the consumer runs, and the service is not shutting down. */
  async readiness(): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const checks: Record<string, string> = {};
    checks['shutdown'] = this.shuttingDown ? 'in progress' : 'ok';
    checks['consumer'] = this.consumerStarted ? 'ok' : 'not started';
    try {
      await this.pool.query('SELECT 1');
      checks['database'] = 'ok';
    } catch (err) {
      checks['database'] = (err as Error).message;
    }
    try {
      await probeBroker(this.admin, this.config.KAFKA_BROKERS.split(','), 2000);
      checks['broker'] = 'ok';
    } catch (err) {
      checks['broker'] = (err as Error).message;
    }
    return { ready: Object.values(checks).every((v) => v === 'ok'), checks };
  }

  /** Registers a resource (a Prisma client, say) to release when the service stops. */
  onClose(closer: () => Promise<unknown>): void {
    this.closers.push(closer);
  }

  /** Releases everything after the consumer has stopped: relay, requester, producer, admin, pools. */
  async close(): Promise<void> {
    for (const closer of this.closers.splice(0)) await closer().catch(() => undefined);
    await this.relay.stop().catch(() => undefined);
    // Events committed during the last in-flight messages leave now rather than at the next start.
    if (this.consumerStarted) await this.relay.drainOnce().catch(() => undefined);
    await this.requestClient?.stop().catch(() => undefined);
    await this.producer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}

export function configOf<S extends z.ZodObject>(runtime: ServiceRuntime): z.infer<S> & BaseConfig {
  return runtime.config as z.infer<S> & BaseConfig;
}
