import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMpm } from '@paylend/emv-qr';

// End to end: the real bin script, as `npx paylend` runs it after `npm install` (SWC, no build step).
const ROOT = join(__dirname, '..', '..', '..', '..');
const BIN = join(ROOT, 'apps', 'cli', 'bin', 'paylend.js');

const EMVCO =
  '00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A';
const PIX =
  '00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D';

function paylend(...args: string[]): {
  status: number | null;
  json: Record<string, unknown>;
  stderr: string;
} {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(r.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.status}): ${r.stdout}\n${r.stderr}`);
  }
  return { status: r.status, json, stderr: r.stderr };
}

describe('paylend qr (spawned bin)', () => {
  jest.setTimeout(60_000);

  it('decode prints the EMVCo example as JSON and exits 0', () => {
    const { status, json } = paylend('qr', 'decode', EMVCO);
    expect(status).toBe(0);
    expect(json).toMatchObject({
      valid: true,
      pointOfInitiation: 'dynamic',
      merchantName: 'BEST TRANSPORT',
      merchantCity: 'BEIJING',
      countryCode: 'CN',
      merchantCategoryCode: '4111',
      transactionCurrency: '156',
      transactionAmount: '23.72',
      crc: 'A13A',
    });
    const objects = json['dataObjects'] as Array<{ id: string; value?: string; template?: unknown[] }>;
    expect(objects[0]).toEqual({ id: '00', value: '01' });
    expect(objects.find((o) => o.id === '29')).toEqual({
      id: '29',
      template: [
        { id: '00', value: 'D15600000000' },
        { id: '05', value: 'A93FO3230Q' },
      ],
    });
    expect(objects.at(-1)).toEqual({ id: '63', value: 'A13A' });
  });

  it('decode of a static code without amount prints transactionAmount null', () => {
    const { status, json } = paylend('qr', 'decode', PIX);
    expect(status).toBe(0);
    expect(json).toMatchObject({
      valid: true,
      pointOfInitiation: 'static',
      transactionAmount: null,
      transactionCurrency: '986',
      crc: '1D3D',
    });
  });

  it('decode of a tampered payload prints the error and exits 2', () => {
    const tampered = PIX.replace('Fulano', 'Fulana');
    const { status, json } = paylend('qr', 'decode', tampered);
    expect(status).toBe(2);
    expect(json).toEqual({
      valid: false,
      error: {
        code: 'CRC_MISMATCH',
        message: expect.stringContaining('1D3D'),
        position: tampered.length - 4,
      },
    });
  });

  it('decode of a truncated payload reports the overrun position and exits 2', () => {
    const { status, json } = paylend('qr', 'decode', '0002015930SHORT');
    expect(status).toBe(2);
    expect(json).toMatchObject({ valid: false, error: { code: 'LENGTH_OVERRUN', position: 8 } });
  });

  it('encode builds a payload from flags and writes PNG and SVG', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paylend-qr-'));
    const png = join(dir, 'code.png');
    const svg = join(dir, 'code.svg');
    const { status, json } = paylend(
      'qr',
      'encode',
      '--account',
      '02=4000123412341234',
      '--mcc',
      '5812',
      '--currency',
      'CNY',
      '--amount',
      '23.72',
      '--country',
      'CN',
      '--name',
      'NOODLE BAR',
      '--city',
      'BEIJING',
      '--poi',
      'dynamic',
      '--png',
      png,
      '--svg',
      svg,
    );
    expect(status).toBe(0);
    const decoded = decodeMpm(json['payload']);
    expect(decoded.ok && decoded.value).toMatchObject({
      transactionAmount: '23.72',
      transactionCurrency: '156',
      pointOfInitiation: 'dynamic',
    });
    expect(readFileSync(png).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg/);
  });

  it('encode reproduces the BCB Pix example from the pix flags', () => {
    const { status, json } = paylend(
      'qr',
      'encode',
      '--pix-key',
      '123e4567-e12b-12d1-a456-426655440000',
      '--name',
      'Fulano de Tal',
      '--city',
      'BRASILIA',
    );
    expect(status).toBe(0);
    expect(json).toEqual({ valid: true, payload: PIX });
  });

  it('encode reads a JSON file and refuses amounts written as JSON numbers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paylend-qr-'));
    const good = join(dir, 'good.json');
    writeFileSync(
      good,
      JSON.stringify({
        profile: 'paynow.dynamic',
        proxy: { type: 'uen', value: '201403121W' },
        merchantName: 'PAYLEND DEMO',
        amount: '15.80',
      }),
    );
    const ok = paylend('qr', 'encode', '--json-file', good);
    expect(ok.status).toBe(0);
    expect(ok.json['payload']).toContain('0009SG.PAYNOW0101202');
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        profile: 'pix.static',
        key: '12345678909',
        merchantName: 'A',
        merchantCity: 'B',
        amount: 12.5,
      }),
    );
    const refused = paylend('qr', 'encode', '--json-file', bad);
    expect(refused.status).toBe(2);
    expect(refused.json).toMatchObject({ valid: false, error: { code: 'VALUE_INVALID', field: 'amount' } });
  });

  it('encode refuses invalid fields with the field name and exit 2', () => {
    const { status, json } = paylend(
      'qr',
      'encode',
      '--account',
      '02=4000123412341234',
      '--mcc',
      '5812',
      '--currency',
      '156',
      '--country',
      'XX',
      '--name',
      'A',
      '--city',
      'B',
    );
    expect(status).toBe(2);
    expect(json).toMatchObject({ valid: false, error: { code: 'COUNTRY_UNKNOWN', field: 'countryCode' } });
  });

  it('decode --cpm reads a consumer-presented code', () => {
    const cpm =
      'hQVDUFYwMWETTwegAAAAVVVVUAhQcm9kdWN0MWETTwegAAAAZmZmUAhQcm9kdWN0MmJJWggSNFZ4kBI0WF8gDkNBUkRIT0xERVIvRU1WXy0IcnVlc2RlZW5kIZ8QBwYBCgMAAACfJghYT9OF+iNLzJ82AgABnzcEbVjvEw==';
    const { status, json } = paylend('qr', 'decode', '--cpm', cpm);
    expect(status).toBe(0);
    expect(json).toMatchObject({
      valid: true,
      payloadFormatIndicator: 'CPV01',
      commonData: { cardholderName: 'CARDHOLDER/EMV' },
    });
  });
});
