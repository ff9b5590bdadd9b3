import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';

/** The response headers, looked up case-insensitively (the part of the Fetch `Headers` API callers use). */
export interface ResponseHeaders {
  get(name: string): string | null;
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: ResponseHeaders;
}

export type Role = 'consumer' | 'merchant' | 'borrower' | 'lender' | 'operator';

/**
 * A tiny client of the gateway's HTTP API (demo, tests, benchmark): JSON in and out, bearer tokens.
 *
 * It speaks HTTP/1.1 through node:http over kept-alive connections rather than through fetch: the benchmark's
 * load generator shares two cores with everything it measures, and fetch cost it about three times the CPU
 * per request.
 */
export class GatewayApi {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 512 });
  private readonly url: URL;

  constructor(readonly baseUrl: string) {
    this.url = new URL(baseUrl);
  }

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
    const payload =
      opts.body === undefined
        ? undefined
        : typeof opts.body === 'string'
          ? opts.body
          : JSON.stringify(opts.body);
    if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
    const { status, text, headers: resHeaders } = await this.send(method, path, headers, payload);
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (the OpenAPI UI): keep the text
    }
    return { status, body: body as T, headers: resHeaders };
  }

  /** Closes the kept-alive connections (a process that is done with the API can then exit at once). */
  close(): void {
    this.agent.destroy();
  }

  private async send(
    method: string,
    path: string,
    headers: Record<string, string>,
    payload: string | undefined,
  ): Promise<{ status: number; text: string; headers: ResponseHeaders }> {
    try {
      return await this.sendOnce(method, path, headers, payload);
    } catch (err) {
      // The server closes a kept-alive connection after 5 s idle; a request that set out on it just then is
      // reset before the server read it (Node's documented race), so it is sent again, once, on a new one.
      if ((err as { staleSocket?: boolean }).staleSocket)
        return this.sendOnce(method, path, headers, payload);
      throw err;
    }
  }

  private sendOnce(
    method: string,
    path: string,
    headers: Record<string, string>,
    payload: string | undefined,
  ): Promise<{ status: number; text: string; headers: ResponseHeaders }> {
    return new Promise((resolve, reject) => {
      let answered = false;
      const req = request(
        {
          agent: this.agent,
          host: this.url.hostname,
          port: this.url.port,
          path: `${this.url.pathname.replace(/\/$/, '')}${path}`,
          method,
          headers,
        },
        (res) => {
          answered = true;
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const raw = res.headers;
            resolve({
              status: res.statusCode ?? 0,
              text: Buffer.concat(chunks).toString('utf8'),
              headers: {
                get: (name) => {
                  const v = raw[name.toLowerCase()];
                  return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
                },
              },
            });
          });
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (!answered && req.reusedSocket && err.code === 'ECONNRESET')
          Object.assign(err, { staleSocket: true });
        reject(err);
      });
      req.end(payload);
    });
  }
}
