import { Command, CommanderError } from 'commander';
import { registerSettleCommand } from './commands/settle.command';
import { registerReconCommand } from './commands/recon.command';
import { registerScoreCommand } from './commands/score.command';
import { registerQrCommand } from './commands/qr.command';

/** Builds the `paylend` command tree; each command group lives in its own module under ./commands. */
export function buildProgram(): Command {
  const program = new Command('paylend')
    .description('PayLend operator and developer tools')
    .exitOverride()
    .showHelpAfterError();
  registerQrCommand(program);
  registerScoreCommand(program);
  registerSettleCommand(program);
  registerReconCommand(program);
  return program;
}

/** Entry point: returns the process exit code instead of exiting, so tests can call it in-process. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
}
