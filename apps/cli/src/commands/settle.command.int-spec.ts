import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(__dirname, '..', '..', 'bin', 'paylend.js');

describe('paylend settle as a process', () => {
  it('prints its whole output into a pipe (the bin exits right after the command) and exits 2 on a bad line', () => {
    const lines = ['id,payer,payee,amount,currency'];
    for (let i = 0; i < 60_000; i++)
      lines.push(`t${i},p${i % 5003},q${i % 4001},${1 + (i % 997)}.${String(i % 100).padStart(2, '0')},CNY`);
    const dir = mkdtempSync(join(tmpdir(), 'settle-int-'));
    const good = join(dir, 'good.csv');
    writeFileSync(good, lines.join('\n'));
    const r = spawnSync(process.execPath, [BIN, 'settle', '--transfers', good, '--json'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(r.status).toBe(0);
    const body = JSON.parse(r.stdout) as {
      positions: unknown[];
      totals: { net: string; transfers: number }[];
    };
    expect(body.positions).toHaveLength(5003 + 4001);
    expect(body.totals).toEqual([
      expect.objectContaining({ currency: 'CNY', transfers: 60_000, net: '0.00' }),
    ]);

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, [...lines.slice(0, 10), 't-bad,a,b,1.234,CNY', ...lines.slice(10, 20)].join('\n'));
    const b = spawnSync(process.execPath, [BIN, 'settle', '--transfers', bad], { encoding: 'utf8' });
    expect(b.status).toBe(2);
    expect(b.stderr).toContain(':11: AMOUNT_TOO_PRECISE');
    expect(b.stdout).toBe('');
  });
});
