import { hostname } from 'node:os';
import { z } from 'zod';

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(
      `${service}: invalid configuration, fix these environment variables:\n  - ${problems.join('\n  - ')}`,
    );
  }
}

const port = z.coerce.number().int().min(1).max(65535);

/** The settings every service reads; a service adds its own with `extend`. */
export const BaseConfigSchema = z.object({
  HTTP_PORT: port,
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .default('postgresql://postgres@127.0.0.1:5432'),
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'must be host:port[,host:port...]')
    .default('127.0.0.1:9092'),
  KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(3),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,48}$/)
    .default(
      `${hostname()
        .replace(/[^A-Za-z0-9_.-]/g, '-')
        .slice(0, 32)}-${process.pid}`,
    ),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
});

export type BaseConfig = z.infer<typeof BaseConfigSchema> & { service: string; databaseUrl: string };

export const DEFAULT_HTTP_PORTS: Record<string, number> = {
  gateway: 3000,
  wallet: 3001,
  payments: 3002,
  lending: 3003,
  scoring: 3004,
};

/**
 * Reads and validates the environment once at start-up. Every problem is reported at once, each naming
 * its variable, so a bad deployment fails in one go rather than one variable per restart.
 */
export function loadConfig<S extends z.ZodObject>(
  service: string,
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> & { service: string; databaseUrl: string } {
  const withDefaults: Record<string, string | undefined> = {
    ...env,
    HTTP_PORT:
      env[`${service.toUpperCase()}_HTTP_PORT`] ??
      env['HTTP_PORT'] ??
      String(DEFAULT_HTTP_PORTS[service] ?? ''),
  };
  const parsed = schema.safeParse(withDefaults);
  if (!parsed.success) {
    throw new ConfigError(
      service,
      parsed.error.issues.map((i) => {
        const name = i.path.join('.');
        const got = withDefaults[name];
        return `${name}: ${i.message}${got === undefined ? ' (not set)' : ` (got "${got}")`}`;
      }),
    );
  }
  const data = parsed.data as z.infer<S> & { DATABASE_URL: string };
  const own = env[`${service.toUpperCase()}_DATABASE_URL`];
  let databaseUrl: string;
  if (own !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(own)) {
      throw new ConfigError(service, [
        `${service.toUpperCase()}_DATABASE_URL: must be a postgresql:// URL (got "${own}")`,
      ]);
    }
    databaseUrl = own;
  } else {
    const url = new URL(data.DATABASE_URL);
    url.pathname = `/paylend_${service}`;
    databaseUrl = url.toString();
  }
  return { ...data, service, databaseUrl };
}

/**
 * Logs a warning when `key` still holds the documented development secret: a new checkout runs with no
 * set-up, and a deployment that forgot the variable says so on every start. `risk` says what it exposes.
 */
export function warnOnDevelopmentSecret(
  runtime: { config: object; logger: { warn(msg: string): void } },
  key: string,
  developmentValue: string,
  risk: string,
): void {
  if ((runtime.config as Record<string, unknown>)[key] === developmentValue)
    runtime.logger.warn(
      `${key} is not set: using the documented development secret, with which ${risk} (never in production)`,
    );
}
