import { createHash } from 'node:crypto';
import { AccountSpec, AccountStatus, BalanceMinor, limitBreach } from '../account';
import { MAX_BALANCE } from '../limits';
import { currencyOf, formatMinor } from '../money';
import {
  codeFromText,
  expiryTransferId,
  NormalizedTransfer,
  PendingStatus,
  PostResult,
  splitChains,
  toMinorUnits,
  Transfer,
  TransferFailure,
  transferFailure,
  TransferInput,
  Validated,
} from '../transfer';

export interface AccountState {
  spec: AccountSpec;
  status: AccountStatus;
  balance: BalanceMinor;
}

/** A journal transfer with what the engine needs besides the public fields. */
export interface StoredTransfer extends Transfer {
  amountMinor: bigint;
  codeText: string;
  hash: string;
}

export interface EntryRow {
  transferId: string;
  accountId: string;
  side: 'D' | 'C';
  postedAmount: bigint;
  /** + held amount for a pending transfer, - the released amount when it is posted, voided or expired. */
  pendingDelta: bigint;
  after: BalanceMinor;
}

export interface Rejection {
  transferId: string | null;
  code: string;
  message: string;
  payload: unknown;
}

/** The state a batch is judged against; the store loads it under row locks, the evaluator mutates it. */
export interface EvaluationContext {
  now: Date;
  accounts: Map<string, AccountState>;
  /** Transfers already in the journal with ids of this batch (grows as the batch applies). */
  existing: Map<string, StoredTransfer>;
  /** Pending transfers referenced by posts/voids of this batch (grows with pendings the batch creates). */
  pendings: Map<string, StoredTransfer>;
  pendingStatus: Map<string, PendingStatus>;
}

/** Undo steps of the chain being applied; null for a lone transfer (nothing to undo when it fails). */
type Undo = Array<() => void> | null;

export interface BatchEffects {
  results: PostResult[];
  transfers: StoredTransfer[];
  entries: EntryRow[];
  openedPendings: StoredTransfer[];
  resolvedPendings: string[];
  rejections: Rejection[];
  /** Accounts whose balances changed; their final balances are in the context. */
  touched: Set<string>;
}

/**
 * Applies a batch in input order against locked state, entirely in memory: each transfer sees the effects
 * of those before it; a failed transfer changes nothing; a linked chain is undone as a whole when one of its
 * transfers fails. The caller writes `BatchEffects` to the journal in one go.
 */
export function evaluateBatch(
  inputs: readonly TransferInput[],
  validated: readonly Validated[],
  ctx: EvaluationContext,
): BatchEffects {
  const fx = evaluateBatchUnpublished(inputs, validated, ctx);
  publishResults(fx);
  return fx;
}

/**
 * The successful results of `evaluateBatchUnpublished` carry the journal row itself (with the store's extra
 * fields); this swaps in the public view. The store runs it after it has sent the batch's write, so these
 * 5,000 object copies of a large batch cost nothing inside the lock window.
 */
export function publishResults(fx: BatchEffects): void {
  const rs = fx.results;
  for (let i = 0; i < rs.length; i++) {
    const r = rs[i]!;
    if (r.ok)
      rs[i] = { ok: true, transfer: publicTransfer(r.transfer as StoredTransfer), replayed: r.replayed };
  }
}

/** A recorded transfer's result; `publishResults` replaces the row with its public view. */
function recorded(row: StoredTransfer): PostResult {
  return { ok: true, transfer: row, replayed: false };
}

