import { z } from 'zod';
import { BaseConfigSchema, ConfigError, loadConfig } from './service-config';

describe('loadConfig', () => {
  it('fills defaults and derives the service database', () => {
    const cfg = loadConfig('wallet', BaseConfigSchema, {});
    expect(cfg.HTTP_PORT).toBe(3001);
    expect(cfg.KAFKA_BROKERS).toBe('127.0.0.1:9092');
    expect(cfg.databaseUrl).toBe('postgresql://postgres@127.0.0.1:5432/paylend_wallet');
  });

  it('prefers the per-service port and database URL', () => {
    const cfg = loadConfig('wallet', BaseConfigSchema, {
      WALLET_HTTP_PORT: '4100',
      HTTP_PORT: '4000',
      WALLET_DATABASE_URL: 'postgresql://u@db:5432/w',
    });
    expect(cfg.HTTP_PORT).toBe(4100);
    expect(cfg.databaseUrl).toBe('postgresql://u@db:5432/w');
  });

  it('names every bad variable at once', () => {
    const schema = BaseConfigSchema.extend({ JWT_SECRET: z.string().min(32) });
    let error: unknown;
    try {
      loadConfig('gateway', schema, { HTTP_PORT: 'abc', KAFKA_BROKERS: 'localhost', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/HTTP_PORT: .*\(got "abc"\)/);
    expect(message).toMatch(/KAFKA_BROKERS: must be host:port/);
    expect(message).toMatch(/LOG_LEVEL/);
    expect(message).toMatch(/JWT_SECRET: .*\(not set\)/);
  });

  it('refuses a database URL that is not PostgreSQL', () => {
    expect(() => loadConfig('wallet', BaseConfigSchema, { DATABASE_URL: 'mysql://x' })).toThrow(
      /DATABASE_URL/,
    );
    expect(() => loadConfig('wallet', BaseConfigSchema, { WALLET_DATABASE_URL: 'x' })).toThrow(
      /WALLET_DATABASE_URL/,
    );
  });
});
