import { Kafka, logLevel, type LogEntry, type Admin } from 'kafkajs';
import { fixKafkajsRequestQueue } from './request-queue-fix';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** How long a connection attempt may take before the broker is reported unreachable. */
  connectionTimeoutMs?: number;
}

export type LogSink = (
  level: 'debug' | 'info' | 'warn' | 'error',
  msg: string,
  fields?: Record<string, unknown>,
) => void;

const LEVELS: Record<number, 'debug' | 'info' | 'warn' | 'error'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export function createKafka(settings: KafkaSettings, log?: LogSink): Kafka {
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
  fixKafkajsRequestQueue();
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: settings.connectionTimeoutMs ?? 3000,
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry, namespace }: LogEntry) => {
        const { message, timestamp: _t, logger: _l, ...rest } = entry;
        // The outbox is the durable retry for producers, so kafkajs's bounded idempotent retries are intended.
        if (message.startsWith('Limiting retries for the idempotent producer')) return;
        // kafkajs reports routine rebalances and retried requests at ERROR; they are noise unless they persist.
        // Each error answer to one request (a fresh broker still electing leaders and loading coordinators
        // while five services create their topics at once) is retried by kafkajs, and one that persists
        // reaches its caller as an exception, which is logged there: the answers themselves are debug.
        const answer = namespace === 'Connection' && message.startsWith('Response ');
        const sink = log ?? (() => undefined);
        sink(answer ? 'debug' : (LEVELS[level] ?? 'info'), `kafka ${namespace}: ${message}`, rest);
      },
  });
}

export class BrokerUnreachableError extends Error {
  readonly code = 'BROKER_UNREACHABLE';
  constructor(brokers: string[], cause: unknown) {
    super(
      `cannot reach Kafka at ${brokers.join(',')} (${cause instanceof Error ? cause.message : String(cause)}); ` +
        'start it with `npm run kafka -- start` or set KAFKA_BROKERS to a reachable broker',
    );
  }
}

/** Asks the broker for its cluster description; used at start-up (fail fast) and by readiness probes. */
export async function probeBroker(admin: Admin, brokers: string[], timeoutMs = 3000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      admin.describeCluster(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    throw new BrokerUnreachableError(brokers, err);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