/** `evaluateBatch` without `publishResults`: the successful results still hold journal rows. */
export function evaluateBatchUnpublished(
  inputs: readonly TransferInput[],
  validated: readonly Validated[],
  ctx: EvaluationContext,
): BatchEffects {
  const fx: BatchEffects = {
    results: new Array<PostResult>(inputs.length),
    transfers: [],
    entries: [],
    openedPendings: [],
    resolvedPendings: [],
    rejections: [],
    touched: new Set(),
  };
  for (const chain of splitChains(inputs)) {
    if (chain.open) {
      for (let i = chain.start; i < chain.end; i++) fx.results[i] = transferFailure('LINKED_CHAIN_OPEN');
      continue;
    }
    // A lone transfer that fails has recorded nothing, so only a real chain needs undo closures: skipping
    // them saves a closure per transfer on the hot path (profiled: allocation and GC inside the lock window).
    const undo: Undo = chain.end - chain.start > 1 ? [] : null;
    const marks = {
      t: fx.transfers.length,
      e: fx.entries.length,
      o: fx.openedPendings.length,
      r: fx.resolvedPendings.length,
    };
    let failedAt = -1;
    let failure: TransferFailure | null = null;
    for (let i = chain.start; i < chain.end; i++) {
      const v = validated[i]!;
      const r = v.ok ? apply(v.value, ctx, fx, undo) : v;
      fx.results[i] = r;
      if (!r.ok) {
        failedAt = i;
        failure = r;
        break;
      }
    }
    if (failure !== null && undo !== null) {
      for (let k = undo.length - 1; k >= 0; k--) undo[k]!();
      fx.transfers.length = marks.t;
      fx.entries.length = marks.e;
      fx.openedPendings.length = marks.o;
      fx.resolvedPendings.length = marks.r;
      for (let i = chain.start; i < chain.end; i++) {
        fx.results[i] =
          i === failedAt
            ? failure
            : transferFailure(
                'LINKED_TRANSFER_FAILED',
                `transfer ${failedAt - chain.start + 1} of the chain failed with ${failure.code}`,
              );
      }
    }
  }
  for (let i = 0; i < inputs.length; i++) {
    const r = fx.results[i]!;
    if (!r.ok) {
      const id = inputs[i]?.id;
      fx.rejections.push({
        transferId: typeof id === 'string' ? id.slice(0, 200) : null,
        code: r.code,
        message: r.message,
        payload: inputs[i],
      });
    }
  }
  return fx;
}

function apply(t: NormalizedTransfer, ctx: EvaluationContext, fx: BatchEffects, undo: Undo): PostResult {
  const prior = ctx.existing.get(t.id);
  if (prior) {
    return prior.hash === t.hash
      ? { ok: true, transfer: prior, replayed: true }
      : transferFailure('ID_CONFLICT', `transfer ${t.id} exists with another payload`);
  }
  if (t.type === 'single' || t.type === 'pending') return applyNew(t, ctx, fx, undo);
  return applyResolution(t, ctx, fx, undo);
}

function applyNew(t: NormalizedTransfer, ctx: EvaluationContext, fx: BatchEffects, undo: Undo): PostResult {
  const dr = ctx.accounts.get(t.debitAccountId!);
  const cr = ctx.accounts.get(t.creditAccountId!);
  if (!dr) return transferFailure('ACCOUNT_NOT_FOUND', `debit account ${t.debitAccountId}`);
  if (!cr) return transferFailure('ACCOUNT_NOT_FOUND', `credit account ${t.creditAccountId}`);
  if (dr.spec.currency !== t.currency || cr.spec.currency !== t.currency) {
    return transferFailure(
      'CURRENCY_MISMATCH',
      `${t.currency} between ${dr.spec.currency} and ${cr.spec.currency} accounts`,
    );
  }
  const status = statusFailure(dr, cr);
  if (status) return status;
  const a = t.amountMinor!;
  const pending = t.type === 'pending';
  // Literal objects rather than spreads: one shape, no generic copy per transfer on the hot path.
  const d = dr.balance;
  const c = cr.balance;
  const nd: BalanceMinor = pending
    ? balance(d.debitsPosted, d.creditsPosted, d.debitsPending + a, d.creditsPending)
    : balance(d.debitsPosted + a, d.creditsPosted, d.debitsPending, d.creditsPending);
  const nc: BalanceMinor = pending
    ? balance(c.debitsPosted, c.creditsPosted, c.debitsPending, c.creditsPending + a)
    : balance(c.debitsPosted, c.creditsPosted + a, c.debitsPending, c.creditsPending);
  const breach = balanceFailure(dr, nd) ?? balanceFailure(cr, nc);
  if (breach) return breach;
  const row: StoredTransfer = {
    id: t.id,
    type: t.type,
    debitAccountId: dr.spec.id,
    creditAccountId: cr.spec.id,
    amount: t.amountText!,
    amountMinor: a,
    currency: t.currency!,
    code: t.codeValue!,
    codeText: t.code!,
    metadata: t.metadata,
    pendingId: null,
    timeoutAt:
      pending && t.timeoutSeconds !== null ? new Date(ctx.now.getTime() + t.timeoutSeconds * 1000) : null,
    createdAt: ctx.now,
    hash: t.hash,
  };
  record(ctx, fx, undo, row, dr, nd, cr, nc, pending ? 0n : a, pending ? a : 0n);
  if (pending) {
    fx.openedPendings.push(row);
    ctx.pendings.set(row.id, row);
    ctx.pendingStatus.set(row.id, 'open');
    undo?.push(() => {
      ctx.pendings.delete(row.id);
      ctx.pendingStatus.delete(row.id);
    });
  }
  return recorded(row);
}

