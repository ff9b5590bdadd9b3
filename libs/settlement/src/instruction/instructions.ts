import { formatMinorUnits } from '../amount/minor-units';
import { ExponentOf, requireExponent } from '../currency/exponent';
import { isoExponent } from '../currency/iso-exponent';
import { NettingResult, Position } from '../netting/position';
import { instructionReference } from './reference';
import {
  InstructionDirection,
  MerchantAccount,
  MerchantDirectory,
  SettlementInstruction,
} from './settlement-instruction';

export interface InstructionOptions {
  executionDate?: string;
  exponentOf?: ExponentOf;
}

/**
 * Payout and collection instructions for the merchants among the positions. Participants without an entry
 * in `merchants` (consumer wallets, the fee account) were already booked on the ledger when their
 * transfers cleared and get no bank instruction. The multilateral-net model pays or collects the net; the
 * gross model pays out everything received and collects everything sent, separately.
 */
export function instructionsFor(
  result: NettingResult,
  merchants: MerchantDirectory,
  options: InstructionOptions = {},
): SettlementInstruction[] {
  const exponentOf = options.exponentOf ?? isoExponent;
  const out: SettlementInstruction[] = [];
  for (const p of result.positions) {
    const merchant = lookup(merchants, p.participant);
    if (!merchant) continue;
    const exponent = requireExponent(exponentOf, p.currency);
    for (const [direction, amountMinor] of legs(result, p)) {
      if (amountMinor === 0n) continue;
      const instruction: SettlementInstruction = {
        reference: instructionReference(result.windowId, p.participant, p.currency, direction),
        windowId: result.windowId,
        participant: p.participant,
        currency: p.currency,
        direction,
        amountMinor,
        amount: formatMinorUnits(amountMinor, exponent),
        bankAccount: merchant.bankAccount,
      };
      if (merchant.accountName !== undefined) instruction.accountName = merchant.accountName;
      if (merchant.ledgerAccountId !== undefined) instruction.ledgerAccountId = merchant.ledgerAccountId;
      if (options.executionDate !== undefined) instruction.executionDate = options.executionDate;
      out.push(instruction);
    }
  }
  return out;
}

function legs(result: NettingResult, p: Position): [InstructionDirection, bigint][] {
  if (result.model.kind === 'gross')
    return [
      ['payout', p.received],
      ['collection', p.sent],
    ];
  return p.net >= 0n ? [['payout', p.net]] : [['collection', -p.net]];
}

function lookup(merchants: MerchantDirectory, participant: string): MerchantAccount | undefined {
  if (merchants instanceof Map) return merchants.get(participant);
  const record = merchants as Readonly<Record<string, MerchantAccount>>;
  return Object.prototype.hasOwnProperty.call(record, participant) ? record[participant] : undefined;
}
