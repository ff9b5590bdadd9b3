import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Command } from 'commander';
import { registerReconCommand } from './recon.command';

const FIXTURES = join(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  'libs',
  'settlement',
  'src',
  'reconciliation',
  'fixtures',
);
const at = (name: string) => join(FIXTURES, name);

async function run(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  const program = new Command('paylend').exitOverride();
  registerReconCommand(program);
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

describe('paylend recon', () => {
  it('a settled camt.053 against the JSON report: everything matched, accounts back to zero', async () => {
    const r = await run(
      'recon',
      '--statement',
      at('camt053-v08-settled.xml'),
      '--report',
      at('window-42.report.json'),
      '--json',
    );
    expect(r.code).toBe(0);
    const body = JSON.parse(r.out);
    expect(body.matched).toHaveLength(5);
    expect(body.breaks).toEqual([]);
    expect(body.balanced).toBe(true);
    expect(body.matched[0]).toMatchObject({
      reference: 'PLP-AHHS7PBMJMDUZNLFP42Y',
      amount: '1243.00',
      currency: 'CNY',
    });
  });

  it('the wrong statement against the CSV report lists the three breaks', async () => {
    const r = await run(
      'recon',
      '--statement',
      at('camt053-v08-wrong.xml'),
      '--report',
      at('window-42.report.csv'),
      '--json',
    );
    const body = JSON.parse(r.out);
    expect(body.breaks.map((b: { kind: string; reference: string }) => [b.kind, b.reference])).toEqual([
      ['amount_mismatch', 'PLP-AHHS7PBMJMDUZNLFP42Y'],
      ['missing_in_ledger', 'UNKNOWN-REF-7781'],
      ['missing_in_bank', 'PLP-X25R7JJBK5G6WQAF36J4'],
    ]);
    expect(body.accounts).toEqual([
      expect.objectContaining({ role: 'clearing', balance: '-814.98', zero: false }),
      expect.objectContaining({ role: 'suspense', balance: '55.00', zero: false }),
    ]);
    const table = await run(
      'recon',
      '--statement',
      at('camt053-v08-wrong.xml'),
      '--report',
      at('window-42.report.csv'),
      '--fail-on-breaks',
    );
    expect(table.code).toBe(1);
    expect(table.out).toContain('Breaks: 3');
    expect(table.out).toMatch(/missing_in_bank\s+no_bank_entry\s+PLP-X25R7JJBK5G6WQAF36J4\s+815\.08/);
    expect(table.out).toContain('NOT zero');
  });

  it('reads CSV statements too', async () => {
    const r = await run(
      'recon',
      '--statement',
      at('statement-settled.csv'),
      '--report',
      at('window-42.report.json'),
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('Matched: 5');
    expect(r.out).toContain('Breaks: 0');
    expect(r.out).toContain('back to zero');
  });

  it('a statement amount with too many decimals is exit code 2 naming the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recon-'));
    const path = join(dir, 'bad.csv');
    writeFileSync(
      path,
      'date,amount,currency,reference\n2026-11-28,-1.00,CNY,A\n2026-11-28,-149.101,CNY,B\n',
    );
    const r = await run('recon', '--statement', path, '--report', at('window-42.report.json'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('AMOUNT_TOO_PRECISE: line 3');
  });
});
