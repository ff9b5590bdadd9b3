import { SettlementError } from '../errors/settlement-error';
import { Clock } from './clock';
import { SettlementWindow, WindowAction, openWindow, transition } from './settlement-window';

export interface WindowBookSnapshot {
  windows: SettlementWindow[];
  /** transferId -> windowId */
  membership: [string, string][];
}

/**
 * The windows of every scheme and which window each cleared transfer belongs to. Enforces: at most one
 * OPEN window per scheme, each transfer in exactly one window, and an aborted window's transfers carried
 * to the scheme's next open window. In-memory and synchronous so a service can load a snapshot, apply a
 * command and persist the changed windows in one transaction.
 */
export class WindowBook {
  private readonly windows = new Map<string, SettlementWindow>();
  private readonly openByScheme = new Map<string, string>();
  private readonly lastSequence = new Map<string, number>();
  private readonly membership = new Map<string, string>();
  private readonly members = new Map<string, Set<string>>();

  constructor(
    private readonly clock: Clock,
    snapshot?: WindowBookSnapshot,
  ) {
    for (const w of snapshot?.windows ?? []) this.put(w);
    for (const [transferId, windowId] of snapshot?.membership ?? []) this.assign(transferId, windowId);
  }

  open(scheme: string): SettlementWindow {
    const current = this.openByScheme.get(scheme);
    if (current)
      throw new SettlementError(
        'WINDOW_ALREADY_OPEN',
        `scheme ${scheme} already has open window ${current}; close it first`,
      );
    const w = openWindow(scheme, (this.lastSequence.get(scheme) ?? 0) + 1, this.clock);
    this.put(w);
    return w;
  }

  openWindowOf(scheme: string): SettlementWindow | undefined {
    const id = this.openByScheme.get(scheme);
    return id === undefined ? undefined : this.windows.get(id);
  }

  /** Puts a cleared transfer into the scheme's open window. */
  clear(scheme: string, transferId: string): SettlementWindow {
    const w = this.openWindowOf(scheme);
    if (!w)
      throw new SettlementError(
        'NO_OPEN_WINDOW',
        `scheme ${scheme} has no open window; open one before clearing`,
      );
    const existing = this.membership.get(transferId);
    if (existing !== undefined) {
      throw new SettlementError(
        'TRANSFER_ALREADY_ASSIGNED',
        `transfer ${transferId} already belongs to window ${existing}`,
      );
    }
    this.assign(transferId, w.id);
    return w;
  }

  /** Closes the scheme's open window and opens its successor, so clearing never finds no window. */
  close(scheme: string): { closed: SettlementWindow; next: SettlementWindow } {
    const w = this.openWindowOf(scheme);
    if (!w) throw new SettlementError('NO_OPEN_WINDOW', `scheme ${scheme} has no open window to close`);
    const closed = this.apply(w, 'close');
    return { closed, next: this.open(scheme) };
  }

  startSettlement(windowId: string): SettlementWindow {
    return this.apply(this.get(windowId), 'startSettlement');
  }

  settle(windowId: string): SettlementWindow {
    return this.apply(this.get(windowId), 'settle');
  }

  /** Aborts a window and carries its transfers to the scheme's open window (opened if there is none). */
  abort(
    windowId: string,
    reason: string,
  ): { aborted: SettlementWindow; carriedTo: SettlementWindow; carried: number } {
    const w = this.get(windowId);
    let aborted = this.apply(w, 'abort', reason);
    const target = this.openWindowOf(w.scheme) ?? this.open(w.scheme);
    const moving = [...(this.members.get(windowId) ?? [])];
    for (const t of moving) this.assign(t, target.id);
    aborted = { ...aborted, carriedTo: target.id };
    this.put(aborted);
    return { aborted, carriedTo: target, carried: moving.length };
  }

  get(windowId: string): SettlementWindow {
    const w = this.windows.get(windowId);
    if (!w) throw new SettlementError('WINDOW_NOT_FOUND', `no settlement window ${windowId}`);
    return w;
  }

  windowOf(transferId: string): string | undefined {
    return this.membership.get(transferId);
  }

  transfersOf(windowId: string): string[] {
    return [...(this.members.get(windowId) ?? [])].sort();
  }

  list(scheme?: string): SettlementWindow[] {
    return [...this.windows.values()]
      .filter((w) => scheme === undefined || w.scheme === scheme)
      .sort((a, b) => a.sequence - b.sequence || (a.scheme < b.scheme ? -1 : 1));
  }

  snapshot(): WindowBookSnapshot {
    return {
      windows: this.list(),
      membership: [...this.membership.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    };
  }

  private apply(w: SettlementWindow, action: WindowAction, reason?: string): SettlementWindow {
    const next = transition(w, action, this.clock, reason);
    this.put(next);
    return next;
  }

  private put(w: SettlementWindow): void {
    const previous = this.windows.get(w.id);
    if (w.status === 'OPEN') {
      const current = this.openByScheme.get(w.scheme);
      if (current !== undefined && current !== w.id) {
        throw new SettlementError(
          'WINDOW_ALREADY_OPEN',
          `scheme ${w.scheme} would have two open windows: ${current} and ${w.id}`,
        );
      }
      this.openByScheme.set(w.scheme, w.id);
    } else if (previous?.status === 'OPEN' || this.openByScheme.get(w.scheme) === w.id) {
      this.openByScheme.delete(w.scheme);
    }
    this.windows.set(w.id, w);
    this.lastSequence.set(w.scheme, Math.max(this.lastSequence.get(w.scheme) ?? 0, w.sequence));
  }

  private assign(transferId: string, windowId: string): void {
    this.get(windowId);
    const from = this.membership.get(transferId);
    if (from !== undefined) this.members.get(from)?.delete(transferId);
    this.membership.set(transferId, windowId);
    let set = this.members.get(windowId);
    if (!set) {
      set = new Set();
      this.members.set(windowId, set);
    }
    set.add(transferId);
  }
}
