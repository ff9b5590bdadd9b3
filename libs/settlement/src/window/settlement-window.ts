import { SettlementError } from '../errors/settlement-error';
import { Clock } from './clock';

export type WindowStatus = 'OPEN' | 'CLOSED' | 'PENDING_SETTLEMENT' | 'SETTLED' | 'ABORTED';
export type WindowAction = 'close' | 'startSettlement' | 'settle' | 'abort';

export interface SettlementWindow {
  id: string;
  scheme: string;
  sequence: number;
  status: WindowStatus;
  openedAt: string;
  closedAt?: string;
  pendingAt?: string;
  settledAt?: string;
  abortedAt?: string;
  abortReason?: string;
  /** Set on an aborted window: where its transfers went. */
  carriedTo?: string;
}

/** OPEN -> CLOSED -> PENDING_SETTLEMENT -> SETTLED; any unsettled state may be ABORTED. */
export const WINDOW_TRANSITIONS: Record<WindowStatus, Partial<Record<WindowAction, WindowStatus>>> = {
  OPEN: { close: 'CLOSED', abort: 'ABORTED' },
  CLOSED: { startSettlement: 'PENDING_SETTLEMENT', abort: 'ABORTED' },
  PENDING_SETTLEMENT: { settle: 'SETTLED', abort: 'ABORTED' },
  SETTLED: {},
  ABORTED: {},
};

export function openWindow(
  scheme: string,
  sequence: number,
  clock: Clock,
  id = windowId(scheme, sequence),
): SettlementWindow {
  return { id, scheme, sequence, status: 'OPEN', openedAt: clock.now().toISOString() };
}

/** Default ids are deterministic so that replaying the same commands rebuilds the same windows. */
export function windowId(scheme: string, sequence: number): string {
  return `${scheme}-${String(sequence).padStart(6, '0')}`;
}

/** Pure transition: returns the next window or throws WINDOW_TRANSITION naming the allowed actions. */
export function transition(
  window: SettlementWindow,
  action: WindowAction,
  clock: Clock,
  reason?: string,
): SettlementWindow {
  const next = WINDOW_TRANSITIONS[window.status][action];
  if (!next) {
    const allowed = Object.keys(WINDOW_TRANSITIONS[window.status]);
    throw new SettlementError(
      'WINDOW_TRANSITION',
      `window ${window.id} is ${window.status}: cannot ${action} (allowed: ${allowed.length ? allowed.join(', ') : 'none, it is final'})`,
    );
  }
  const at = clock.now().toISOString();
  const w: SettlementWindow = { ...window, status: next };
  switch (action) {
    case 'close':
      w.closedAt = at;
      break;
    case 'startSettlement':
      w.pendingAt = at;
      break;
    case 'settle':
      w.settledAt = at;
      break;
    case 'abort':
      w.abortedAt = at;
      if (reason !== undefined) w.abortReason = reason;
      break;
  }
  return w;
}