function applyResolution(
  t: NormalizedTransfer,
  ctx: EvaluationContext,
  fx: BatchEffects,
  undo: Undo,
): PostResult {
  const p = ctx.pendings.get(t.pendingId!);
  if (!p || p.type !== 'pending') return transferFailure('PENDING_NOT_FOUND', t.pendingId!);
  const state = ctx.pendingStatus.get(p.id) ?? 'open';
  const stateFailure = pendingStateFailure(state, p, ctx.now);
  if (stateFailure) return stateFailure;
  if (t.currency !== null && t.currency !== p.currency)
    return transferFailure('CURRENCY_MISMATCH', `${t.currency} against a ${p.currency} pending transfer`);
  const post = t.type === 'post_pending';
  let amount = p.amountMinor;
  if (post && t.amountDecimal !== null) {
    const m = toMinorUnits(t.amountDecimal, p.currency);
    if (m === null || m <= 0n)
      return transferFailure('AMOUNT_INVALID', `"${t.amountDecimal}" for ${p.currency}`);
    if (m > p.amountMinor)
      return transferFailure(
        'AMOUNT_EXCEEDS_PENDING',
        `${formatMinor(m, currencyOf(p.currency).exponent)} > ${p.amount}`,
      );
    amount = m;
  }
  const dr = ctx.accounts.get(p.debitAccountId);
  const cr = ctx.accounts.get(p.creditAccountId);
  if (!dr || !cr) return transferFailure('ACCOUNT_NOT_FOUND', `accounts of pending ${p.id}`);
  if (post) {
    const status = statusFailure(dr, cr);
    if (status) return status;
  }
  const posted = post ? amount : 0n;
  const nd: BalanceMinor = {
    ...dr.balance,
    debitsPending: dr.balance.debitsPending - p.amountMinor,
    debitsPosted: dr.balance.debitsPosted + posted,
  };
  const nc: BalanceMinor = {
    ...cr.balance,
    creditsPending: cr.balance.creditsPending - p.amountMinor,
    creditsPosted: cr.balance.creditsPosted + posted,
  };
  const breach = balanceFailure(dr, nd) ?? balanceFailure(cr, nc);
  if (breach) return breach;
  const code = t.code ?? p.codeText;
  const row: StoredTransfer = {
    id: t.id,
    type: t.type,
    debitAccountId: p.debitAccountId,
    creditAccountId: p.creditAccountId,
    amount: formatMinor(amount, currencyOf(p.currency).exponent),
    amountMinor: amount,
    currency: p.currency,
    code: codeFromText(code),
    codeText: code,
    metadata: t.metadata,
    pendingId: p.id,
    timeoutAt: null,
    createdAt: ctx.now,
    hash: t.hash,
  };
  record(ctx, fx, undo, row, dr, nd, cr, nc, posted, -p.amountMinor);
  resolve(ctx, fx, undo, p.id, post ? 'posted' : 'voided');
  return recorded(row);
}

/**
 * Voids every open pending transfer whose timeout is at or before `ctx.now`, writing one expire_pending
 * transfer per hold (id "~expired:<pending id>") so the journal shows when and why the funds came back.
 */
export function evaluateExpiry(due: readonly StoredTransfer[], ctx: EvaluationContext): BatchEffects {
  const fx: BatchEffects = {
    results: [],
    transfers: [],
    entries: [],
    openedPendings: [],
    resolvedPendings: [],
    rejections: [],
    touched: new Set(),
  };
  const undo: Undo = null;
  for (const p of due) {
    if (
      (ctx.pendingStatus.get(p.id) ?? 'open') !== 'open' ||
      p.timeoutAt === null ||
      p.timeoutAt.getTime() > ctx.now.getTime()
    )
      continue;
    const dr = ctx.accounts.get(p.debitAccountId)!;
    const cr = ctx.accounts.get(p.creditAccountId)!;
    const nd = { ...dr.balance, debitsPending: dr.balance.debitsPending - p.amountMinor };
    const nc = { ...cr.balance, creditsPending: cr.balance.creditsPending - p.amountMinor };
    const id = expiryTransferId(p.id);
    const row: StoredTransfer = {
      ...p,
      id,
      type: 'expire_pending',
      pendingId: p.id,
      timeoutAt: null,
      metadata: null,
      createdAt: ctx.now,
      hash: createHash('sha256').update(id).digest('hex'),
    };
    record(ctx, fx, undo, row, dr, nd, cr, nc, 0n, -p.amountMinor);
    resolve(ctx, fx, undo, p.id, 'expired');
    fx.results.push({ ok: true, transfer: publicTransfer(row), replayed: false });
  }
  return fx;
}

