import { randomUUID } from 'node:crypto';
import type { RunningService } from '@paylend/platform';
import { spawnService, startTestService, type SpawnedService } from '@paylend/platform/testing';
import { freshDatabase, type TestDatabase } from '@paylend/testing';
import { issueToken, type Role } from '../auth/jwt';
import { DEV_JWT_SECRET } from '../config/gateway-config';
import { gatewayService } from '../gateway.service';

const APPLICATION = {
  checking_account: 'A14',
  duration_months: 12,
  credit_history: 'A34',
  purpose: 'A43',
  credit_amount: 2000,
  savings: 'A65',
  employment_since: 'A74',
  installment_rate_pct: 2,
  property: 'A121',
  other_installment_plans: 'A143',
  housing: 'A152',
};
const jwt = { secret: DEV_JWT_SECRET, issuer: 'paylend-dev', audience: 'paylend-api' };
const token = (roles: Role[]) => issueToken(jwt, { sub: `user-${randomUUID().slice(0, 8)}`, roles });

let scoringDb: TestDatabase;
let gatewayDb: TestDatabase;
let scoring: SpawnedService;
let gateway: RunningService;

beforeAll(async () => {
  scoringDb = await freshDatabase('scoring', [
    'libs/messaging/migrations',
    'libs/scoring/data-access/prisma/migrations',
  ]);
  gatewayDb = await freshDatabase('gateway', [
    'libs/messaging/migrations',
    'libs/gateway/data-access/prisma/migrations',
  ]);
  scoring = await spawnService('scoring', { SCORING_DATABASE_URL: scoringDb.url });
  gateway = await startTestService(gatewayService, gatewayDb.url);
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await scoring?.terminate('SIGTERM');
  await scoringDb?.drop();
  await gatewayDb?.drop();
});

async function call(method: 'GET' | 'POST', path: string, bearer: string | null, body?: unknown) {
  const res = await fetch(`${gateway.url}${path}`, {
    method,
    headers: {
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const request = (application: Record<string, unknown> = APPLICATION) => ({
  applicationId: `app-${randomUUID()}`,
  borrowerId: 'b-gateway',
  requestedAmount: { amount: '1000.00', currency: 'CNY' },
  application,
});

describe('gateway scoring routes (operator only, over Kafka to the scoring service)', () => {
  it('scores an application for an operator', async () => {
    // The scoring service may still be joining its consumer group: the first reply can take a while.
    const operator = await token(['operator']);
    let res = await call('POST', '/v1/scoring/score', operator, request());
    for (let i = 0; i < 5 && res.status === 504; i++)
      res = await call('POST', '/v1/scoring/score', operator, request());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      decision: 'approve',
      grade: 'A',
      subGrade: 'A4',
      maxAmount: { amount: '1500.00', currency: 'CNY' },
      model: { name: 'german-credit', version: 1 },
    });
  }, 60_000);

  it('refuses other roles (403) and anonymous callers (401)', async () => {
    for (const roles of [['borrower'], ['lender', 'consumer']] as Role[][]) {
      const res = await call('POST', '/v1/scoring/score', await token(roles), request());
      expect(res).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
      const psi = await call('GET', '/v1/scoring/monitoring/psi', await token(roles));
      expect(psi).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    }
    expect(await call('POST', '/v1/scoring/score', null, request())).toMatchObject({
      status: 401,
      body: { code: 'TOKEN_MISSING' },
    });
  });

  it('refuses protected attributes and bad inputs with the stable codes', async () => {
    const operator = await token(['operator']);
    const inApp = await call(
      'POST',
      '/v1/scoring/score',
      operator,
      request({ ...APPLICATION, age_years: 30 }),
    );
    expect(inApp).toMatchObject({ status: 422, body: { code: 'PROTECTED_ATTRIBUTE' } });
    const beside = await call('POST', '/v1/scoring/score', operator, { ...request(), Gender: 'F' });
    expect(beside).toMatchObject({ status: 422, body: { code: 'PROTECTED_ATTRIBUTE' } });
    const { housing: _h, ...missing } = APPLICATION;
    expect(await call('POST', '/v1/scoring/score', operator, request(missing))).toMatchObject({
      status: 422,
      body: { code: 'MISSING_ATTRIBUTE', message: expect.stringContaining('housing') },
    });
    expect(
      await call('POST', '/v1/scoring/score', operator, request({ ...APPLICATION, duration_months: 0 })),
    ).toMatchObject({ status: 422, body: { code: 'OUT_OF_RANGE' } });
    expect(await call('POST', '/v1/scoring/score', operator, { applicationId: 'x' })).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
  });

  it('reports population stability to an operator', async () => {
    const res = await call('GET', '/v1/scoring/monitoring/psi', await token(['operator']));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      model: { name: 'german-credit', version: 1 },
      status: 'insufficient-data',
      threshold: 0.25,
      alerting: false,
    });
  });

  it('documents both routes in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${gateway.url}/docs-json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/scoring/score', '/v1/scoring/monitoring/psi']),
    );
  });
});
