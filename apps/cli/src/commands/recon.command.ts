import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import {
  ReconciliationResult,
  SettlementError,
  formatMinorUnits,
  instructionsFromReport,
  isoExponent,
  parseCamt053,
  parseStatementCsv,
  postingsFor,
  reconcile,
  reconciliationToJson,
  requireExponent,
} from '@paylend/settlement';
import { render, writeOut } from './settle.command';

interface ReconOptions {
  statement: string;
  report: string;
  json?: boolean;
  dateTolerance: string;
  failOnBreaks?: boolean;
}

/** `paylend recon --statement <camt.053.xml|csv> --report <settlement report>`: matched items and breaks. */
export function registerReconCommand(program: Command): void {
  program
    .command('recon')
    .description(
      'Reconcile a bank statement (camt.053 XML or CSV) against a settlement report (JSON or CSV); ' +
        'the report stands in for the ledger: its instructions are taken as posted',
    )
    .requiredOption('--statement <file>', 'camt.053 XML, or CSV with date,amount,currency,reference')
    .requiredOption('--report <file>', 'settlement report written by the settlement engine (JSON or CSV)')
    .option('--json', 'print JSON instead of tables')
    .option('--date-tolerance <days>', 'days the value date may differ from the execution date', '2')
    .option('--fail-on-breaks', 'exit with code 1 when there are breaks')
    .action((opts: ReconOptions) => recon(opts));
}

async function recon(opts: ReconOptions): Promise<void> {
  const tolerance = Number(opts.dateTolerance);
  if (!Number.isInteger(tolerance) || tolerance < 0) {
    process.stderr.write(
      `paylend recon: --date-tolerance must be a whole number of days, got "${opts.dateTolerance}"\n`,
    );
    process.exitCode = 2;
    return;
  }
  let result: ReconciliationResult;
  try {
    const statementText = readFileSync(opts.statement, 'utf8');
    const isXml = opts.statement.toLowerCase().endsWith('.xml') || statementText.trimStart().startsWith('<');
    const statement = isXml
      ? parseCamt053(statementText, isoExponent)
      : parseStatementCsv(statementText, isoExponent);
    const instructions = instructionsFromReport(readFileSync(opts.report, 'utf8'), isoExponent);
    result = reconcile(statement.entries, instructions, postingsFor(instructions), {
      dateToleranceDays: tolerance,
    });
  } catch (e) {
    if (e instanceof SettlementError) {
      process.stderr.write(`paylend recon: ${e.code}: ${e.message}\n`);
    } else if (e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('E')) {
      process.stderr.write(`paylend recon: ${e.message}\n`);
    } else throw e;
    process.exitCode = 2;
    return;
  }
  await writeOut(opts.json ? JSON.stringify(reconciliationToJson(result), null, 2) + '\n' : tables(result));
  if (opts.failOnBreaks && result.breaks.length > 0) process.exitCode = 1;
}

function tables(r: ReconciliationResult): string {
  const fmt = (minor: bigint | undefined, currency: string) =>
    minor === undefined ? '' : formatMinorUnits(minor, requireExponent(isoExponent, currency));
  const matched = [
    ['reference', 'participant', 'direction', 'amount', 'currency', 'bank entry', 'value date', 'method'],
    ...r.matched.map((m) => [
      m.reference,
      m.participant ?? '',
      m.direction,
      fmt(m.amountMinor, m.currency),
      m.currency,
      m.bankEntryId,
      m.valueDate + (m.dateWithinTolerance ? '' : ' (late)'),
      m.method,
    ]),
  ];
  const breaks = [
    ['break', 'kind', 'cause', 'reference', 'expected', 'actual', 'bank entry', 'line'],
    ...r.breaks.map((b) => [
      b.id,
      b.kind,
      b.cause,
      b.reference ?? '',
      fmt(b.expectedMinor, b.currency),
      fmt(b.actualMinor, b.currency),
      b.bankEntryId ?? '',
      b.line === undefined ? '' : String(b.line),
    ]),
  ];
  const accounts = [
    ['account', 'balance', 'zero'],
    ...r.accounts.map((a) => [a.accountId, fmt(a.balanceMinor, a.currency), a.zero ? 'yes' : 'NO']),
  ];
  const sections = [
    `Matched: ${r.matched.length}\n${render(matched, [false, false, false, true, false, false, false, false])}`,
    `Breaks: ${r.breaks.length}\n` +
      (r.breaks.length
        ? render(breaks, [false, false, false, false, true, true, false, true]) +
          r.breaks.map((b) => `  ${b.id}: ${b.message}\n`).join('')
        : '(none)\n'),
  ];
  if (r.reversals.length)
    sections.push(
      `Reversals paired: ${r.reversals.map((x) => `${x.reversalEntryId} undoes ${x.originalEntryId}`).join('; ')}\n`,
    );
  if (r.ignoredEntryIds.length)
    sections.push(`Not booked, not reconciled: ${r.ignoredEntryIds.join(', ')}\n`);
  sections.push(
    `Clearing and suspense:\n${render(accounts, [false, true, false])}` +
      (r.balanced
        ? 'Clearing and suspense are back to zero.\n'
        : 'Clearing and/or suspense are NOT zero: resolve the breaks.\n'),
  );
  return sections.join('\n');
}
