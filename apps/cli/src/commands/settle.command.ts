import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import {
  PositionSummary,
  SettlementError,
  TotalSummary,
  isoExponent,
  net,
  parseTransfersCsv,
  summarize,
} from '@paylend/settlement';

interface SettleOptions {
  transfers: string;
  json?: boolean;
  feeParticipant: string;
}

/** `paylend settle --transfers <file.csv> [--json]`: offline multilateral netting for operators. */
export function registerSettleCommand(program: Command): void {
  program
    .command('settle')
    .description(
      'Net a CSV of transfers (header id,payer,payee,amount,currency) into per-participant positions',
    )
    .requiredOption('--transfers <file>', 'CSV file: id,payer,payee,amount,currency (optionally kind,fee)')
    .option('--json', 'print JSON instead of a table')
    .option(
      '--fee-participant <id>',
      'participant credited with fees when the file has a fee column',
      'platform:fees',
    )
    .action((opts: SettleOptions) => settle(opts));
}

async function settle(opts: SettleOptions): Promise<void> {
  let text: string;
  try {
    text = readFileSync(opts.transfers, 'utf8');
  } catch (e) {
    process.stderr.write(`paylend settle: cannot read ${opts.transfers}: ${(e as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const { transfers, errors } = parseTransfersCsv(text, isoExponent);
  if (errors.length > 0) {
    await reportErrors(opts, errors);
    return;
  }
  const summary = summarize(
    net(transfers, { kind: 'multilateral-net', feeParticipant: opts.feeParticipant }, 'offline'),
    isoExponent,
  );
  await writeOut(
    opts.json ? JSON.stringify(summary, null, 2) + '\n' : table(summary.positions, summary.totals),
  );
}

async function reportErrors(opts: SettleOptions, errors: SettlementError[]): Promise<void> {
  for (const e of errors)
    process.stderr.write(
      `${opts.transfers}:${e.line ?? '?'}: ${e.code}: ${e.message.replace(/^line \d+: /, '')}\n`,
    );
  process.stderr.write(`paylend settle: ${errors.length} malformed line(s); nothing was settled\n`);
  if (opts.json) {
    const body = {
      settled: false,
      errors: errors.map((e) => ({ line: e.line ?? null, code: e.code, message: e.message })),
    };
    await writeOut(JSON.stringify(body, null, 2) + '\n');
  }
  process.exitCode = 2;
}

function table(positions: PositionSummary[], totals: TotalSummary[]): string {
  const rows = [
    ['participant', 'currency', 'sent', 'received', 'net'],
    ...positions.map((p) => [p.participant, p.currency, p.sent, p.received, p.net]),
  ];
  const totalRows = [
    ['total', 'currency', 'sent', 'received', 'net', 'transfers'],
    ...totals.map((t) => ['', t.currency, t.sent, t.received, t.net, String(t.transfers)]),
  ];
  return `${render(rows, [false, false, true, true, true])}\n${render(totalRows, [false, false, true, true, true, true])}`;
}

/**
 * Writes to stdout and resolves once the chunk is handed to the OS: the bin calls process.exit as soon as
 * the command returns, which would cut a large output going into a pipe.
 */
export function writeOut(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

/** Plain aligned columns; numeric columns right-aligned so decimal points line up. */
export function render(rows: string[][], rightAligned: boolean[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  const [head, ...body] = rows;
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n') + '\n';
}