function pendingStateFailure(state: PendingStatus, p: StoredTransfer, now: Date): TransferFailure | null {
  switch (state) {
    case 'posted':
      return transferFailure('PENDING_ALREADY_POSTED', p.id);
    case 'voided':
      return transferFailure('PENDING_ALREADY_VOIDED', p.id);
    case 'expired':
      return transferFailure('PENDING_EXPIRED', p.id);
    case 'open':
      return p.timeoutAt !== null && p.timeoutAt.getTime() <= now.getTime()
        ? transferFailure('PENDING_EXPIRED', `${p.id} timed out at ${p.timeoutAt.toISOString()}`)
        : null;
  }
}

function statusFailure(dr: AccountState, cr: AccountState): TransferFailure | null {
  if (dr.status === 'closed') return transferFailure('ACCOUNT_CLOSED', `debit account ${dr.spec.id}`);
  if (cr.status === 'closed') return transferFailure('ACCOUNT_CLOSED', `credit account ${cr.spec.id}`);
  if (dr.status === 'frozen') return transferFailure('ACCOUNT_FROZEN', `debit account ${dr.spec.id}`);
  return null;
}

function balanceFailure(acc: AccountState, b: BalanceMinor): TransferFailure | null {
  if (
    b.debitsPosted > MAX_BALANCE ||
    b.creditsPosted > MAX_BALANCE ||
    b.debitsPending > MAX_BALANCE ||
    b.creditsPending > MAX_BALANCE
  ) {
    return transferFailure('OVERFLOW', acc.spec.id);
  }
  const breach = limitBreach(acc.spec, b);
  return breach ? transferFailure(breach, `account ${acc.spec.id}`) : null;
}

function record(
  ctx: EvaluationContext,
  fx: BatchEffects,
  undo: Undo,
  row: StoredTransfer,
  dr: AccountState,
  nd: BalanceMinor,
  cr: AccountState,
  nc: BalanceMinor,
  posted: bigint,
  pendingDelta: bigint,
): void {
  if (undo !== null) {
    const od = dr.balance;
    const oc = cr.balance;
    const hadD = fx.touched.has(dr.spec.id);
    const hadC = fx.touched.has(cr.spec.id);
    undo.push(() => {
      dr.balance = od;
      cr.balance = oc;
      if (!hadD) fx.touched.delete(dr.spec.id);
      if (!hadC) fx.touched.delete(cr.spec.id);
      ctx.existing.delete(row.id);
    });
  }
  dr.balance = nd;
  cr.balance = nc;
  fx.touched.add(dr.spec.id).add(cr.spec.id);
  ctx.existing.set(row.id, row);
  fx.transfers.push(row);
  fx.entries.push(
    { transferId: row.id, accountId: dr.spec.id, side: 'D', postedAmount: posted, pendingDelta, after: nd },
    { transferId: row.id, accountId: cr.spec.id, side: 'C', postedAmount: posted, pendingDelta, after: nc },
  );
}

function resolve(
  ctx: EvaluationContext,
  fx: BatchEffects,
  undo: Undo,
  pendingId: string,
  to: PendingStatus,
): void {
  const before = ctx.pendingStatus.get(pendingId);
  ctx.pendingStatus.set(pendingId, to);
  fx.resolvedPendings.push(pendingId);
  undo?.push(() => {
    if (before === undefined) ctx.pendingStatus.delete(pendingId);
    else ctx.pendingStatus.set(pendingId, before);
  });
}

function balance(
  debitsPosted: bigint,
  creditsPosted: bigint,
  debitsPending: bigint,
  creditsPending: bigint,
): BalanceMinor {
  return { debitsPosted, creditsPosted, debitsPending, creditsPending };
}

export function publicTransfer(s: StoredTransfer): Transfer {
  return {
    id: s.id,
    type: s.type,
    debitAccountId: s.debitAccountId,
    creditAccountId: s.creditAccountId,
    amount: s.amount,
    currency: s.currency,
    code: s.code,
    metadata: s.metadata,
    pendingId: s.pendingId,
    timeoutAt: s.timeoutAt,
    createdAt: s.createdAt,
  };
}
