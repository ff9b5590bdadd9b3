import { formatMinorUnits } from '../amount/minor-units';
import { ExponentOf, requireExponent } from '../currency/exponent';
import { isoExponent } from '../currency/iso-exponent';
import { SettlementError } from '../errors/settlement-error';
import { deterministicUuid } from '../ids/deterministic-id';
import { SettlementAccounts, defaultSettlementAccounts } from '../posting/settlement-accounts';
import { SettlementPosting } from '../posting/settlement-posting';
import { Clock } from '../window/clock';
import { ReconciliationBreak } from './reconciliation-types';

/**
 * Where a break's residue goes: back to the participant (a payout that bounced is owed to the merchant
 * again), to write-off (operator accepts the loss or gain), to a named account, or nowhere when the break
 * left no money behind (e.g. an instruction never posted nor paid).
 */
export type ResolutionTarget =
  | { kind: 'participant'; participant: string; ledgerAccountId?: string }
  | { kind: 'write_off' }
  | { kind: 'account'; accountId: string }
  | { kind: 'no_posting' };

export interface ResolveRequest {
  operator: string;
  reason: string;
  target: ResolutionTarget;
}

/** The audit record of an operator resolving a break, with the postings that clear its residue. */
export interface BreakResolution {
  breakId: string;
  breakKind: ReconciliationBreak['kind'];
  operator: string;
  reason: string;
  target: ResolutionTarget;
  resolvedAt: string;
  postings: SettlementPosting[];
}

export function resolveBreak(
  brk: ReconciliationBreak,
  request: ResolveRequest,
  clock: Clock,
  accounts: SettlementAccounts = defaultSettlementAccounts,
  exponentOf: ExponentOf = isoExponent,
): BreakResolution {
  if (request.operator.trim() === '')
    throw new SettlementError('RESOLUTION_INVALID', `resolving ${brk.id} needs the operator's id`);
  if (request.reason.trim().length < 3)
    throw new SettlementError('RESOLUTION_INVALID', `resolving ${brk.id} needs a reason an auditor can read`);
  const postings: SettlementPosting[] = [];
  const residue = brk.residue;
  if (residue && residue.balanceMinor !== 0n) {
    if (request.target.kind === 'no_posting') {
      throw new SettlementError(
        'RESOLUTION_INVALID',
        `break ${brk.id} leaves money on ${residue.accountId}: choose where it goes, not no_posting`,
      );
    }
    const target =
      request.target.kind === 'write_off'
        ? accounts.writeOff(residue.currency)
        : request.target.kind === 'account'
          ? request.target.accountId
          : accounts.participant(
              request.target.participant,
              residue.currency,
              request.target.ledgerAccountId,
            );
    const positive = residue.balanceMinor > 0n;
    const minor = positive ? residue.balanceMinor : -residue.balanceMinor;
    // A debit balance is cleared by crediting the residue account, a credit balance by debiting it.
    postings.push({
      id: deterministicUuid('break-resolution', brk.id),
      debitAccountId: positive ? target : residue.accountId,
      creditAccountId: positive ? residue.accountId : target,
      amount: formatMinorUnits(minor, requireExponent(exponentOf, residue.currency)),
      amountMinor: minor,
      currency: residue.currency,
      code: 'recon.resolution',
      reference: brk.id,
    });
  }
  return {
    breakId: brk.id,
    breakKind: brk.kind,
    operator: request.operator,
    reason: request.reason,
    target: request.target,
    resolvedAt: clock.now().toISOString(),
    postings,
  };
}

/** Keeps the resolutions of one reconciliation; a break is resolved once, and only a break it knows. */
export class BreakLog {
  private readonly resolutions = new Map<string, BreakResolution>();
  private readonly breaks: Map<string, ReconciliationBreak>;

  constructor(
    breaks: readonly ReconciliationBreak[],
    private readonly clock: Clock,
    private readonly accounts: SettlementAccounts = defaultSettlementAccounts,
    private readonly exponentOf: ExponentOf = isoExponent,
  ) {
    this.breaks = new Map(breaks.map((b) => [b.id, b]));
  }

  resolve(breakId: string, request: ResolveRequest): BreakResolution {
    const brk = this.breaks.get(breakId);
    if (!brk) throw new SettlementError('RESOLUTION_INVALID', `no break ${breakId} in this reconciliation`);
    const done = this.resolutions.get(breakId);
    if (done)
      throw new SettlementError(
        'BREAK_ALREADY_RESOLVED',
        `break ${breakId} was resolved by ${done.operator} at ${done.resolvedAt}`,
      );
    const r = resolveBreak(brk, request, this.clock, this.accounts, this.exponentOf);
    this.resolutions.set(breakId, r);
    return r;
  }

  open(): ReconciliationBreak[] {
    return [...this.breaks.values()].filter((b) => !this.resolutions.has(b.id));
  }

  records(): BreakResolution[] {
    return [...this.resolutions.values()];
  }

  postings(): SettlementPosting[] {
    return this.records().flatMap((r) => r.postings);
  }
}
