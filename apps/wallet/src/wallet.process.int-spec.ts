import { spawnServiceExpectingFailure } from '@paylend/platform/testing';

describe('wallet refuses to start with a clear message', () => {
  it('names a bad configuration variable', async () => {
    const { code, output } = await spawnServiceExpectingFailure('wallet', { WALLET_HTTP_PORT: 'abc' });
    expect(code).toBe(1);
    expect(output).toMatch(/CONFIG_INVALID/);
    expect(output).toMatch(/HTTP_PORT: .*\(got \\?"abc\\?"\)/);
  });

  it('names KAFKA_BROKERS when the broker is unreachable', async () => {
    const { code, output } = await spawnServiceExpectingFailure('wallet', { KAFKA_BROKERS: '127.0.0.1:1' });
    expect(code).toBe(1);
    expect(output).toMatch(/BROKER_UNREACHABLE/);
    expect(output).toMatch(/KAFKA_BROKERS/);
  });

  it('names the database setting when PostgreSQL is unreachable, and asks for migrations when empty', async () => {
    const down = await spawnServiceExpectingFailure('wallet', {
      WALLET_DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/x',
    });
    expect(down.code).toBe(1);
    expect(down.output).toMatch(/DATABASE_UNREACHABLE/);
    expect(down.output).toMatch(/WALLET_DATABASE_URL/);

    const empty = await spawnServiceExpectingFailure('wallet', {
      WALLET_DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/postgres',
    });
    expect(empty.code).toBe(1);
    expect(empty.output).toMatch(/DATABASE_NOT_MIGRATED/);
    expect(empty.output).toMatch(/npm run db -- migrate/);
  });
});
