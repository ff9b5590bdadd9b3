// qr_decode_per_s: how many merchant-presented payloads `decodeMpm` fully decodes and validates per second
// (TLV, CRC-16 over UTF-8, every field rule, templates, ISO tables), against two baselines in the same run:
//  - json_parse_per_s: JSON.parse of the payload's data objects (the same tree, IDs and values, as JSON): what
//    reading the same content from a structured format costs, the floor a TLV codec is compared with;
//  - naive_decode_per_s: a straightforward decoder (substring TLV walk, Buffer.from + bit-by-bit CRC, no field
//    validation), i.e. what an inline implementation in a service would typically do.
import { cpus, loadavg } from 'node:os';
import type { BenchMetric } from '@paylend/testing';
import { decodeMpm, paynow, pix } from '@paylend/emv-qr';

const EMVCO =
  '00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A';
const PIX_STATIC =
  '00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D';

/** The payloads a payments service sees: spec example, static Pix, per-order dynamic Pix and PayNow codes. */
function corpus(): string[] {
  const out = [EMVCO, PIX_STATIC];
  for (let i = 0; i < 30; i++) {
    const cents = 100 + i * 7919;
    const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    out.push(
      pix.dynamic({
        url: `pix.paylend.example/qr/v2/cob/${(i * 2654435761).toString(16).padStart(16, '0')}`,
        merchantName: `LOJA ${i}`,
        merchantCity: 'SAO PAULO',
        amount,
      }),
    );
    out.push(
      paynow.dynamic({
        proxy: { type: 'uen', value: '201403121W' },
        merchantName: `PAYLEND SHOP ${i}`,
        amount,
        expiry: '20301231',
        reference: `ORDER${100000 + i}`,
      }),
    );
  }
  return out;
}

function crcBitwise(bytes: Buffer): string {
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

/** The naive baseline: walks TLV with substrings (code points via Array.from), checks the CRC, validates nothing else. */
function naiveDecode(payload: string): Record<string, unknown> | null {
  const chars = Array.from(payload);
  const walk = (from: number, to: number, nested: boolean): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    let i = from;
    while (i < to) {
      const id = chars.slice(i, i + 2).join('');
      const len = Number(chars.slice(i + 2, i + 4).join(''));
      const value = chars.slice(i + 4, i + 4 + len).join('');
      const n = Number(id);
      out[id] =
        !nested && ((n >= 26 && n <= 51) || n === 62 || n === 64 || n >= 80)
          ? walk(i + 4, i + 4 + len, true)
          : value;
      i += 4 + len;
    }
    return out;
  };
  const fields = walk(0, chars.length, false);
  const crc = crcBitwise(Buffer.from(payload.slice(0, -4), 'utf8'));
  return crc === fields['63'] ? fields : null;
}

interface Rate {
  /** Operations per wall-clock second. */
  wall: number;
  /** Operations per second of CPU time this process used (user + system): what one core does when the box is shared. */
  cpu: number;
}

/** Runs `fn` over the corpus for ~`ms` milliseconds of wall time. */
function rate(payloads: readonly string[], fn: (p: string) => unknown, ms: number): Rate {
  let ops = 0;
  let sink = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let k = 0; k < payloads.length; k++) {
      if (fn(payloads[k] as string)) sink++;
    }
    ops += payloads.length;
    now = process.hrtime.bigint();
  }
  const cpu = process.cpuUsage(cpu0);
  if (sink !== ops) throw new Error('a benchmark decode failed: the corpus must be valid');
  return { wall: ops / (Number(now - start) / 1e9), cpu: ops / ((cpu.user + cpu.system) / 1e6) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export interface QrDecodeMeasurement {
  metrics: Record<string, BenchMetric>;
  notes: string;
}

/** Interleaves rounds of the three decoders so machine noise hits them alike; reports the median round. */
export function measureQrDecode(options: { rounds?: number; roundMs?: number } = {}): QrDecodeMeasurement {
  const rounds = options.rounds ?? 7;
  const roundMs = options.roundMs ?? 700;
  const payloads = corpus();
  const decode = (p: string) => decodeMpm(p).ok;
  const asJson = payloads.map((p) => {
    const r = decodeMpm(p);
    if (!r.ok) throw new Error(`corpus payload does not decode: ${r.error.code} ${r.error.message}`);
    return JSON.stringify(r.value.dataObjects);
  });
  const jsonParse = (s: string) => JSON.parse(s) !== null;
  const naive = (p: string) => naiveDecode(p) !== null;

  // Warm-up, so the JIT has compiled all three before anything is timed.
  rate(payloads, decode, 500);
  rate(asJson, jsonParse, 300);
  rate(payloads, naive, 300);

  const ours: Rate[] = [];
  const json: Rate[] = [];
  const base: Rate[] = [];
  const load = loadavg()[0] ?? 0;
  for (let r = 0; r < rounds; r++) {
    ours.push(rate(payloads, decode, roundMs));
    json.push(rate(asJson, jsonParse, roundMs));
    base.push(rate(payloads, naive, roundMs));
  }
  const qr = median(ours.map((r) => r.wall));
  const qrCpu = median(ours.map((r) => r.cpu));
  const jp = median(json.map((r) => r.wall));
  const nv = median(base.map((r) => r.wall));
  // Ratios per round (the three ran back to back under the same load), then their median.
  const vsJson = median(ours.map((r, k) => r.cpu / (json[k] as Rate).cpu));
  const vsNaive = median(ours.map((r, k) => r.cpu / (base[k] as Rate).cpu));
  const avgJson = asJson.reduce((n, j) => n + j.length, 0) / asJson.length;
  const emvcoOnly = [EMVCO];
  rate(emvcoOnly, decode, 200);
  const emvco = median(
    [rate(emvcoOnly, decode, 400), rate(emvcoOnly, decode, 400), rate(emvcoOnly, decode, 400)].map(
      (r) => r.cpu,
    ),
  );
  const avgChars = payloads.reduce((n, p) => n + Array.from(p).length, 0) / payloads.length;
  return {
    metrics: {
      qr_decode_per_s: { value: Math.round(qr), unit: 'payloads/s', target: 200_000 },
      qr_decode_per_cpu_s: { value: Math.round(qrCpu), unit: 'payloads/cpu-s', target: 200_000 },
      qr_decode_json_parse_baseline_per_s: { value: Math.round(jp), unit: 'parses/s' },
      qr_decode_vs_json_parse: { value: vsJson, unit: 'ratio' },
      qr_decode_naive_baseline_per_s: { value: Math.round(nv), unit: 'payloads/s' },
      qr_decode_vs_naive: { value: vsNaive, unit: 'ratio' },
      qr_decode_emvco_example_per_cpu_s: { value: Math.round(emvco), unit: 'payloads/cpu-s' },
    },
    notes:
      `qr_decode: decodeMpm (full validation) over ${payloads.length} payloads averaging ${avgChars.toFixed(0)} characters ` +
      `(EMVCo example, BCB Pix static, dynamic Pix and PayNow per-order codes), single thread, median of ${rounds} rounds of ${roundMs} ms ` +
      `interleaved with the baselines: JSON.parse of the same data-object tree as JSON (${avgJson.toFixed(0)} characters on average), ` +
      `and a naive TLV+CRC decoder (substrings, Buffer + bitwise CRC) that validates nothing. Ratios compare CPU time per round. ` +
      `_per_s is wall clock, _per_cpu_s per second of this process's CPU time (the box is shared: load average ` +
      `${load.toFixed(1)} on ${cpus().length} cores when the run started).`,
  };
}
