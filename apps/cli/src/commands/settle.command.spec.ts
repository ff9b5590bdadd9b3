import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerSettleCommand } from './settle.command';

async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const program = new Command('paylend').exitOverride();
  registerSettleCommand(program);
  let out = '';
  let err = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s: unknown, cb?: unknown) => {
    out += String(s);
    if (typeof cb === 'function') cb();
    return true;
  });
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'paylend', ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = process.exitCode === undefined ? 0 : Number(process.exitCode);
  process.exitCode = undefined;
  return { out, err, code };
}

function file(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'settle-')), 'transfers.csv');
  writeFileSync(path, content);
  return path;
}

const GOOD = [
  'id,payer,payee,amount,currency',
  't1,alice,shop,12.30,CNY',
  't2,bob,shop,7.70,CNY',
  't3,shop,alice,2.00,CNY',
  't4,alice,bob,500,JPY',
  't5,bob,shop,0.125,KWD',
].join('\n');

describe('paylend settle', () => {
  it('--json lists sent, received and net per participant and currency, and the totals', async () => {
    const r = await run('settle', '--transfers', file(GOOD), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      positions: [
        { participant: 'alice', currency: 'CNY', sent: '12.30', received: '2.00', net: '-10.30' },
        { participant: 'alice', currency: 'JPY', sent: '500', received: '0', net: '-500' },
        { participant: 'bob', currency: 'CNY', sent: '7.70', received: '0.00', net: '-7.70' },
        { participant: 'bob', currency: 'JPY', sent: '0', received: '500', net: '500' },
        { participant: 'bob', currency: 'KWD', sent: '0.125', received: '0.000', net: '-0.125' },
        { participant: 'shop', currency: 'CNY', sent: '2.00', received: '20.00', net: '18.00' },
        { participant: 'shop', currency: 'KWD', sent: '0.000', received: '0.125', net: '0.125' },
      ],
      totals: [
        { currency: 'CNY', transfers: 3, sent: '22.00', received: '22.00', net: '0.00' },
        { currency: 'JPY', transfers: 1, sent: '500', received: '500', net: '0' },
        { currency: 'KWD', transfers: 1, sent: '0.125', received: '0.125', net: '0.000' },
      ],
    });
  });

  it('prints a readable table without --json', async () => {
    const r = await run('settle', '--transfers', file(GOOD));
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^participant\s+currency\s+sent\s+received\s+net$/);
    expect(lines).toContain('shop         CNY        2.00     20.00   18.00');
    expect(r.out).toMatch(/total\s+currency\s+sent\s+received\s+net\s+transfers/);
  });

  it('a malformed line is reported with its line number, nothing is settled, exit code 2', async () => {
    const bad = GOOD.replace('t3,shop,alice,2.00,CNY', 't3,shop,alice,2.001,CNY');
    const r = await run('settle', '--transfers', file(bad), '--json');
    expect(r.code).toBe(2);
    expect(r.err).toContain(':4: AMOUNT_TOO_PRECISE');
    expect(r.err).toContain('nothing was settled');
    const body = JSON.parse(r.out);
    expect(body.settled).toBe(false);
    expect(body.errors).toEqual([expect.objectContaining({ line: 4, code: 'AMOUNT_TOO_PRECISE' })]);
    expect(body.positions).toBeUndefined();
    const text = await run('settle', '--transfers', file(bad));
    expect(text.code).toBe(2);
    expect(text.out).toBe('');
  });

  it('a wrong header or a missing file is exit code 2 too', async () => {
    const header = await run('settle', '--transfers', file('id,from,to,amount,currency\nt1,a,b,1,CNY\n'));
    expect(header.code).toBe(2);
    expect(header.err).toContain(':1: CSV_HEADER');
    const missing = await run('settle', '--transfers', '/nonexistent/transfers.csv');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot read');
  });
});
