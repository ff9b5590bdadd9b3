import { randomUUID } from 'node:crypto';

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export type Role = 'consumer' | 'merchant' | 'borrower' | 'lender' | 'operator';

/** A tiny client of the gateway's HTTP API (demo, tests, benchmark): JSON in and out, bearer tokens. */
export class GatewayApi {
  constructor(readonly baseUrl: string) {}

  /** A token from the development issuer (POST /v1/dev/tokens, enabled by GATEWAY_DEV_TOKENS=true). */
  async devToken(sub: string, roles: Role[] = ['consumer'], ttlSeconds = 3600): Promise<string> {
    const r = await this.call<{ token: string }>('POST', '/v1/dev/tokens', {
      body: { sub, roles, ttlSeconds },
    });
    if (r.status !== 201) throw new Error(`dev token for ${sub}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.token;
  }

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    opts: {
      token?: string;
      body?: unknown;
      idempotencyKey?: string | 'auto';
      headers?: Record<string, string>;
    } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.idempotencyKey)
      headers['idempotency-key'] = opts.idempotencyKey === 'auto' ? `k-${randomUUID()}` : opts.idempotencyKey;
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(opts.body === undefined
        ? {}
        : { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (the OpenAPI UI): keep the text
    }
    return { status: res.status, body: body as T, headers: res.headers };
  }
}
