import { createServer, type Server } from 'node:http';
import { verifyWebhook } from '../webhook/webhook-signature';

export interface ReceivedEvent {
  id: string;
  type: string;
  data: { order: { orderId: string; status: string } } & Record<string, unknown>;
}

/**
 * A merchant's webhook endpoint as a merchant should write one: verify the signature and timestamp, drop
 * an event id already processed, acknowledge with 2xx. `failFirst` answers 500 to the first N deliveries
 * of every event, to exercise retries.
 */
export async function startWebhookReceiver(opts: { failFirst?: number } = {}) {
  const secrets = new Map<string, string>();
  const attempts = new Map<string, number>();
  const processed: ReceivedEvent[] = [];
  const rejected: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const check = verifyWebhook({
        headers: req.headers,
        body,
        secretFor: (k) => secrets.get(k),
        nowSeconds: Math.floor(Date.now() / 1000),
      });
      if (!check.ok) {
        rejected.push(check.code);
        res.writeHead(401).end();
        return;
      }
      const n = (attempts.get(check.eventId) ?? 0) + 1;
      attempts.set(check.eventId, n);
      if (n <= (opts.failFirst ?? 0)) {
        res.writeHead(500).end('try again');
        return;
      }
      if (!processed.some((e) => e.id === check.eventId)) processed.push(JSON.parse(body) as ReceivedEvent);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/paylend-webhooks`,
    addKey: (keyId: string, secret: string) => secrets.set(keyId, secret),
    attempts,
    processed,
    rejected,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
