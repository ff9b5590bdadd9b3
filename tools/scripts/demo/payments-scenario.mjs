// The payments scenario of `npm run demo`: a merchant shows a dynamic QR, a consumer pays it, the merchant
// refunds part of it, a local webhook receiver verifies the signed notifications, and a second payment is
// made with a consumer payment code. Everything goes through the gateway's HTTP API.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import QRCode from 'qrcode';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const TOLERANCE_S = 300;

/** CRC-16/CCITT-FALSE, as EMV tag 63 uses: lets the demo forge a tampered QR that still decodes. */
function crc16(text) {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

async function call(gatewayUrl, method, path, { token, body, idempotent } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (idempotent) headers['idempotency-key'] = `demo-${randomUUID()}`;
  const res = await fetch(`${gatewayUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  return { status: res.status, body: json };
}

function expectStatus(what, r, ...ok) {
  if (!ok.includes(r.status)) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A refusal the scenario shows on purpose: anything but a 4xx with this code means the platform is wrong. */
function expectRefusal(what, r, code) {
  if (r.status < 400 || r.status >= 500 || r.body?.code !== code)
    throw new Error(`${what} should be refused with ${code}; got HTTP ${r.status} ${JSON.stringify(r.body)}`);
  return r;
}

/** A merchant's endpoint: checks the signature and timestamp, drops duplicates by event id, answers 204. */
async function startReceiver(say) {
  const secrets = new Map();
  const seen = new Set();
  const events = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = req.headers['paylend-webhook-id'];
      const keyId = req.headers['paylend-webhook-key-id'];
      const ts = Number(req.headers['paylend-webhook-timestamp']);
      const signature = String(req.headers['paylend-webhook-signature'] ?? '');
      const secret = secrets.get(keyId);
      const expected = secret
        ? `v1=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`
        : '';
      const valid =
        secret &&
        Math.abs(Date.now() / 1000 - ts) <= TOLERANCE_S &&
        expected.length === signature.length &&
        timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
      if (!valid) {
        say(`  webhook ✗ rejected (bad signature or stale timestamp)`);
        res.writeHead(401).end();
        return;
      }
      if (seen.has(id)) {
        res.writeHead(204).end();
        return;
      }
      seen.add(id);
      const event = JSON.parse(body);
      events.push(event);
      const o = event.data.order;
      say(
        `  webhook ✓ ${event.type.padEnd(15)} order ${o.orderId}  ${o.status}  refunded ${o.refunded.amount}  ` +
          `(key ${keyId}, signature verified, event ${String(id).slice(0, 8)}…)`,
      );
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/paylend-webhooks`,
    addKey: (keyId, secret) => secrets.set(keyId, secret),
    events,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function waitFor(what, check, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export default async function ({ gatewayUrl, say }) {
  const run = randomBytes(3).toString('hex');
  const token = async (sub, roles) =>
    expectStatus(
      'dev token',
      await call(gatewayUrl, 'POST', '/v1/dev/tokens', { body: { sub, roles, ttlSeconds: 3600 } }),
      201,
    ).token;
  const cny = (amount) => ({ amount, currency: 'CNY' });

  say('payments: a coffee shop onboards and points its webhooks at a local receiver');
  const owner = await token(`shop-owner-${run}`, ['merchant']);
  const merchantId = `lucky-coffee-${run}`;
  const merchant = expectStatus(
    'onboard',
    await call(gatewayUrl, 'POST', '/v1/merchants', {
      token: owner,
      body: {
        merchantId,
        name: 'Lucky Coffee',
        city: 'Shanghai',
        country: 'CN',
        mcc: '5814',
        currency: 'CNY',
        settlementAccount: 'CN-ICBC-6222-0001',
        feeRate: '0.006',
      },
    }),
    200,
    201,
  );
  say(
    `  merchant ${merchant.merchantId}: fee rate ${merchant.feeRate}, captures paid into wallet ${merchant.walletId}`,
  );
  const receiver = await startReceiver(say);
  try {
    const hook = expectStatus(
      'webhook',
      await call(gatewayUrl, 'PUT', `/v1/merchants/${merchantId}/webhook`, {
        token: owner,
        body: { url: receiver.url },
      }),
      200,
    );
    receiver.addKey(hook.keyId, hook.secret);
    say(`  webhooks -> ${receiver.url} signed with key ${hook.keyId}`);

    const payerId = `qr-payer-${run}`;
    const payer = await token(payerId, ['consumer']);
    const wallet = expectStatus(
      'open wallet',
      await call(gatewayUrl, 'POST', '/v1/wallets', { token: payer, body: { currency: 'CNY' } }),
      200,
      201,
    );
    expectStatus(
      'top up',
      await call(gatewayUrl, 'POST', `/v1/wallets/${wallet.walletId}/top-ups`, {
        // The bank's side reports the deposit (an operator here); a wallet's owner cannot credit itself.
        token: await token(`bank-desk-${run}`, ['operator']),
        idempotent: true,
        body: { amount: cny('200.00'), participant: 'bank.icbc', depositReference: `demo-${run}` },
      }),
      201,
    );
    say(`  bank.icbc reports consumer ${payerId}'s deposit of 200.00 CNY: credited`);

    say('');
    say('payments: the merchant creates a dynamic QR for one order (36.80 CNY, expires in 15 minutes)');
    const order = expectStatus(
      'create order',
      await call(gatewayUrl, 'POST', `/v1/merchants/${merchantId}/orders`, {
        token: owner,
        idempotent: true,
        body: { amount: cny('36.80'), reference: 'TABLE-7', expiresInSeconds: 900 },
      }),
      201,
    );
    const qr = await QRCode.toString(order.qrPayload, {
      type: 'terminal',
      small: true,
      errorCorrectionLevel: 'M',
    });
    for (const line of qr.split('\n')) say(`  ${line}`);
    mkdirSync(join(ROOT, 'tmp', 'demo'), { recursive: true });
    const png = join('tmp', 'demo', `order-${order.orderId}.png`);
    await QRCode.toFile(join(ROOT, png), order.qrPayload, { errorCorrectionLevel: 'M', margin: 4, scale: 8 });
    say(`  EMV payload: ${order.qrPayload}`);
    say(`  saved as ${png}`);

    say('');
    say('payments: the consumer scans it and confirms');
    const paid = expectStatus(
      'pay',
      await call(gatewayUrl, 'POST', '/v1/payments/scan', {
        token: payer,
        idempotent: true,
        body: { walletId: wallet.walletId, qrPayload: order.qrPayload },
      }),
      201,
    );
    say(
      `  order ${paid.orderId}: ${paid.status}, captured ${paid.captured.amount} CNY, platform fee ${paid.fee.amount} CNY`,
    );
    const edited = order.qrPayload.slice(0, -4).replace('540536.80', '54040.01');
    const tampered = edited + crc16(edited);
    const refusedTamper = await call(gatewayUrl, 'POST', '/v1/payments/scan', {
      token: payer,
      idempotent: true,
      body: { walletId: wallet.walletId, qrPayload: tampered },
    });
    expectRefusal('the tampered QR', refusedTamper, 'QR_TAMPERED');
    say(
      `  a copy with the amount edited to 0.01 (CRC recomputed) is refused: HTTP ${refusedTamper.status} ${refusedTamper.body?.code}`,
    );

    say('');
    say('payments: the merchant refunds 10.00 of it');
    const refund = expectStatus(
      'refund',
      await call(gatewayUrl, 'POST', `/v1/orders/${order.orderId}/refunds`, {
        token: owner,
        idempotent: true,
        body: { amount: cny('10.00'), reason: 'one drink was missing' },
      }),
      201,
    );
    say(
      `  refund ${refund.refundId}: order now ${refund.order.status}, refunded ${refund.order.refunded.amount} CNY`,
    );
    const tooMuch = await call(gatewayUrl, 'POST', `/v1/orders/${order.orderId}/refunds`, {
      token: owner,
      idempotent: true,
      body: { amount: cny('30.00') },
    });
    expectRefusal('refunding above the capture', tooMuch, 'REFUND_EXCEEDS_CAPTURED');
    say(`  refunding another 30.00 is refused: HTTP ${tooMuch.status} ${tooMuch.body?.code}`);
    await waitFor('the refund notification', () => receiver.events.some((e) => e.type === 'order.refunded'));

    say('');
    say("payments: a second payment, with the consumer's payment code scanned at the till");
    const code = expectStatus(
      'payment code',
      await call(gatewayUrl, 'GET', `/v1/wallets/${wallet.walletId}/payment-code`, { token: payer }),
      200,
    );
    say(
      `  the app shows ${code.code.replace(/(\d{4})(?=\d)/g, '$1 ')} (valid until ${code.validUntil}, single use)`,
    );
    const charge = expectStatus(
      'charge',
      await call(gatewayUrl, 'POST', `/v1/merchants/${merchantId}/charges`, {
        token: owner,
        idempotent: true,
        body: { code: code.code, amount: cny('12.50'), reference: 'TILL-2' },
      }),
      201,
    );
    say(
      `  POS charge ${charge.orderId}: ${charge.status}, ${charge.amount.amount} CNY, fee ${charge.fee.amount} CNY`,
    );
    const again = await call(gatewayUrl, 'POST', `/v1/merchants/${merchantId}/charges`, {
      token: owner,
      idempotent: true,
      body: { code: code.code, amount: cny('12.50') },
    });
    expectRefusal('charging a used payment code', again, 'PAYMENT_CODE_USED');
    say(`  charging the same code again is refused: HTTP ${again.status} ${again.body?.code}`);
    await waitFor('the payment-code notification', () =>
      receiver.events.some((e) => e.type === 'order.succeeded' && e.data.order.orderId === charge.orderId),
    );
    const after = expectStatus(
      'wallet',
      await call(gatewayUrl, 'GET', `/v1/wallets/${wallet.walletId}`, { token: payer }),
      200,
    );
    say(`  consumer balance: 200.00 - 36.80 + 10.00 - 12.50 = ${after.balance.amount} CNY`);
    const status = expectStatus(
      'order status',
      await call(gatewayUrl, 'GET', `/v1/orders/${order.orderId}`, { token: owner }),
      200,
    );
    say(`  order status query (the fallback to webhooks): ${status.orderId} ${status.status}`);
    say(`  ${receiver.events.length} signed notifications received, each verified and processed once`);
  } finally {
    await receiver.close();
  }
}
