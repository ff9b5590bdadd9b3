import { Pool } from 'pg';
import { freshDatabase, type TestDatabase } from '@paylend/testing';
import { IdempotencyRepository } from './idempotency.repository';

/* The Idempotency-Key store against the real PostgreSQL: claims and completions sharing one statement. */
let db: TestDatabase;
let pool: Pool;
let repo: IdempotencyRepository;

beforeAll(async () => {
  db = await freshDatabase('gateway_idem', [
    'libs/messaging/migrations',
    'libs/gateway/data-access/prisma/migrations',
  ]);
  pool = new Pool({ connectionString: db.url, max: 4 });
  repo = new IdempotencyRepository(pool);
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const claim = (key: string, userId = 'u1') => ({ userId, key, requestHash: `h-${key}`, lockMs: 30_000 });

it('claims fresh keys and completes claimed ones in one statement; a taken key is not claimed again', async () => {
  expect(await repo.writeMany([claim('k-aaaaaaa1'), claim('k-aaaaaaa2')], [])).toEqual([true, true]);

  const won = await repo.writeMany(
    // k-3 is fresh; k-1 is taken (its completion rides in the same statement); k-3 twice: only the first wins
    [claim('k-aaaaaaa3'), claim('k-aaaaaaa1'), claim('k-aaaaaaa3'), claim('k-aaaaaaa1', 'u2')],
    [{ userId: 'u1', key: 'k-aaaaaaa1', status: 201, body: { ok: 1 } }],
  );
  expect(won).toEqual([true, false, false, true]);

  const k1 = await repo.find('u1', 'k-aaaaaaa1');
  expect(k1).toMatchObject({ state: 'done', response_status: 201, response_body: { ok: 1 } });
  expect(await repo.find('u1', 'k-aaaaaaa2')).toMatchObject({ state: 'in_flight' });
  expect(await repo.find('u1', 'k-aaaaaaa3')).toMatchObject({
    state: 'in_flight',
    request_hash: 'h-k-aaaaaaa3',
  });

  // A completion only finishes a key still in flight: a second answer does not overwrite the first.
  await repo.writeMany([], [{ userId: 'u1', key: 'k-aaaaaaa1', status: 500, body: { late: true } }]);
  expect(await repo.find('u1', 'k-aaaaaaa1')).toMatchObject({
    response_status: 201,
    response_body: { ok: 1 },
  });
});

it('a key released after a failed request keeps its fingerprint: only the same request takes it over', async () => {
  const key = 'k-released1';
  expect(await repo.claim('u1', key, 'h-transfer', 30_000)).toBe(true);
  await repo.release('u1', key);
  // The same user's next request under the key finds it taken, unlocked, and still the first request's.
  expect(await repo.claim('u1', key, 'h-withdrawal', 30_000)).toBe(false);
  expect(await repo.find('u1', key)).toMatchObject({ state: 'in_flight', request_hash: 'h-transfer' });
  expect(await repo.takeOver('u1', key, 'h-withdrawal', 30_000)).toBe(false);
  expect(await repo.takeOver('u1', key, 'h-transfer', 30_000)).toBe(true);
});
