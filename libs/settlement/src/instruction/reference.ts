import { deterministicCode } from '../ids/deterministic-id';
import { InstructionDirection } from './settlement-instruction';

/** The reference depends on who, what and which window — never on the amount — so re-deriving it is stable. */
export function instructionReference(
  windowId: string,
  participant: string,
  currency: string,
  direction: InstructionDirection,
): string {
  return `PL${direction === 'payout' ? 'P' : 'C'}-${deterministicCode(20, 'settlement-instruction', windowId, participant, currency, direction)}`;
}
