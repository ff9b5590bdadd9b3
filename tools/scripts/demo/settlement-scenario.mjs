// The settlement scenario of `npm run demo`: a small day of QR payments and a refund, then an operator closes
// the day's window, settles it (each merchant paid net of fees and refunds), prints the per-merchant report,
// downloads it as CSV, imports the bank's camt.053 statement (a batch-booked line, a duplicate booking the
// bank reversed) and prints the reconciliation. Everything goes through the gateway's HTTP API.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');

async function call(gatewayUrl, method, path, { token, body, idempotent, raw } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (idempotent) headers['idempotency-key'] = `demo-${randomUUID()}`;
  let payload;
  if (raw) {
    headers['content-type'] = raw.type;
    payload = raw.text;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(`${gatewayUrl}${path}`, { method, headers, body: payload });
  const text = await res.text();
  let json = text;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // CSV stays text
  }
  return { status: res.status, body: json, text };
}

function expectStatus(what, r, ...ok) {
  if (!ok.includes(r.status)) throw new Error(`${what}: HTTP ${r.status} ${r.text}`);
  return r.body;
}

async function waitFor(what, check, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

// CNY has two decimals: sums are done in BigInt minor units, never in floating point.
const minor = (s) => {
  const [i, f = ''] = s.split('.');
  return BigInt(i) * 100n + BigInt((f + '00').slice(0, 2));
};
const decimal = (m) => `${m / 100n}.${String(m % 100n).padStart(2, '0')}`;

/** The bank's camt.053.001.08 for the window's instructions, as our bank would send it. */
function camt053(windowId, instructions, day) {
  const payouts = instructions.filter((i) => i.direction === 'payout');
  const collections = instructions.filter((i) => i.direction === 'collection');
  const entries = [];
  const tx = (i, dir, batch) =>
    `<TxDtls><Refs>${batch ? `<PmtInfId>${batch}</PmtInfId>` : ''}<EndToEndId>${i.reference}</EndToEndId></Refs><Amt Ccy="CNY">${i.amount}</Amt><CdtDbtInd>${dir}</CdtDbtInd></TxDtls>`;
  const entry = (ref, amount, dir, body, reversal = false) =>
    `<Ntry><NtryRef>${ref}</NtryRef><Amt Ccy="CNY">${amount}</Amt><CdtDbtInd>${dir}</CdtDbtInd>${reversal ? '<RvslInd>true</RvslInd>' : ''}` +
    `<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>${day}</Dt></BookgDt><ValDt><Dt>${day}</Dt></ValDt><AcctSvcrRef>DEMO-${ref}</AcctSvcrRef><NtryDtls>${body}</NtryDtls></Ntry>`;
  const last = payouts[payouts.length - 1];
  const batched = payouts.slice(0, -1);
  if (batched.length > 0) {
    const total = decimal(batched.reduce((s, i) => s + minor(i.amount), 0n));
    entries.push(
      entry(
        '0001',
        total,
        'DBIT',
        `<Btch><PmtInfId>${windowId}</PmtInfId><NbOfTxs>${batched.length}</NbOfTxs><TtlAmt Ccy="CNY">${total}</TtlAmt><CdtDbtInd>DBIT</CdtDbtInd></Btch>${batched.map((i) => tx(i, 'DBIT', windowId)).join('')}`,
      ),
    );
  }
  if (last) {
    entries.push(entry('0002', last.amount, 'DBIT', tx(last, 'DBIT')));
    entries.push(entry('0003', last.amount, 'DBIT', tx(last, 'DBIT'))); // booked twice by the bank ...
    entries.push(entry('0004', last.amount, 'CRDT', tx(last, 'CRDT'), true)); // ... and the duplicate reversed
  }
  collections.forEach((c, n) => entries.push(entry(`C${n + 1}`, c.amount, 'CRDT', tx(c, 'CRDT'))));
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
<GrpHdr><MsgId>DEMO-${windowId}</MsgId><CreDtTm>${day}T22:00:00Z</CreDtTm></GrpHdr>
<Stmt><Id>DEMO-STMT-${windowId}</Id><CreDtTm>${day}T22:00:00Z</CreDtTm><Acct><Id><Othr><Id>1001234509876543210</Id></Othr></Id><Ccy>CNY</Ccy></Acct>
${entries.join('\n')}
</Stmt></BkToCstmrStmt></Document>
`;
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
  const operator = await token(`ops-${run}`, ['operator']);

  const windows = async () =>
    expectStatus(
      'windows',
      await call(gatewayUrl, 'GET', '/v1/settlement/windows?scheme=qr-cny&status=OPEN', { token: operator }),
      200,
    );
  const before = (await windows())[0]?.transferCount ?? 0;

  say('settlement: two more merchants trade for the day');
  const shops = {};
  for (const [id, name, rate, bank] of [
    [`dumpling-${run}`, 'Dumpling King', '0.006', 'CN-ICBC-6222-0002'],
    [`bookshop-${run}`, 'Old Town Books', '0.01', 'CN-BOC-6216-0003'],
  ]) {
    const owner = await token(`owner-${id}`, ['merchant']);
    expectStatus(
      'onboard',
      await call(gatewayUrl, 'POST', '/v1/merchants', {
        token: owner,
        body: {
          merchantId: id,
          name,
          city: 'Shanghai',
          country: 'CN',
          mcc: '5812',
          currency: 'CNY',
          settlementAccount: bank,
          feeRate: rate,
        },
      }),
      200,
      201,
    );
    shops[id] = owner;
  }
  const people = {};
  for (const who of [`lin-${run}`, `zhou-${run}`]) {
    const t = await token(who, ['consumer']);
    const w = expectStatus(
      'wallet',
      await call(gatewayUrl, 'POST', '/v1/wallets', { token: t, body: { currency: 'CNY' } }),
      200,
      201,
    );
    expectStatus(
      'top up',
      await call(gatewayUrl, 'POST', `/v1/wallets/${w.walletId}/top-ups`, {
        token: operator,
        idempotent: true,
        body: { amount: cny('300.00'), participant: 'bank.icbc', depositReference: `demo-${who}` },
      }),
      201,
    );
    people[who] = { token: t, walletId: w.walletId };
  }
  const pay = async (shop, who, amount) => {
    const order = expectStatus(
      'order',
      await call(gatewayUrl, 'POST', `/v1/merchants/${shop}/orders`, {
        token: shops[shop],
        idempotent: true,
        body: { amount: cny(amount), expiresInSeconds: 900 },
      }),
      201,
    );
    const paid = expectStatus(
      'pay',
      await call(gatewayUrl, 'POST', '/v1/payments/scan', {
        token: people[who].token,
        idempotent: true,
        body: { walletId: people[who].walletId, qrPayload: order.qrPayload },
      }),
      201,
    );
    say(
      `  ${who.padEnd(12)} pays ${shop.padEnd(16)} ${amount.padStart(7)} CNY by QR (fee ${paid.fee.amount})`,
    );
    return paid.orderId;
  };
  const [lin, zhou] = Object.keys(people);
  const [dumpling, bookshop] = Object.keys(shops);
  const first = await pay(dumpling, lin, '48.00');
  await pay(dumpling, zhou, '25.50');
  await pay(bookshop, zhou, '120.00');
  expectStatus(
    'refund',
    await call(gatewayUrl, 'POST', `/v1/orders/${first}/refunds`, {
      token: shops[dumpling],
      idempotent: true,
      body: { amount: cny('8.00'), reason: 'wrong filling' },
    }),
    201,
  );
  say(`  ${dumpling} refunds 8.00 CNY of ${first}`);
  await waitFor(
    'the payments to clear into the open window',
    async () => ((await windows())[0]?.transferCount ?? 0) >= before + 4,
  );

  say('');
  say("settlement: the operator closes the day's window (the clock would close it at midnight UTC)");
  const closed = expectStatus(
    'close',
    await call(gatewayUrl, 'POST', '/v1/settlement/windows/close', {
      token: operator,
      idempotent: true,
      body: { scheme: 'qr-cny' },
    }),
    200,
  );
  say(
    `  ${closed.closed.windowId} CLOSED with ${closed.closed.transferCount} cleared transfers; ${closed.next.windowId} is now open`,
  );
  const windowId = closed.closed.windowId;

  const settled = expectStatus(
    'settle',
    await call(gatewayUrl, 'POST', `/v1/settlement/windows/${windowId}/settle`, {
      token: operator,
      idempotent: true,
    }),
    200,
  );
  say(
    `  settled: ${settled.postedTransfers} payout transfers posted to the ledger as one batch (merchant wallet -> clearing)`,
  );
  const again = expectStatus(
    'settle again',
    await call(gatewayUrl, 'POST', `/v1/settlement/windows/${windowId}/settle`, {
      token: operator,
      idempotent: true,
    }),
    200,
  );
  say(`  settling again posts ${again.postedTransfers} transfers (already settled: ${again.alreadySettled})`);

  say('');
  say(`settlement: per-merchant report for ${windowId}`);
  const report = expectStatus(
    'report',
    await call(gatewayUrl, 'GET', `/v1/settlement/reports/${windowId}?format=json`, { token: operator }),
    200,
  );
  say(
    `  ${'merchant'.padEnd(28)} ${'txs'.padStart(3)} ${'gross'.padStart(8)} ${'refunds'.padStart(8)} ${'fees'.padStart(6)} ${'net'.padStart(8)}  payout`,
  );
  for (const r of report.rows.filter((x) => x.participant.startsWith('merchant:'))) {
    say(
      `  ${r.participant.padEnd(28)} ${String(r.transferCount).padStart(3)} ${r.grossIn.padStart(8)} ${r.refunds.padStart(8)} ${r.fees.padStart(6)} ${r.net.padStart(8)}  ` +
        `${r.payoutReference || r.collectionReference} -> ${r.bankAccount}`,
    );
  }
  const fees = report.rows.find((x) => x.participant === 'platform:fees');
  if (fees) say(`  platform fees earned: ${fees.net} CNY`);
  const csv = await call(gatewayUrl, 'GET', `/v1/settlement/reports/${windowId}?format=csv`, {
    token: operator,
  });
  mkdirSync(join(ROOT, 'tmp', 'demo'), { recursive: true });
  const file = join('tmp', 'demo', `settlement-${windowId}.csv`);
  writeFileSync(join(ROOT, file), csv.text);
  say(`  CSV report saved as ${file}`);

  say('');
  say(
    "settlement: the bank's camt.053 statement arrives (batch-booked payouts, a duplicate booking reversed)",
  );
  const day = new Date().toISOString().slice(0, 10);
  const xml = camt053(windowId, settled.instructions, day);
  const xmlFile = join('tmp', 'demo', `camt053-${windowId}.xml`);
  writeFileSync(join(ROOT, xmlFile), xml);
  const rec = expectStatus(
    'import statement',
    await call(gatewayUrl, 'POST', `/v1/settlement/statements?windowId=${windowId}`, {
      token: operator,
      idempotent: true,
      raw: { type: 'application/xml', text: xml },
    }),
    201,
  );
  say(
    `  ${xmlFile}: ${rec.entries} entries, ${rec.matched} instructions matched, ${rec.reversals} reversal paired, ${rec.breaks.length} breaks`,
  );
  for (const a of rec.ledgerAccounts)
    say(
      `  ledger ${a.accountId.padEnd(26)} ${a.balance.padStart(8)} CNY ${a.zero ? '(zero)' : '(NOT zero)'}`,
    );
  const agree = rec.balanced && rec.ledgerAccounts.every((a) => a.zero);
  say(`  ledger, settlement report and bank agree: ${agree ? 'yes' : 'no'}`);
  if (!agree)
    throw new Error('reconciliation left clearing or suspense non-zero, or the statement unbalanced');
}
